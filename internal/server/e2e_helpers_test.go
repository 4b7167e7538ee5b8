package server_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Helpers for the end-to-end tests (e2e_test.go): a real headless Chromium
// driven through chromedp against the real server of newTestApp.

// e2eTimeout bounds a whole end-to-end test, so that it can never hang. It
// is generous: every page state is also checked with axe-core at two widths,
// and the machine may be busy.
const e2eTimeout = 240 * time.Second

// chromiumPath returns the browser the end-to-end tests drive:
// $LEKWACHT_CHROMIUM (set by `make test` via scripts/chromium.sh), else a
// Chromium or Chrome on PATH. Without one the test fails: a skipped
// end-to-end test would hide that the journey was never checked.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LEKWACHT_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("LEKWACHT_CHROMIUM=%q is not an executable browser: %v", p, err)
		}
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatalf("no Chromium found for the end-to-end test: set LEKWACHT_CHROMIUM to a Chromium/Chrome binary, " +
		"put chromium on PATH (Debian: apt-get install chromium), or run `make test`, which finds or installs one " +
		"via scripts/chromium.sh")
	return ""
}

// browser is one headless Chromium tab on a test app, with everything the
// page reported that should not happen: console errors, uncaught
// exceptions, failed requests, HTTP errors and Content-Security-Policy
// violations.
type browser struct {
	t    *testing.T
	app  *testApp
	ctx  context.Context
	shot string // directory for the screenshots of this run
	// limit is the time the whole test may take.
	limit time.Duration

	mu       sync.Mutex
	urls     map[network.RequestID]string
	problems []string
	expected map[string]int // problems the test provokes on purpose: substring → how many more
	done     bool           // the test is over: chromedp's goroutines must not log any more
}

// newBrowser starts a fresh headless Chromium (own temporary profile) whose
// life ends with the test or after e2eTimeout, whichever comes first.
func newBrowser(t *testing.T, app *testApp, path string) *browser {
	t.Helper()
	return newBrowserWithin(t, app, path, e2eTimeout)
}

