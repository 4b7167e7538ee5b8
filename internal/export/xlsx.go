package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/incident"
)

// XLSXContentType is the media type of the Excel export.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet names of the Excel export.
const (
	SheetRegister = "Register"
	SheetTimeline = "Tijdlijn"
)

// TimelineHeader is the header row of the timeline sheet.
var TimelineHeader = []string{"Zaaknummer", "Moment", "Door", "Gebeurtenis"}

// The cell styles of the workbook (the cellXfs of xlsxStyles, by index).
const (
	styleHead = 1 // bold on a light blue fill, wrapped, top
	styleDate = 2 // dd-mm-jjjj uu:mm, top
	styleText = 3 // wrapped, top
)

// XLSX writes the register as an Excel workbook with two sheets: the
// register (one row per case, the columns of incident.RegisterColumns) and
// the timeline of those cases (one row per event). Moments are real Excel
// dates in Europe/Amsterdam wall time; the header row and the case number
// are frozen; every text is an inline string cell, never a formula.
//
// The workbook is written by hand (SpreadsheetML, ECMA-376), not with
// excelize: excelize's StreamWriter cost about 1.5 µs and six allocations
// per cell (issue 13: BenchmarkXLSX, 100,000 cases, 6.6 s and 29.5 M
// allocations against 1.5 s and 3.2 M written here), most of the export's
// own time and more than the whole 6 s target allowed. excelize still reads
// every workbook back in the tests (TestXLSXReadsBackAsWritten) and reads
// the imports. Each sheet is
// deflated straight into the zip on w as its batches arrive: the register,
// then the timeline, which the source hands over after the entries. The
// batches are read from src in a goroutine of their own, one batch ahead of
// the writing (see prefetch), so PostgreSQL's work and ours overlap.
func XLSX(ctx context.Context, w io.Writer, m Meta, src Source) error {
	zw := fastZip(w)
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRootRels},
		{"docProps/core.xml", xlsxCore(m)},
		{"docProps/app.xml", xlsxApp},
		{"xl/workbook.xml", xlsxWorkbook},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
		{"xl/styles.xml", xlsxStyles},
	} {
		f, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	part, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	reg := newSheetWriter(part)
	widths := make([]float64, len(incident.RegisterColumns))
	header := make([]string, len(incident.RegisterColumns))
	for i, c := range incident.RegisterColumns {
		widths[i], header[i] = c.Width, c.Header
	}
	reg.start(true, widths)
	reg.headerRow(header)

	var tl *sheetWriter // the timeline, once the register is done
	startTimeline := func() error {
		if err := reg.finish(); err != nil {
			return fmt.Errorf("xlsx register: %w", err)
		}
		part, err := zw.Create("xl/worksheets/sheet2.xml")
		if err != nil {
			return err
		}
		tl = newSheetWriter(part)
		tl.start(false, []float64{11, 17, 22, 80})
		tl.headerRow(TimelineHeader)
		return tl.err
	}
	err = prefetch(ctx, src, true, func(batch []incident.RegisterEntry, events []incident.RegisterEvent) error {
		for _, e := range batch {
			reg.beginRow()
			for i, c := range incident.RegisterColumns {
				v := c.Value(e, m.Location)
				switch {
				case v.Time != nil:
					reg.dateCell(i, wallClock(*v.Time, m.Location))
				case v.Number != nil:
					reg.numberCell(i, styleText, *v.Number)
				case v.Text != "":
					reg.textCell(i, styleText, v.Text)
				}
			}
			reg.endRow()
		}
		if len(batch) > 0 {
			return reg.err
		}
		if tl == nil {
			if err := startTimeline(); err != nil {
				return err
			}
		}
		for _, ev := range events {
			tl.beginRow()
			tl.caseNumberCell(0, ev.CaseNumber)
			tl.dateCell(1, wallClock(ev.At, m.Location))
			if ev.ActorName != "" {
				tl.textCell(2, 0, ev.ActorName)
			}
			tl.textCell(3, styleText, ev.Summary)
			tl.endRow()
		}
		return tl.err
	})
	if err != nil {
		return err
	}
	if tl == nil { // no events at all
		if err := startTimeline(); err != nil {
			return err
		}
	}
	if err := tl.finish(); err != nil {
		return fmt.Errorf("xlsx timeline: %w", err)
	}
	return zw.Close()
}

