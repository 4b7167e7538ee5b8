package service_test

import (
	"strings"
	"testing"
)

// Issue 12.4: the board hears (in the app and by mail) when a notice to the
// data subjects waits for its approval; the message is done once approved.
func TestBoardHearsOfANoticeToApprove(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.informing("USB-stick met adressen van groep 7 verloren", "individual")
	officer, board := e.actors["officer"], e.actors["board"]
	waiting := func() int {
		n := 0
		for _, s := range e.openSubjects(board) {
			if strings.HasPrefix(s, "Goedkeuren: bericht aan betrokkenen") {
				n++
			}
		}
		return n
	}
	if waiting() != 0 {
		t.Fatal("the board is asked to approve before there is a draft")
	}
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))
	if waiting() != 1 {
		t.Fatalf("board after the draft: %q, want the request to approve", e.openSubjects(board))
	}
	if n := e.count(`SELECT count(*) FROM mail_messages WHERE kind = 'subjects_approval' AND case_id = $1 AND user_id = $2`, id, board.UserID); n != 1 {
		t.Errorf("%d approval mails to the board, want 1", n)
	}
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""))
	if waiting() != 0 {
		t.Errorf("board after approving: %q, want nothing", e.openSubjects(board))
	}
	// Saving the approved notice unchanged asks nothing new.
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))
	if waiting() != 0 {
		t.Error("an unchanged notice asks the board again")
	}
}
