package server_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// menuState is what a person sees of the header: whether the menu (#menu)
// and the "Menu" button show, how tall the header is, and the menu's links
// that show and fit the screen.
type menuState struct {
	Menu, Button, Close bool
	Header              int64
	Links, Fitting      int64
}

func (b *browser) menuState() menuState {
	b.t.Helper()
	return eval[menuState](b, "read the header", `(() => {
		const shown = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
		const links = [...document.querySelectorAll("#menu nav a")].filter(shown);
		const w = document.documentElement.clientWidth;
		return {
			// On a laptop the menu is display: contents (its links sit in the header's grid).
			Menu: getComputedStyle(document.getElementById("menu")).display !== "none" && links.length > 0,
			Button: shown(document.querySelector(".lw-menu-open")),
			Close: shown(document.querySelector(".lw-menu-close")),
			Header: Math.round(document.querySelector("header").getBoundingClientRect().height),
			Links: links.length,
			Fitting: links.filter((a) => a.getBoundingClientRect().right <= w && a.getBoundingClientRect().left >= 0).length,
		};
	})()`)
}

// TestE2EPhoneMenuWithoutJavaScript: on a phone (390 px) the menu folds
// behind one "Menu" button, so the header takes a line instead of a third of
// the screen; the button opens the menu, with every link on the screen, and
// "Menu sluiten" folds it again, all with JavaScript switched off in the
// browser (issue 14.5). On a laptop the menu shows without a button.
func TestE2EPhoneMenuWithoutJavaScript(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	b := newBrowser(t, app, chromium)
	e2eSignIn(b, "/", demoDesk, "/", "Mehmet Meldpunt")

	b.do("switch JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if status := b.navigate("/register"); status != 200 {
		t.Fatalf("open /register: status %d", status)
	}
	// With JavaScript off a script on the page cannot run: the check is
	// that this one does not.
	eval[bool](b, "add a script to the page", `(() => { const s = document.createElement("script"); s.textContent = "document.body.dataset.js = 'ran'"; document.body.append(s); return true })()`)
	if got := eval[string](b, "did the script run", `document.body.dataset.js || ""`); got != "" {
		t.Fatalf("JavaScript still runs in the page (%q): the test would prove nothing", got)
	}

	closed := b.menuState()
	if closed.Menu || !closed.Button || closed.Header > 100 {
		t.Errorf("on a phone the menu should fold behind one button in a header of at most 100 px: %+v", closed)
	}
	b.screenshot("phone-menu-closed")
	b.do("open the menu", chromedp.Click(chromedp.CSS(".lw-menu-open"), chromedp.NodeVisible))
	open := b.menuState()
	if !open.Menu || open.Button || !open.Close || open.Links < 5 || open.Fitting != open.Links {
		t.Errorf("after 'Menu' the menu should show with every link on the screen and a way to close it: %+v", open)
	}
	if loc := b.location(); loc != "/register#menu" {
		t.Errorf("the Menu button leads to %s, want /register#menu", loc)
	}
	if got := b.text(testID("user-name")); got != "Mehmet Meldpunt" {
		t.Errorf("the open menu shows the user %q, want Mehmet Meldpunt (and sign-out beside it)", got)
	}
	b.screenshot("phone-menu-open")
	if status := b.follow("follow a menu link", chromedp.Click(chromedp.CSS(`#menu nav a[href="/meldpunt"]`), chromedp.NodeVisible)); status != 200 {
		t.Fatalf("the menu's link to /meldpunt: status %d", status)
	}
	if s := b.menuState(); s.Menu || !s.Button {
		t.Errorf("on the page the menu led to, it should be folded again: %+v", s)
	}
	b.do("open the menu again", chromedp.Click(chromedp.CSS(".lw-menu-open"), chromedp.NodeVisible))
	b.do("close the menu", chromedp.Click(chromedp.CSS(".lw-menu-close"), chromedp.NodeVisible))
	if s := b.menuState(); s.Menu || !s.Button {
		t.Errorf("'Menu sluiten' should fold the menu: %+v", s)
	}

	b.do("a laptop", chromedp.EmulateViewport(1280, 900))
	if s := b.menuState(); !s.Menu || s.Button || s.Close || s.Links < 5 {
		t.Errorf("on a laptop the menu shows without the Menu button: %+v", s)
	}

	// The open menu passes axe-core and fits the phone's screen too (the
	// check needs JavaScript: axe-core is a script).
	b.do("switch JavaScript on", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))
	if status := b.navigate("/register#menu"); status != 200 {
		t.Fatalf("open /register#menu: status %d", status)
	}
	b.assertNoProblems("the menu open")
}

// TestE2ERegisterUsesTheWidth: the register is a working table (issue 14.4):
// on a wide screen its page grows to 1,440 px (90rem) while a page of text
// keeps 1,024 px (64rem); on a phone the table's header is hidden and each
// case becomes a card with the column's name beside each value.
func TestE2ERegisterUsesTheWidth(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	app := newTestApp(t)
	b := newBrowser(t, app, chromium)
	e2eSignIn(b, "/", demoDesk, "/", "Mehmet Meldpunt")
	usb := itoa(app.demoCase(1))

	width := func(sel string) int64 {
		return eval[int64](b, "measure "+sel, `Math.round(document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect().width)`)
	}
	b.do("a wide screen", chromedp.EmulateViewport(1920, 1000))
	if status := b.navigate("/register"); status != 200 {
		t.Fatalf("open /register: status %d", status)
	}
	if w := width("main"); w != 1440 {
		t.Errorf("the register's page is %d px wide on a 1920 px screen, want 1440", w)
	}
	if w := width(`[data-testid="register-list"]`); w < 1350 {
		t.Errorf("the register's table is %d px wide, want it to use the page's width (at least 1350 px)", w)
	}
	if status := b.navigate("/meldingen/" + usb); status != 200 {
		t.Fatalf("open the case: status %d", status)
	}
	if w := width("main"); w != 1024 {
		t.Errorf("the case page is %d px wide on a 1920 px screen, want 1024 (lines of text stay readable)", w)
	}

	b.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if status := b.navigate("/register"); status != 200 {
		t.Fatalf("open /register: status %d", status)
	}
	cards := eval[[]string](b, "read the register as cards", `[...document.querySelectorAll('[data-testid="register-row"]')].map(r => getComputedStyle(r).display + " " + getComputedStyle(r.cells[0], "::before").content)`)
	if len(cards) == 0 {
		t.Fatal("no register rows")
	}
	for _, c := range cards {
		if c != `block "Nummer"` {
			t.Errorf("on a phone a register row shows as %q, want a card (block) whose first line is labelled \"Nummer\"", c)
		}
	}
	if h := eval[int64](b, "the header's height", `Math.round(document.querySelector('[data-testid="register-list"] thead').getBoundingClientRect().height)`); h > 1 {
		t.Errorf("on a phone the table's header row still shows (%d px high)", h)
	}
	b.assertNoProblems("the register's widths")
}