// newBrowserWithin is newBrowser with a time limit of its own.
func newBrowserWithin(t *testing.T, app *testApp, path string, limit time.Duration) *browser {
	t.Helper()
	profile := t.TempDir()
	shots := t.TempDir()

	ctx, cancelTimeout := context.WithTimeout(context.Background(), limit)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Dutch users. (Date fields still show Chromium's own en-US
		// format: --lang needs locale files Debian ships separately.)
		chromedp.Flag("accept-lang", "nl-NL,nl"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	b := &browser{t: t, app: app, shot: shots, limit: limit,
		urls: map[network.RequestID]string{}, expected: map[string]int{}}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithListener(b.observe),
		chromedp.WithLogf(b.logf),
		chromedp.WithErrorf(func(format string, args ...any) { b.logf("chromedp error: "+format, args...) }),
	)
	b.ctx = tabCtx
	// Cleanups run in reverse: close the tab and the browser (waiting for
	// the process) before t.TempDir removes the profile.
	t.Cleanup(func() {
		b.mu.Lock()
		b.done = true
		b.mu.Unlock()
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return b
}

// logf passes chromedp's messages to the test log while the test runs
// (t.Logf panics once the test is over).
func (b *browser) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		b.t.Logf(format, args...)
	}
}

// observe runs in chromedp's event loop for every event of the tab: it
// must be quick and must not send commands.
func (b *browser) observe(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			b.problem(fmt.Sprintf("HTTP %d %s", ev.Response.Status, b.path(ev.Response.URL)))
		}
	case *network.EventLoadingFailed:
		if ev.Canceled {
			return // e.g. a navigation that replaced a pending one
		}
		msg := fmt.Sprintf("request failed: %s %s", b.path(b.urls[ev.RequestID]), ev.ErrorText)
		if ev.BlockedReason != "" {
			msg += " (blocked: " + string(ev.BlockedReason) + ")"
		}
		b.problem(msg)
	case *runtime.EventExceptionThrown:
		b.problem("uncaught exception: " + exceptionText(ev.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		// Lekwacht has no JavaScript of its own; any console call is unexpected.
		var args []string
		for _, a := range ev.Args {
			args = append(args, string(a.Value)+a.Description)
		}
		b.problem(fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning || e.Source == log.EntrySourceSecurity {
			b.problem(fmt.Sprintf("browser log (%s, %s): %s %s", e.Source, e.Level, e.Text, b.path(e.URL)))
		}
	}
}

// problem records msg unless the test announced it (see expectHTTPError).
// b.mu must be held.
func (b *browser) problem(msg string) {
	for pattern, n := range b.expected {
		if n > 0 && strings.Contains(msg, pattern) {
			b.expected[pattern]--
			return
		}
	}
	b.problems = append(b.problems, msg)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return s
}

// path strips the test server's address from a URL, for short messages.
func (b *browser) path(u string) string { return strings.TrimPrefix(u, b.app.URL) }

// expectHTTPError declares that the next response with this status for
// this path is provoked on purpose (e.g. 422 for a refused form), and so is
// the browser's log entry about it. Expectations last until the next
// assertNoProblems.
func (b *browser) expectHTTPError(status int, path string) {
	b.expect(fmt.Sprintf("HTTP %d %s", status, path),
		fmt.Sprintf("the server responded with a status of %d (%s) %s", status, http.StatusText(status), path))
}

// expectLoadFailure declares a failed load of path with this error as
// provoked on purpose.
func (b *browser) expectLoadFailure(path, errorText string) {
	b.expect(fmt.Sprintf("request failed: %s %s", path, errorText))
}

func (b *browser) expect(patterns ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range patterns {
		b.expected[p]++
	}
}

// takeProblems returns and forgets what went wrong so far.
func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// assertNoProblems fails the test when the page reported anything wrong
// since the last check; when says where in the journey we are.
func (b *browser) assertNoProblems(when string) {
	b.t.Helper()
	// Events arrive asynchronously; give stragglers of the last page a moment.
	b.settle()
	b.mu.Lock()
	clear(b.expected)
	b.mu.Unlock()
	if p := b.takeProblems(); len(p) > 0 {
		b.t.Errorf("%s: the browser reported problems:\n  %s", when, strings.Join(p, "\n  "))
	}
	b.checkPage(when)
}

// axeSource is axe-core (npm, pinned in web/assets; `make assets` copies it).
//
//go:embed testdata/axe.min.js
var axeSource string

// pageWidths are the widths every page state is checked at: a laptop and a
// phone.
var pageWidths = []int64{1280, 390}

// checkPage checks the page as it is now at each of pageWidths: axe-core
// finds no violation of WCAG 2.1 A and AA, and the page does not scroll
// sideways. With LEKWACHT_SCREENSHOTS set (make test sets .data/screenshots)
// it keeps a screenshot of each width there. when names the page state.
func (b *browser) checkPage(when string) {
	b.t.Helper()
	start := time.Now()
	defer func() {
		b.t.Logf("checked %q at %v px in %s", when, pageWidths, time.Since(start).Round(time.Millisecond))
	}()
	for _, w := range pageWidths {
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(w, 900)); err != nil {
			b.fatal(fmt.Sprintf("set the width to %d px", w), err)
		}
		b.settle()
		if eval[bool](b, "is axe-core loaded", `typeof axe === "object"`) == false {
			eval[bool](b, "load axe-core", axeSource+"\n;true")
		}
		res, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.fatal(fmt.Sprintf("%s: run axe-core at %d px", when, w), err)
		}
		var violations []struct {
			ID, Help string
			Nodes    []string
		}
		if err := json.Unmarshal([]byte(res), &violations); err != nil {
			b.t.Fatalf("%s: axe-core's answer: %v", when, err)
		}
		for _, v := range violations {
			b.t.Errorf("%s at %d px: axe-core: %s (%s) on %s", when, w, v.ID, v.Help, strings.Join(v.Nodes, " | "))
		}
		if wide := eval[[]int64](b, "measure the page width", `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); wide[0] > wide[1] {
			culprits := eval[[]string](b, "find what is too wide", `(() => { const cw = document.documentElement.clientWidth + 1, out = e => e.getBoundingClientRect().right > cw, hidden = e => { for (let a = e; a; a = a.parentElement) if (getComputedStyle(a).position === "absolute") return true; return false }; return [...document.querySelectorAll("body *")].filter(e => out(e) && !hidden(e) && ![...e.children].some(out)).slice(0, 5) })().map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : "") + (e.dataset.testid ? "[" + e.dataset.testid + "]" : ""))`)
			b.t.Errorf("%s at %d px: the page scrolls sideways (%d px wide in a %d px window); too wide: %s", when, w, wide[0], wide[1], strings.Join(culprits, ", "))
		}
		// A choice's label squeezed into a column too narrow for its words
		// (issue 14.5: labels never overlap or break letter by letter).
		if squeezed := eval[[]string](b, "find squeezed labels", `[...document.querySelectorAll(".lw-choice label")].filter(l => l.getClientRects().length && l.textContent.trim().length > 12 && l.getBoundingClientRect().width < 100).slice(0, 5).map(l => l.textContent.trim().slice(0, 40))`); len(squeezed) > 0 {
			b.t.Errorf("%s at %d px: choice labels squeezed too narrow to read: %q", when, w, squeezed)
		}
		// A select whose browser arrow the component hides must draw its own,
		// or it looks like a text field (found at 390 px after the NL DS restyle).
		if flat := eval[[]string](b, "find selects without an arrow", `[...document.querySelectorAll("select:not([multiple])")].filter(s => s.getClientRects().length && getComputedStyle(s).appearance === "none" && getComputedStyle(s).backgroundImage === "none").slice(0, 5).map(s => s.name || s.id)`); len(flat) > 0 {
			b.t.Errorf("%s at %d px: selects without an arrow, they look like text fields: %q", when, w, flat)
		}
		if dir := os.Getenv("LEKWACHT_SCREENSHOTS"); dir != "" {
			shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(70))
			if err != nil {
				b.fatal("screenshot of "+when, err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.t.Fatalf("LEKWACHT_SCREENSHOTS=%s: %v", dir, err)
			}
			name := fmt.Sprintf("%s-%s-%d.jpg", shotName(b.t.Name()), shotName(when), w)
			if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		b.fatal("reset the width", err)
	}
	b.settle()
}

// shotName makes a file name of a test or page state name.
func shotName(s string) string {
	s = strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(s, "-"))
	return strings.Trim(s, "-")
}

// settle waits until the events of the current page are in: a round trip
// through the page's event loop.
func (b *browser) settle() {
	_, _ = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 50))`, chromedp.EvalAwaitPromise))
}

