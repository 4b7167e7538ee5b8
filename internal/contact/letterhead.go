// Package contact holds the contact details of a school board and its
// schools as letters and the AP form need them (issue 10.3).
package contact

// Letterhead is what the head and the contact lines of a letter show: the
// school's (or board's) details and the FG's. Missing names the details that
// are empty, in Dutch, so a letter can mark them.
type Letterhead struct {
	Name, Street, Postcode, City, Phone, Email, Website, FGName, FGEmail, FGPhone string
	Missing                                                                       []string
}
