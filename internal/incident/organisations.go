package incident

// OrganisationCase is one open case on "Al mijn organisaties" (issue 11.3),
// the start page of an FG of several school boards: the board it belongs to,
// and the person's membership of it, which opening the case switches to.
type OrganisationCase struct {
	WorkItem
	Organisation string
	MemberID     int64
}

// OrganisationCount is one board on that page: how many open cases it has
// (Open, counted up to a cap; More when there are more) and how many of
// them the list shows.
type OrganisationCount struct {
	Organisation string
	MemberID     int64
	Open, Shown  int
	More         bool
}

// OrganisationsWork is the page: every open case of every board where the
// person is FG, the nearest deadline first, and the boards.
type OrganisationsWork struct {
	Cases  []OrganisationCase
	Boards []OrganisationCount
}