// do runs steps and fails the test with what when one fails.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.fatal(what, err)
	}
}

// fatal stops the test with a message and where the browser is.
func (b *browser) fatal(what string, err error) {
	b.t.Helper()
	loc, _ := runQuick(b, chromedp.Location())
	if loc == "" {
		loc = "?"
	}
	switch {
	case b.ctx.Err() != nil:
		err = fmt.Errorf("%w (the whole test may take at most %s)", err, b.limit)
	case errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("not on the page within %s", quickWait)
	}
	b.t.Fatalf("%s: %v (browser at %s)", what, err, b.path(loc))
}

// quickWait bounds a lookup of an element that should be there already, so
// that a missing one fails fast with a clear message.
const quickWait = 5 * time.Second

// runQuick runs one action that must not wait long.
func runQuick[T any](b *browser, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, quickWait)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// navigate opens a path and returns the HTTP status of the final document.
func (b *browser) navigate(path string) int64 {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.app.URL+path))
	if err != nil {
		b.fatal("open "+path, err)
	}
	return res.Status
}

// follow runs steps that start a navigation (a click on a link or a submit
// button), waits for the new page and returns its HTTP status.
func (b *browser) follow(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, steps...)
	if err != nil {
		b.fatal(what, err)
	}
	if res == nil {
		b.t.Fatalf("%s: no document response", what)
	}
	return res.Status
}

