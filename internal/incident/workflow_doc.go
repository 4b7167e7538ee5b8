package incident

import (
	"fmt"
	"slices"
	"strings"
)

// WorkflowMarkdown renders docs/workflow.md from the transition table, so the
// document cannot drift from the code (a test compares them).
func WorkflowMarkdown() string {
	var b strings.Builder
	b.WriteString("# Workflow\n\n")
	b.WriteString("Generated from `internal/incident/workflow.go` by `go test ./internal/incident -run TestWorkflowDoc -update`;\n")
	b.WriteString("a test fails when this file and the code differ. Every action is checked by the service with\n")
	b.WriteString("`incident.CanDo` (role within its school scope, or relation to the case, and the current status) and\n")
	b.WriteString("every status change is guarded in SQL (`UPDATE … WHERE status = $from`) and written with its timeline row\n")
	b.WriteString("in one transaction. Repair (step 4) is not a status: it runs alongside inventory, assessment and\n")
	b.WriteString("notification.\n\n")

	b.WriteString("## Statuses\n\n| status | shown as |\n|---|---|\n")
	for _, s := range Statuses {
		fmt.Fprintf(&b, "| `%s` | %s |\n", s, s.Label())
	}

	b.WriteString("\n## State diagram\n\n```mermaid\nstateDiagram-v2\n")
	fmt.Fprintf(&b, "    [*] --> %s: melding (stap 1)\n", StatusNew)
	for _, t := range Workflow {
		for _, from := range t.From {
			for _, to := range t.To {
				if to != from {
					fmt.Fprintf(&b, "    %s --> %s: %s\n", from, to, t.Label)
				}
			}
		}
	}
	fmt.Fprintf(&b, "    %s --> [*]\n```\n", StatusClosed)

	b.WriteString("\n## Who may do what, in which status\n\n")
	b.WriteString("| action | step | performed by | in status | to |\n|---|---|---|---|---|\n")
	for _, t := range Workflow {
		var by, from, to []string
		for _, p := range t.By {
			by = append(by, p.Label())
		}
		for _, s := range t.From {
			from = append(from, "`"+string(s)+"`")
		}
		for _, s := range t.To {
			to = append(to, "`"+string(s)+"`")
		}
		if len(to) == 0 {
			to = []string{"(blijft)"}
		}
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s | %s | %s |\n", t.Label, t.Action, t.Step,
			strings.Join(by, ", "), strings.Join(from, " "), strings.Join(to, " of "))
	}

	b.WriteString("\n## Role × action\n\n")
	performers := []Performer{ByDesk, ByOfficer, ByBoard, ByTechnician, ByAddressee}
	b.WriteString("| action |")
	for _, p := range performers {
		b.WriteString(" " + p.Label() + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(performers)) + "\n")
	for _, t := range Workflow {
		fmt.Fprintf(&b, "| %s |", t.Label)
		for _, p := range performers {
			if slices.Contains(t.By, p) {
				b.WriteString(" ja |")
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nEvery user can report (step 1) and see their own reports. The desk, officer and board of the\n")
	b.WriteString("case's school can read a case; administrators manage accounts and schools, not cases. A user of\n")
	b.WriteString("another organisation can do nothing with a case: to them it does not exist.\n")
	b.WriteString(exceptionReviewDoc)
	b.WriteString(lettersDoc)
	return b.String()
}

// exceptionReviewDoc explains the review of exceptions (issue 9 point 5).
const exceptionReviewDoc = `
## Exceptions are revisited

When the FG decides not to inform the data subjects because the data were unintelligible
(encrypted) or because measures right after the breach made a high risk unlikely (seed 001,
exceptions i and ii), the decision gets a review date: the organisation's period after the
decision (default 12 months, set by the administrator on the schools page, 1 to 60). The
deadline scan reminds the FG of the case's school once per review date, in the app and by mail.
"No high risk" is an assessment, not an exception, and is not reviewed.

The FG then records one of two rows of the table, in whatever status the case has after such a
decision (notification, recording or closed):

- **Uitzondering geldt nog** (` + "`exception_holds`" + `): a timeline row; the review date moves on by the
  period (by further periods if it is confirmed late); the status stays.
- **Uitzondering geldt niet meer** (` + "`exception_lapsed`" + `), with a reason: the review ends and the case
  goes back to ` + "`assessment`" + ` (step 3). The FG records a new decision through the normal assessment, with
  the facts as they are now; a decision to inform the data subjects takes the case to ` + "`informing`" + `
  (step 7), and to ` + "`notification`" + ` first when the AP must still be notified. Going back to the
  assessment, rather than straight to step 7, keeps one path for every decision: the reasons and the
  advice are recorded as for any other, and the FG may also conclude that another ground applies.
`

// lettersDoc explains step 7's texts for each reader (issue 10.4).
const lettersDoc = `
## Letters for each reader (step 7)

The notice to the data subjects goes out as a letter written for its reader, not as one text for
all (` + "`/meldingen/{id}/betrokkenen/brieven`" + `; package ` + "`internal/letter`" + `, table ` + "`case_letters`" + `):

| text | for | goes out |
|---|---|---|
| Brief aan ouders en verzorgers | parents or guardians of students under 16 (seed 000 step 7) | mailing, audience ` + "`parent`" + `; PDF |
| Brief aan leerlingen | students of 16 and over, addressed as "je" | mailing, audience ` + "`student`" + `; PDF |
| Brief aan medewerkers | staff, and anyone else at their own address | mailing, audience ` + "`self`" + `; PDF |
| Openbare mededeling | everyone it may concern, when individual notice takes disproportionate effort (seed 001, exception iii) | website or newspaper; PDF |
| Persbericht | the press, for a large breach; the board handles the press (seed 000 "Communicatie") | by the board; PDF |

- **Drafted from the recorded facts.** Lekwacht writes each text in plain Dutch from the inventory
  (kind of incident, period, kinds of data, number), the repair's measures, whether the AP was
  notified, and the school's and FG's contact details; once the FG drafted the notice, from what the
  FG wrote there for the readers (what happened, the measures, the contact lines, the signature).
  Every letter says what happened in general terms, which data, the likely consequences, what the
  school did, what the reader can do and who to contact (seed 001 "Wat te melden aan de
  betrokkenen?", seed 000 "Communicatie", GDPR art. 34(2)). The desk's summary, the reporter's
  account and the FG's reasons are never used. What is not known is marked "[Vul in: …]".
- **Edited by the FG** (` + "`draft_subjects`" + `, in ` + "`informing`" + `): each change is one transaction with a
  ` + "`subjects_letter`" + ` timeline row; an empty or too long text (over 20,000 characters) comes back with
  422 and the message beside the field. The desk and the board read the texts; the reporter does not.
- **Approval covers the letters and the public notice.** Approving the notice keeps the drafts not
  yet edited, so what is sent is what was approved; changing one of them afterwards withdraws the
  approval and the board is asked again. The press statement is the board's and is not approved.
  Once the notice is sent, the texts stay as they were.
- **The mailing** sends each recipient the kept letter of its audience; the under-16 rule on the
  birth date in the recipients list picks it, so a student of 16 gets the student letter. A letter
  that still holds "[Vul in" is not mailed.
- **PDF** (` + "`…/brieven/{soort}.pdf`" + `): every text as A4 with the school's details in the head, for post
  or for handing out; marked "concept" until approved; each download is in the security log
  (` + "`letter_pdf_downloaded`" + `).
- **Retention** replaces the texts of purged cases with "[verwijderd na de bewaartermijn]".
`