// prefetch calls fn with each batch of src's entries and then (with
// timeline) each batch of its events, one kind at a time, reading the next
// batch in a goroutine while fn writes the current one: at most two batches
// are in memory.
func prefetch(ctx context.Context, src Source, timeline bool, fn func([]incident.RegisterEntry, []incident.RegisterEvent) error) error {
	type item struct {
		batch  []incident.RegisterEntry
		events []incident.RegisterEvent
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	items := make(chan item)
	send := func(it item) error {
		select {
		case items <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var events func([]incident.RegisterEvent) error
	if timeline {
		events = func(evs []incident.RegisterEvent) error { return send(item{events: evs}) }
	}
	done := make(chan error, 1)
	go func() {
		defer close(items)
		done <- src.Each(ctx, func(batch []incident.RegisterEntry) error { return send(item{batch: batch}) }, events)
	}()
	var werr error
	for it := range items {
		if werr != nil {
			continue // drain until the reader stops
		}
		if werr = fn(it.batch, it.events); werr != nil {
			cancel()
		}
	}
	rerr := <-done
	if werr != nil {
		return werr
	}
	return rerr
}

// sheetWriter writes one worksheet's XML row by row into a buffered writer,
// appending each cell to one reused byte slice: no allocation per cell.
type sheetWriter struct {
	w   *bufio.Writer
	buf []byte
	row int
	err error
}

func newSheetWriter(w io.Writer) *sheetWriter {
	return &sheetWriter{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 8<<10)}
}

const xlsxNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// start writes the sheet's head: the view with the header row and the
// first column frozen, the column widths.
func (s *sheetWriter) start(selected bool, widths []float64) {
	b := append(s.buf[:0], xml.Header...)
	b = append(b, `<worksheet `+xlsxNS+`><sheetViews><sheetView`...)
	if selected {
		b = append(b, ` tabSelected="1"`...)
	}
	b = append(b, ` workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>`+
		`<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>`+
		`<sheetFormatPr defaultRowHeight="15"/><cols>`...)
	for i, wd := range widths {
		b = append(b, `<col min="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" max="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" width="`...)
		b = strconv.AppendFloat(b, wd, 'f', -1, 64)
		b = append(b, `" customWidth="1"/>`...)
	}
	b = append(b, `</cols><sheetData>`...)
	s.buf = b
	s.flush()
}

func (s *sheetWriter) headerRow(cells []string) {
	s.beginRow()
	for i, h := range cells {
		s.textCell(i, styleHead, h)
	}
	s.endRow()
}

func (s *sheetWriter) beginRow() {
	s.row++
	b := append(s.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(s.row), 10)
	s.buf = append(b, `">`...)
}

func (s *sheetWriter) endRow() {
	s.buf = append(s.buf, `</row>`...)
	s.flush()
}

func (s *sheetWriter) flush() {
	if s.err == nil {
		_, s.err = s.w.Write(s.buf)
	}
	s.buf = s.buf[:0]
}

func (s *sheetWriter) finish() error {
	s.buf = append(s.buf[:0], `</sheetData></worksheet>`...)
	s.flush()
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

// cellStart appends `<c r="B7"` and the style.
func (s *sheetWriter) cellStart(col, style int) {
	b := append(s.buf, `<c r="`...)
	b = appendColumn(b, col)
	b = strconv.AppendInt(b, int64(s.row), 10)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	s.buf = b
}

func (s *sheetWriter) textCell(col, style int, text string) {
	s.cellStart(col, style)
	b := append(s.buf, ` t="inlineStr"><is><t`...)
	if needsPreserve(text) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendCellText(b, text)
	s.buf = append(b, `</t></is></c>`...)
}

func (s *sheetWriter) caseNumberCell(col int, n incident.Number) {
	s.cellStart(col, 0)
	b := append(s.buf, ` t="inlineStr"><is><t>`...)
	b = n.Append(b)
	s.buf = append(b, `</t></is></c>`...)
}

func (s *sheetWriter) numberCell(col, style, n int) {
	s.cellStart(col, style)
	b := append(s.buf, `><v>`...)
	b = strconv.AppendInt(b, int64(n), 10)
	s.buf = append(b, `</v></c>`...)
}

func (s *sheetWriter) dateCell(col int, wall time.Time) {
	s.cellStart(col, styleDate)
	b := append(s.buf, `><v>`...)
	b = strconv.AppendFloat(b, excelSerial(wall), 'f', -1, 64)
	s.buf = append(b, `</v></c>`...)
}

// appendColumn appends the letters of a zero-based column index (A, …, Z,
// AA, …).
func appendColumn(b []byte, col int) []byte {
	if col >= 26 {
		b = appendColumn(b, col/26-1)
	}
	return append(b, byte('A'+col%26))
}

// excelMaxChars is the most characters (UTF-16 code units) a cell holds.
const excelMaxChars = 32767

// needsPreserve: a text that starts or ends with white space keeps it.
func needsPreserve(s string) bool {
	if s == "" {
		return false
	}
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	return isSpace(s[0]) || isSpace(s[len(s)-1])
}

// appendCellText appends a text as the content of a <t> element: XML
// escaped, characters XML cannot hold replaced by U+FFFD, a literal
// "_xHHHH_" kept from being read as an escape (as "_x005F_xHHHH_", ECMA-376
// 22.9.2.19), at most excelMaxChars UTF-16 units (Excel's limit). Runs of
// plain text are copied as they are.
func appendCellText(b []byte, s string) []byte {
	if len(s) > excelMaxChars { // a UTF-16 unit takes at least one byte
		s = truncateUTF16(s, excelMaxChars)
	}
	plain := 0 // start of the run of plain text not yet copied
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		size := 1
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if !(r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF) {
				i += n
				continue
			}
			esc = "\uFFFD"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\r':
			esc = "&#xD;"
		case c == '\t' || c == '\n':
			i++
			continue
		case c < 0x20:
			esc = "\uFFFD"
		case c == '_' && isBstrEscape(s[i:]):
			esc = "_x005F_"
		default:
			i++
			continue
		}
		b = append(b, s[plain:i]...)
		b = append(b, esc...)
		i += size
		plain = i
	}
	return append(b, s[plain:]...)
}

// truncateUTF16 cuts s after max UTF-16 code units, at a character's end.
func truncateUTF16(s string, max int) string {
	units := 0
	for i, r := range s {
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > max {
			return s[:i]
		}
		units += n
	}
	return s
}

// isBstrEscape: s starts with "_xHHHH_" (four hexadecimal digits).
func isBstrEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// excelSerial is a wall time as an Excel date: days since 30 December 1899
// (the 1900 date system with its leap day that was not), as excelize
// computes it.
func excelSerial(t time.Time) float64 {
	const day = 24 * time.Hour
	diff := t.Sub(time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC))
	if diff < 0 {
		return 0
	}
	rem := diff % day
	v := float64(diff-rem)/float64(day) + float64(rem)/float64(day)
	if t.After(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		v++
	}
	return v
}

