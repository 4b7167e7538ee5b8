package incident

import "github.com/lekwacht/lekwacht/internal/access"

// A Read is a look at sensitive data that the security log records with who,
// from where and when (issue 15.4): the kinds a case's "Ingezien door" shows.
type Read string

// The reads of one case; the register's exports are logged for the whole
// organisation (ReadRegisterExport), not per case.
const (
	ReadCasePage       Read = "case_viewed"
	ReadDossier        Read = "dossier_viewed"
	ReadDossierPDF     Read = "dossier_pdf_downloaded"
	ReadAttachment     Read = "attachment_downloaded"
	ReadLetterPDF      Read = "letter_pdf_downloaded"
	ReadRegisterExport Read = "register_exported"
)

// CaseReads lists the reads recorded per case, in the order the page explains them.
var CaseReads = []Read{ReadCasePage, ReadDossier, ReadDossierPDF, ReadAttachment, ReadLetterPDF}

// Label is the Dutch name of what was read.
func (r Read) Label() string {
	switch r {
	case ReadCasePage:
		return "Meldingspagina"
	case ReadDossier:
		return "Dossier"
	case ReadDossierPDF:
		return "Dossier (pdf)"
	case ReadAttachment:
		return "Bijlage gedownload"
	case ReadLetterPDF:
		return "Brief aan betrokkenen (pdf)"
	case ReadRegisterExport:
		return "Export van het register"
	}
	return string(r)
}

// CanViewReads reports whether a may see who read case c: the FG (officer)
// of the case's school, at every step of the case, closed and anonymised
// cases included. Nobody else: the log of who looked is itself personal data
// of the people who looked.
func CanViewReads(a *access.Actor, c *Case) bool {
	if a == nil || c == nil || a.UserID == 0 || a.OrganisationID != c.OrganisationID {
		return false
	}
	return a.ScopeFor(access.Officer).Covers(c.SchoolID)
}

// CanViewSecurityLog reports whether a may read and export the security log
// of the whole organisation: an organisation-wide FG or administrator.
func CanViewSecurityLog(a *access.Actor) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	return a.HasOrgWide(access.Officer) || a.HasOrgWide(access.Admin)
}
