package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/lekwacht/lekwacht/internal/export"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// Handler returns the site map: every route of Lekwacht.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, s.securityHeaders)
	// Cross-site request forgery: the standard library refuses state-changing
	// requests that browsers mark as cross-origin (Sec-Fetch-Site / Origin).
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	r.Use(csrf.Handler)

	static, _ := fs.Sub(web.Static, "static")
	r.With(middleware.Compress(5, "text/css", "text/javascript", "image/svg+xml")).Handle("/static/*", http.StripPrefix("/static/", s.staticFiles(static)))
	r.Get("/healthz", s.h(s.healthz))

	r.Group(func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadActor, noStore, limitBody, s.cleanInput)

		r.Get("/inloggen", s.h(s.signInForm))
		r.Post("/inloggen", s.h(s.signIn))
		r.Post("/uitloggen", s.h(s.signOut))
		r.Get("/wachtwoord/{token}", s.h(s.setPasswordForm))
		r.Post("/wachtwoord/{token}", s.h(s.setPassword))
		// Issue 12: the public report page of an organisation and the
		// reporter's status page, without an account.
		r.Get("/melden/{slug}", s.h(s.publicForm))
		r.Post("/melden/{slug}", s.h(s.publicReport))
		r.Get("/melden/{slug}/ontvangen", s.h(s.publicDone))
		r.Get("/melden/{slug}/volgen", s.h(s.publicFollowForm))
		r.Post("/melden/{slug}/volgen", s.h(s.publicFollow))
		r.Get("/melden/{slug}/status", s.h(s.publicStatus))
		r.Post("/melden/{slug}/status/vragen/{qid}", s.h(s.publicAnswer))
		r.Post("/melden/{slug}/status/sluiten", s.h(s.publicStatusClose))
		// A processor's private report link.
		r.Get("/verwerker-melden/{token}", s.h(s.processorReportForm))
		r.Post("/verwerker-melden/{token}", s.h(s.processorReport))
		r.Get("/verwerker-melden/{token}/ontvangen", s.h(s.processorReportDone))
		// The second step of signing in (issue 11): the code, or setting up the app.
		r.Get("/inloggen/code", s.h(s.codeForm))
		r.Post("/inloggen/code", s.h(s.code))
		r.Get("/inloggen/tweestaps-instellen", s.h(s.enrolForm))
		r.Post("/inloggen/tweestaps-instellen", s.h(s.enrol))
		// Single sign-on (issue 11): to the provider, and back.
		r.Get("/inloggen/sso/{id:[0-9]+}", s.h(s.ssoStart))
		r.Get(service.SSOCallbackPath, s.h(s.ssoCallback))

		r.Group(func(r chi.Router) {
			r.Use(s.requireActor)
			r.Get("/", s.h(s.home))
			// One person, several organisations (issue 11.3).
			r.Post("/organisatie", s.h(s.switchOrganisation))
			r.Get("/organisaties", s.h(s.allOrganisations))
			// The user's own account: second factor, recovery codes, sessions.
			r.Get("/account", s.h(s.account))
			r.Get("/account/tweestaps", s.h(s.accountEnrolForm))
			r.Post("/account/tweestaps", s.h(s.accountEnrol))
			r.Post("/account/herstelcodes", s.h(s.accountRecoveryCodes))
			r.Get("/account/sessies", s.h(s.mySessions))
			r.Post("/account/sessies/andere-beeindigen", s.h(s.endOtherSessions))
			r.Post("/account/sessies/{sid}/beeindigen", s.h(s.endMySession))
			r.Get("/melden", s.h(s.reportForm))
			r.Post("/melden", s.h(s.report))
			r.Get("/mijn-meldingen", s.h(s.mine))
			r.Get("/meldpunt", s.h(s.inbox))
			r.Get("/meldpunt/melden", s.h(s.onBehalfForm))
			r.Post("/meldpunt/melden", s.h(s.onBehalfReport))
			// The datalekregister (issue 4): the page, and exports of exactly what its filter shows.
			r.Get("/register", s.h(s.register))
			r.Get("/register/export.xlsx", s.h(s.registerExport("xlsx", export.XLSXContentType, export.XLSX, false)))
			r.Get("/register/export.csv", s.h(s.registerExport("csv", export.CSVContentType, export.CSV, false)))
			r.Get("/register/export.pdf", s.h(s.registerExport("pdf", export.PDFContentType, export.PDF, true)))
			// The exports' own page, for who may export without reading the register (an administrator).
			r.Get("/register/exporteren", s.h(s.registerExportForm))
			// Import of an existing Excel register (desk, officer): upload the
			// .xlsx, map its columns, check every row, import all in one go.
			r.Get("/register/import", s.h(s.importForm))
			r.Post("/register/import", s.h(s.importUpload))
			r.Get("/register/import/{iid}", s.h(s.importMapping))
			r.Post("/register/import/{iid}", s.h(s.importMappingSave))
			r.Get("/register/import/{iid}/controle", s.h(s.importPreview))
			r.Post("/register/import/{iid}/importeren", s.h(s.importRun))
			// Issue 5: every notification (also sent by mail) in the app.
			r.Get("/berichten", s.h(s.messages))
			r.Post("/berichten/gelezen", s.h(s.messagesRead))
			// One case, its steps in the order of the protocol (seed 000).
			r.Get("/meldingen/{id}", s.h(s.caseShow))
			// The organisation's security log (issue 15.4): organisation-wide FG and administrator.
			r.Get("/beveiligingslog", s.h(s.securityLog))
			r.Get("/beveiligingslog.csv", s.h(s.securityLogCSV))
			// Who viewed the case (issue 15.4): the FG of its school only.
			r.Get("/meldingen/{id}/ingezien", s.h(s.caseReads))
			r.Get("/meldingen/{id}/ingezien.csv", s.h(s.caseReadsCSV))
			r.Get("/meldingen/{id}/ontvangen", s.h(s.reportDone))
			// Step 2, Inventariseren (desk), questions, technician.
			r.Post("/meldingen/{id}/oppakken", s.h(s.caseStartInventory))
			r.Get("/meldingen/{id}/inventarisatie", s.h(s.inventoryForm))
			r.Post("/meldingen/{id}/inventarisatie", s.h(s.inventorySave))
			r.Post("/meldingen/{id}/vragen", s.h(s.caseAsk))
			r.Post("/meldingen/{id}/vragen/{qid}/antwoord", s.h(s.caseAnswer))
			r.Post("/meldingen/{id}/technicus", s.h(s.caseAssignTechnician))
			r.Post("/meldingen/{id}/afsluiten-geen-datalek", s.h(s.caseCloseNoBreach))
			r.Post("/meldingen/{id}/naar-fg", s.h(s.caseSendToOfficer))
			r.Post("/meldingen/{id}/spam", s.h(s.caseMarkSpam))
			// Step 3, Beoordelen (officer): facts, advice, decision; moment of awareness.
			r.Get("/meldingen/{id}/besluit", s.h(s.decisionPage))
			r.Post("/meldingen/{id}/besluit", s.h(s.decisionPost))
			r.Post("/meldingen/{id}/kennisname-moment", s.h(s.awarenessPost))
			// Step 4, Repareren (assigned technician).
			r.Get("/meldingen/{id}/herstel", s.h(s.repairForm))
			r.Post("/meldingen/{id}/herstel", s.h(s.repairSave))
			// Step 5, Melden: the board informed; the officer's AP form, notification, supplements.
			r.Post("/meldingen/{id}/bestuur", s.h(s.caseInformBoard))
			r.Post("/meldingen/{id}/bevestigen", s.h(s.caseConfirmNoBreach))
			r.Post("/meldingen/{id}/toch-beoordelen", s.h(s.caseAssessAfterAll))
			r.Post("/meldingen/{id}/zienswijze-bestuur", s.h(s.caseBoardView))
			r.Get("/meldingen/{id}/melding-ap", s.h(s.notificationPage))
			r.Post("/meldingen/{id}/melding-ap", s.h(s.notificationRecord))
			r.Post("/meldingen/{id}/melding-ap/wijziging", s.h(s.notificationAmend))
			// Step 6, Vastleggen (desk) and reopening (officer).
			r.Post("/meldingen/{id}/afsluiten", s.h(s.caseClose))
			r.Post("/meldingen/{id}/heropenen", s.h(s.caseReopen))
			r.Post("/meldingen/{id}/uitzondering-geldt", s.h(s.caseExceptionHolds))
			r.Post("/meldingen/{id}/uitzondering-vervallen", s.h(s.caseExceptionLapsed))
			r.Post("/meldingen/{id}/inspectie", s.h(s.caseInspectorate))
			// Step 7, Informeren betrokkenen: the officer drafts, the board or officer approves, the officer records sending.
			r.Get("/meldingen/{id}/betrokkenen", s.h(s.subjectsForm))
			r.Post("/meldingen/{id}/betrokkenen", s.h(s.subjectsSave))
			r.Post("/meldingen/{id}/betrokkenen/goedkeuren", s.h(s.subjectsApprove))
			r.Post("/meldingen/{id}/betrokkenen/verzonden", s.h(s.subjectsSent))
			// Issue 5: step 7 by mail from Lekwacht: the recipients (CSV), sending, delivery per recipient.
			r.Get("/meldingen/{id}/betrokkenen/ontvangers", s.h(s.subjectsMailing))
			r.Post("/meldingen/{id}/betrokkenen/ontvangers", s.h(s.subjectsRecipientsUpload))
			r.Post("/meldingen/{id}/betrokkenen/mailen", s.h(s.subjectsMail))
			// The letter for each reader, the public notice, the press statement (issue 10.4).
			r.Get("/meldingen/{id}/betrokkenen/brieven", s.h(s.caseLetters))
			r.Get("/meldingen/{id}/betrokkenen/brieven/{soort}", s.h(s.caseLetter))
			r.Post("/meldingen/{id}/betrokkenen/brieven/{soort}", s.h(s.caseLetterSave))
			r.Get("/meldingen/{id}/betrokkenen/brieven/{soort}.pdf", s.h(s.caseLetterPDF))
			// Attachments: listed on the case page, added and downloaded here.
			r.Get("/meldingen/{id}/bijlagen/nieuw", s.h(s.attachmentNew))
			r.Post("/meldingen/{id}/bijlagen", s.h(s.attachmentUpload))
			r.Get("/meldingen/{id}/bijlagen/{aid}", s.h(s.attachmentDownload))
			// Dossier (issue 4): everything about one case, as a page and as a PDF (desk, officer, board).
			r.Get("/meldingen/{id}/dossier", s.h(s.caseDossier))
			r.Get("/meldingen/{id}/dossier.pdf", s.h(s.caseDossierPDF))
			// Processors (issue 4): suppliers and their breach agreements; a case linked to one.
			r.Post("/meldingen/{id}/verwerker", s.h(s.caseLinkProcessor))
			r.Post("/meldingen/{id}/verwerker/ontvangen", s.h(s.caseProcessorDelivered))
			r.Get("/verwerkers", s.h(s.processors))
			r.Get("/verwerkers/nieuw", s.h(s.processorNewForm))
			r.Post("/verwerkers/nieuw", s.h(s.processorCreate))
			r.Get("/verwerkers/{id}", s.h(s.processorShow))
			r.Get("/verwerkers/{id}/bewerken", s.h(s.processorEditForm))
			r.Post("/verwerkers/{id}/bewerken", s.h(s.processorUpdate))
			r.Post("/verwerkers/{id}/link", s.h(s.processorLinkNew))
			r.Post("/verwerkers/{id}/link/intrekken", s.h(s.processorLinkRevoke))
			// Half-year analysis (seed 000 "Monitoring"): desk and officer make
			// and edit it, the board reads what was shared; saved reports with
			// their PDF, and the charts as SVG images (live and saved).
			r.Get("/analyse", s.h(s.analysisIndex))
			r.Post("/analyse", s.h(s.analysisCreate))
			r.Get("/analyse/grafiek/{name:[a-z]+}.svg", s.h(s.analysisLiveChart))
			r.Get("/analyse/{id:[0-9]+}", s.h(s.analysisShow))
			r.Post("/analyse/{id:[0-9]+}", s.h(s.analysisUpdate))
			r.Post("/analyse/{id:[0-9]+}/vaststellen", s.h(s.analysisShare))
			r.Get("/analyse/{id:[0-9]+}.pdf", s.h(s.analysisPDF))
			r.Get("/analyse/{id:[0-9]+}/grafiek/{name:[a-z]+}.svg", s.h(s.analysisReportChart))

			r.Get("/beheer/gebruikers", s.h(s.users))
			r.Get("/beheer/gebruikers/nieuw", s.h(s.userNewForm))
			r.Post("/beheer/gebruikers/nieuw", s.h(s.userCreate))
			r.Get("/beheer/gebruikers/{id}", s.h(s.userEditForm))
			r.Post("/beheer/gebruikers/{id}", s.h(s.userUpdate))
			r.Post("/beheer/gebruikers/{id}/link", s.h(s.userNewLink))
			r.Post("/beheer/gebruikers/{id}/tweestaps-resetten", s.h(s.userResetSecondFactor))
			r.Post("/beheer/gebruikers/{id}/sessies-beeindigen", s.h(s.userEndSessions))
			r.Get("/beheer/scholen", s.h(s.schools))
			r.Post("/beheer/scholen", s.h(s.schoolCreate))
			r.Post("/beheer/scholen/{id}", s.h(s.schoolRename))
			r.Post("/beheer/organisatie", s.h(s.reviewMonthsSave))
			// Contact details for the AP form and the letters (issue 10.3).
			r.Get("/beheer/contactgegevens", s.h(s.organisationContact))
			r.Post("/beheer/contactgegevens", s.h(s.organisationContactSave))
			r.Get("/beheer/scholen/{id}/contactgegevens", s.h(s.schoolContact))
			r.Post("/beheer/scholen/{id}/contactgegevens", s.h(s.schoolContactSave))
			r.Get("/beheer/sso", s.h(s.ssoIndex))
			r.Post("/beheer/sso", s.h(s.ssoCreate))
			r.Post("/beheer/sso/beleid", s.h(s.ssoPolicy))
			r.Get("/beheer/sso/{id}", s.h(s.ssoEditForm))
			r.Post("/beheer/sso/{id}", s.h(s.ssoUpdate))
			r.Post("/beheer/sso/{id}/verwijderen", s.h(s.ssoDelete))
			r.Get("/beheer/bewaartermijn", s.h(s.retention))
			r.Post("/beheer/bewaartermijn", s.h(s.retentionSave))
			r.Get("/beheer/meldpagina", s.h(s.pageSettings))
			r.Post("/beheer/meldpagina", s.h(s.pageSettingsSave))
			r.Get("/beheer/meldpagina/qr.png", s.h(s.pageQR))
		})
	})
	// Unknown pages and methods get the Dutch error page, with the menu of
	// whoever is signed in, and are not cached.
	withSession := func(h http.HandlerFunc) http.HandlerFunc {
		return s.sessions.LoadAndSave(s.loadActor(noStore(h))).ServeHTTP
	}
	r.NotFound(withSession(s.h(s.notFound)))
	r.MethodNotAllowed(withSession(s.h(s.methodNotAllowed)))
	return r
}