// location returns the path (and query) the browser shows.
func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatal("read the location", err)
	}
	return b.path(loc)
}

// testID selects the element with data-testid=id.
func testID(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// text returns the visible text of the first element sel matches; it fails
// the test when there is none within a few seconds.
func (b *browser) text(sel chromedp.CSS) string {
	b.t.Helper()
	s, err := runQuick(b, chromedp.Text(sel, chromedp.NodeVisible))
	if err != nil {
		b.fatal(fmt.Sprintf("read the text of %s", sel), err)
	}
	return strings.TrimSpace(s)
}

// value returns the current value of a form control.
func (b *browser) value(sel chromedp.CSS) string {
	b.t.Helper()
	s, err := runQuick(b, chromedp.Value(sel))
	if err != nil {
		b.fatal(fmt.Sprintf("read the value of %s", sel), err)
	}
	return s
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, what, expr string) T {
	b.t.Helper()
	v, err := runQuick(b, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatal(what, err)
	}
	return v
}

// count returns how many elements match a CSS selector (no waiting).
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, "count "+sel, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// selectedText returns the label of the chosen option of a select.
func (b *browser) selectedText(sel string) string {
	b.t.Helper()
	return eval[string](b, "read the choice of "+sel, fmt.Sprintf(`(() => { const s = document.querySelector(%q); return s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].textContent.trim() })()`, sel))
}

// chooseOption picks the option of a select by its visible label, as a user
// would, and fails when there is no such option.
func (b *browser) chooseOption(sel, label string) {
	b.t.Helper()
	v := eval[*string](b, "find option "+label, fmt.Sprintf(`(() => { const o = [...document.querySelectorAll(%q + " option")].find(o => o.textContent.trim() === %q); return o ? o.value : null })()`, sel, label))
	if v == nil {
		b.t.Fatalf("the select %s has no option %q", sel, label)
	}
	b.do("choose "+label+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), *v))
}

// screenshot saves a full-page PNG as name.png in the run's directory and,
// when LEKWACHT_SCREENSHOTS names a directory, copies it there.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatal("screenshot "+name, err)
	}
	if len(png) < 1000 {
		b.t.Fatalf("screenshot %s: only %d bytes", name, len(png))
	}
	file := name + ".png"
	if err := os.WriteFile(filepath.Join(b.shot, file), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if dir := os.Getenv("LEKWACHT_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.t.Fatalf("LEKWACHT_SCREENSHOTS=%s: %v", dir, err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			b.t.Fatalf("copy screenshot to LEKWACHT_SCREENSHOTS: %v", err)
		}
		b.t.Logf("screenshot: %s", filepath.Join(dir, file))
	}
}

// attr returns an attribute of the first element an XPath or CSS search
// finds.
func (b *browser) attr(search, name string) string {
	b.t.Helper()
	res, err := runQuick(b, chromedp.AttributeValue(chromedp.Search(search), name))
	if err != nil {
		b.fatal(fmt.Sprintf("read %s of %s", name, search), err)
	}
	return res.Value
}

