// Package web holds the templ layout, components and pages of Lekwacht and
// its static files. Pages take typed props built from domain types only; the
// server builds the shared Page data in one place.
package web

import (
	"embed"
	"fmt"
	"strconv"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// Static holds the CSS and images, served under /static/.
//
//go:embed static
var Static embed.FS

// NavItem is one link in the navigation.
type NavItem struct {
	Label, Href string
	Active      bool
	// New is a number shown beside the label: unread messages.
	New int
}

// Page is what every page's layout needs.
type Page struct {
	Title string
	Actor *access.Actor // nil when nobody is signed in
	Flash string
	Nav   []NavItem
	// Loc is Europe/Amsterdam: every time is shown there.
	Loc *time.Location
	// Now is the request's clock, for "3 uur geleden".
	Now time.Time
	// Wide lets a page that is mostly a table use the width of the screen
	// (up to about 1,440 px) instead of the reading width.
	Wide bool
	// Refresh, a local path, sends the browser on at once (a meta refresh,
	// no JavaScript): the way to a sign-in provider after the e-mail step,
	// which a form's redirect may not take (CSP form-action 'self').
	Refresh string
}

var months = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
var weekdays = []string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// DateTime formats t in Dutch: "ma 23 november 2026, 14:05".
func (p Page) DateTime(t time.Time) string {
	t = t.In(p.Loc)
	return fmt.Sprintf("%s %d %s %d, %02d:%02d", weekdays[t.Weekday()][:2], t.Day(), months[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// DateTimePtr formats an optional time, or "onbekend".
func (p Page) DateTimePtr(t *time.Time) string {
	if t == nil {
		return "onbekend"
	}
	return p.DateTime(*t)
}

// ISO is the machine-readable form for <time datetime>.
func (p Page) ISO(t time.Time) string { return t.In(p.Loc).Format(time.RFC3339) }

// Ago says in Dutch how long ago t was: "zojuist", "12 minuten geleden",
// "3 uur geleden", "2 dagen geleden".
func (p Page) Ago(t time.Time) string {
	d := p.Now.Sub(t)
	switch {
	case d < time.Minute:
		return "zojuist"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minuut", "minuten") + " geleden"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " uur geleden"
	default:
		return plural(int(d/(24*time.Hour)), "dag", "dagen") + " geleden"
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Itoa is strconv.Itoa for templates.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// orgCountText is one board's line on "Al mijn organisaties".
func orgCountText(b incident.OrganisationCount) string {
	var s string
	switch {
	case b.More:
		s = fmt.Sprintf("meer dan %d open meldingen", b.Open)
	case b.Open == 1:
		s = "1 open melding"
	default:
		s = fmt.Sprintf("%d open meldingen", b.Open)
	}
	if b.Shown < b.Open || b.More {
		s += fmt.Sprintf("; hieronder de %d met de vroegste termijn", b.Shown)
	}
	return s
}
