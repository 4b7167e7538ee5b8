// Package assessment is Lekwacht's decision support: it turns the facts of a
// security incident at a school into advice for the data protection officer
// (FG). Is it a data breach (datalek)? Must the Autoriteit Persoonsgegevens be
// notified? Must the data subjects be informed, and how? How severe is it by
// the ENISA 2013 method?
//
// Everything here is a pure function of its arguments: no I/O beyond reading a
// reader handed to DecodeFacts, no clock, no configuration. The decision path
// follows the schools' own protocols (seed 001 part I and the decision tree in
// step 3 of seed 000). Every step adds a plain Dutch sentence to
// Advice.Reasons, so that the FG can check the advice, adopt or overrule it,
// and record the reasons in the register. Where the facts leave room for
// doubt the advice leans towards "datalek" and towards notifying ("better safe
// than sorry"): a notification can be supplemented or withdrawn later, a
// missed one cannot be undone.
//
// The advice supports the FG's decision; it never takes it. docs/assessment.md
// explains the thresholds and the scoring.
package assessment