// tableRows returns the text of the body cells of a table, row by row,
// with white space collapsed.
func (b *browser) tableRows(table string) [][]string {
	b.t.Helper()
	if _, err := runQuick(b, chromedp.Query(chromedp.CSS(table), chromedp.NodeVisible)); err != nil {
		b.fatal("find the table "+table, err)
	}
	return eval[[][]string](b, "read the table "+table, fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(r => [...r.cells].map(c => c.textContent.replace(/\s+/g, " ").trim()))`,
		table+" tbody tr"))
}

// facts returns the terms and descriptions of the case page's fact lists.
func (b *browser) facts() map[string]string {
	b.t.Helper()
	return eval[map[string]string](b, "read the facts", `Object.fromEntries([...document.querySelectorAll("dl.facts dt")].map(dt =>
		[dt.textContent.trim(), dt.nextElementSibling ? dt.nextElementSibling.textContent.trim() : ""]))`)
}

// phoneScreenshot shows the page at 390 CSS pixels wide, like a phone,
// takes a full-page screenshot and goes back to the desktop size. With
// noOverflow it also fails the test when the page is wider than the screen
// (which makes people scroll sideways), naming the widest elements.
func (b *browser) phoneScreenshot(name string, noOverflow bool) {
	b.t.Helper()
	b.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait))
	defer b.do("back to the desktop size", chromedp.EmulateViewport(1280, 900))
	b.settle()
	if noOverflow {
		wide := eval[[]string](b, "look for horizontal overflow", `(() => {
			const w = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth <= w) return [];
			return [...document.querySelectorAll("body *")]
				.filter(e => e.getBoundingClientRect().right > w + 1)
				.slice(0, 5)
				.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") +
					" right=" + Math.round(e.getBoundingClientRect().right))
				.concat(["viewport " + w + ", page " + document.documentElement.scrollWidth]);
		})()`)
		if len(wide) > 0 {
			b.t.Errorf("%s: at 390 px the page is wider than the screen: %s", name, strings.Join(wide, "; "))
		}
	}
	b.screenshot(name)
}

// expectErrorSummary checks a refused form as a person meets it (issue
// 14.3, the GOV.UK error-summary pattern): the error summary has the focus
// when the page opens, names each problem as a link, links at least to the
// fields in want, and each link moves the focus to its field (for a group of
// choices, to one of its choices).
func (b *browser) expectErrorSummary(when string, want ...string) {
	b.t.Helper()
	if got := eval[string](b, "what has the focus", `document.activeElement ? (document.activeElement.dataset.testid || document.activeElement.tagName) : ""`); got != "form-error" {
		b.t.Errorf("%s: after the refusal the focus is on %q, want the error summary", when, got)
	}
	fields := eval[[]string](b, "the summary's links", `[...document.querySelectorAll('[data-testid="form-error-links"] a')].map(a => a.dataset.field)`)
	// Title above the links, at the summary's full width: side by side (the
	// alert is a row) the title was squeezed to a word a line on a phone.
	if beside := eval[bool](b, "the summary's layout", `(() => { const s = document.querySelector('[data-testid="form-error"]'), h = s.querySelector("h2"), l = s.querySelector("ul"); return !!l && l.getBoundingClientRect().top < h.getBoundingClientRect().bottom })()`); beside {
		b.t.Errorf("%s: the error summary's links stand beside its title instead of below it", when)
	}
	for _, f := range want {
		if !slices.Contains(fields, f) {
			b.t.Errorf("%s: the error summary links to %q, want a link to %s", when, fields, f)
		}
	}
	for _, f := range fields {
		b.do("follow the summary's link to "+f, chromedp.Click(chromedp.CSS(`[data-testid="form-error-links"] a[data-field="`+f+`"]`), chromedp.NodeVisible))
		if got := eval[string](b, "the focus after the link", fmt.Sprintf(`(() => { const el = document.getElementById(%q), a = document.activeElement; return el && a && a !== document.body && (el === a || el.contains(a)) ? "" : (a && (a.id || a.name || a.tagName)) || "nothing" })()`, f)); got != "" {
			b.t.Errorf("%s: the summary's link to %s puts the focus on %q, not in that field", when, f, got)
		}
	}
}

// caseNumberPattern is the format of a case number: year and sequence.
var caseNumberPattern = regexp.MustCompile(`^\d{4}-\d{4}$`)
