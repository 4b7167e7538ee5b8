package contact

// Letterhead is what the head of a letter about a case shows: the school's
// details (or the organisation's) and how to reach the FG. Missing names the
// fields (Field… constants; Label gives the Dutch name) that are still empty,
// so a letter can mark them instead of printing a gap unnoticed.
type Letterhead struct {
	Name, Street, Postcode, City, Phone, Email, Website string
	FGName, FGEmail, FGPhone                            string
	// BoardPhone, BoardEmail and BoardWebsite are always the organisation's:
	// the press asks the board (seed 000 "Communicatie").
	BoardPhone, BoardEmail, BoardWebsite string
	Missing                              []string
}

// LetterheadOf puts a letterhead together for a case of school s (nil when
// the case has no school). A school's empty phone, e-mail or website falls
// back to the organisation's. The address falls back as a whole: only when
// the school has no street, postcode and city at all is the organisation's
// used, so that a letter never mixes the school's street with the board's
// postcode. The FG's details are always the organisation's.
func LetterheadOf(org Organisation, s *School) Letterhead {
	h := Letterhead{Name: org.Name, Street: org.Street, Postcode: org.Postcode, City: org.City,
		Phone: org.Phone, Email: org.Email, Website: org.Website,
		FGName: org.FGName, FGEmail: org.FGEmail, FGPhone: org.FGPhone,
		BoardPhone: org.Phone, BoardEmail: org.Email, BoardWebsite: org.Website}
	if s != nil {
		if s.Name != "" {
			h.Name = s.Name
		}
		if s.Street != "" || s.Postcode != "" || s.City != "" {
			h.Street, h.Postcode, h.City = s.Street, s.Postcode, s.City
		}
		h.Phone = or(s.Phone, org.Phone)
		h.Email = or(s.Email, org.Email)
		h.Website = or(s.Website, org.Website)
	}
	for _, f := range []struct {
		name, value string
	}{
		{FieldName, h.Name}, {FieldStreet, h.Street}, {FieldPostcode, h.Postcode}, {FieldCity, h.City},
		{FieldPhone, h.Phone}, {FieldEmail, h.Email}, {FieldWebsite, h.Website},
		{FieldFGName, h.FGName}, {FieldFGEmail, h.FGEmail}, {FieldFGPhone, h.FGPhone},
	} {
		if f.value == "" {
			h.Missing = append(h.Missing, f.name)
		}
	}
	return h
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