// wallClock is t's Europe/Amsterdam wall time as a UTC time: Excel dates
// have no time zone, so this makes the cell show the Dutch time.
func wallClock(t time.Time, loc *time.Location) time.Time {
	w := t.In(loc)
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}

// fastZip is a zip writer that deflates at flate.BestSpeed: a quarter of
// the export's time went to compressing at the default level, for a file
// about a fifth smaller.
func fastZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func xlsxCore(m Meta) string {
	created := m.PrintedAt.UTC().Format(time.RFC3339)
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText("Datalekregister "+m.Organisation) + `</dc:title><dc:creator>Lekwacht</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + created + `</dcterms:modified></cp:coreProperties>`
}

const xlsxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const xlsxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const xlsxApp = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
	`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Lekwacht</Application></Properties>`

const xlsxWorkbook = xml.Header + `<workbook ` + xlsxNS + `><bookViews><workbookView/></bookViews><sheets>` +
	`<sheet name="` + SheetRegister + `" sheetId="1" r:id="rId1"/>` +
	`<sheet name="` + SheetTimeline + `" sheetId="2" r:id="rId2"/>` +
	`</sheets></workbook>`

const xlsxWorkbookRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

// xlsxStyles: cellXfs 0 the default, then styleHead, styleDate, styleText.
const xlsxStyles = xml.Header + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="dd-mm-yyyy hh:mm"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`<dxfs count="0"/><tableStyles count="0"/></styleSheet>`
