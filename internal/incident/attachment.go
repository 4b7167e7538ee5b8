package incident

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/mail"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

// MaxAttachmentSize is the largest file a case takes: 10 MiB. Evidence,
// the AP's confirmation and letters fit easily; anything larger is refused
// before it is stored.
const MaxAttachmentSize = 10 << 20

// EventAttachmentAdded is the timeline kind of an upload.
const EventAttachmentAdded = "attachment_added"

// AttachmentKind says what an attachment is for.
type AttachmentKind string

// Attachment kinds.
const (
	AttachEvidence       AttachmentKind = "evidence"        // screenshots, photos, the e-mail that went astray
	AttachAPConfirmation AttachmentKind = "ap_confirmation" // the AP's confirmation of a notification
	AttachSubjectsNotice AttachmentKind = "subjects_notice" // the message sent to data subjects
	AttachLetter         AttachmentKind = "letter"          // other correspondence
	AttachOther          AttachmentKind = "other"
)

// AttachmentKinds lists every kind in display order.
var AttachmentKinds = []AttachmentKind{AttachEvidence, AttachAPConfirmation, AttachSubjectsNotice, AttachLetter, AttachOther}

// Valid reports whether k is a known kind.
func (k AttachmentKind) Valid() bool { return slices.Contains(AttachmentKinds, k) }

// Label is the Dutch name of the kind.
func (k AttachmentKind) Label() string {
	switch k {
	case AttachEvidence:
		return "Bewijs"
	case AttachAPConfirmation:
		return "Bevestiging van de AP"
	case AttachSubjectsNotice:
		return "Bericht aan betrokkenen"
	case AttachLetter:
		return "Brief of correspondentie"
	case AttachOther:
		return "Overig"
	}
	return string(k)
}

// Attachment is a file on a case as lists show it: everything but the
// content itself.
type Attachment struct {
	ID     int64
	CaseID int64
	Kind   AttachmentKind
	// Filename is sanitised: safe to show and to offer as a download name.
	Filename string
	// ContentType is the type detected from the content, never the one the
	// browser claimed.
	ContentType  string
	Size         int64
	SHA256       []byte
	UploadedAt   time.Time
	UploadedByID int64
	UploadedBy   string
}

// TypeLabel is the file type in words: "PDF", "Word", "JPEG".
func (a Attachment) TypeLabel() string { return ContentTypeLabel(a.ContentType) }

// SizeLabel is the size in kB or MB.
func (a Attachment) SizeLabel() string { return SizeLabel(a.Size) }

// SizeLabel formats a size in bytes in Dutch: "1 kB", "120 kB", "2,4 MB".
func SizeLabel(n int64) string {
	const kb, mb = 1024, 1024 * 1024
	if n < mb {
		k := (n + kb - 1) / kb
		if k < 1 {
			k = 1
		}
		return strconv.FormatInt(k, 10) + " kB"
	}
	s := strconv.FormatFloat(float64(n)/mb, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " MB"
}

// AttachmentUploadKinds returns the kinds of attachment the actor may add to
// case c now, in display order; none means no uploads at all. closed is true
// when the actor could add some if the case were still open.
//
// Who may upload, and why:
//   - the desk, officer and board of the case's school (those who read the
//     case in full): every kind — they gather evidence, receive the AP's
//     confirmation and send the letters;
//   - the assigned technician: evidence and other (logs, screenshots, a
//     forensic report); the AP's confirmation, the notice to data subjects
//     and letters are not theirs to file;
//   - the reporter: evidence only, on their own case (what they found);
//   - the addressee of an open question: nothing (they answer in text), nor
//     administrators (they manage accounts, not cases).
//
// A closed case takes uploads only from the officer of its school, of every
// kind: the AP's confirmation, or its reply to a supplement, can arrive
// after the case was closed.
func AttachmentUploadKinds(a *access.Actor, c *Case, rel Relation) (kinds []AttachmentKind, closed bool) {
	if a == nil || c == nil || a.UserID == 0 || a.OrganisationID != c.OrganisationID {
		return nil, false
	}
	if c.Status == StatusClosed {
		if a.ScopeFor(access.Officer).Covers(c.SchoolID) {
			return AttachmentKinds, false
		}
		if len(uploadKinds(a, c, rel)) > 0 {
			return nil, true
		}
		return nil, false
	}
	return uploadKinds(a, c, rel), false
}

func uploadKinds(a *access.Actor, c *Case, rel Relation) []AttachmentKind {
	if ReadScope(a).Covers(c.SchoolID) {
		return AttachmentKinds
	}
	var out []AttachmentKind
	if rel.AssignedTechnician && a.Has(access.Technician) {
		out = append(out, AttachEvidence, AttachOther)
	}
	if c.ReportedBy(a.UserID) && !slices.Contains(out, AttachEvidence) {
		out = append([]AttachmentKind{AttachEvidence}, out...)
	}
	return out
}

// SeesAllAttachments reports whether the actor sees every attachment of case
// c: the desk, officer and board of its school, and its assigned technician.
// Anyone else who may view the case (its reporter, the addressee of a
// question) sees only what they uploaded themselves: evidence and letters
// may name other pupils, parents or staff.
func SeesAllAttachments(a *access.Actor, c *Case, rel Relation) bool {
	if a == nil || c == nil || a.OrganisationID != c.OrganisationID {
		return false
	}
	return ReadScope(a).Covers(c.SchoolID) || (rel.AssignedTechnician && a.Has(access.Technician))
}

// CheckedFile is an upload whose type was recognised from its content.
type CheckedFile struct {
	// Filename is the sanitised name, with an extension that fits the type.
	Filename    string
	ContentType string
}

// AllowedAttachmentTypes names, for users, what a case takes.
const AllowedAttachmentTypes = "pdf, afbeeldingen (png, jpeg, gif, webp), platte tekst (.txt, .csv), " +
	"e-mails (.eml) en Office-documenten (.docx, .xlsx, .pptx, .odt)"

// Content types as stored and served.
const (
	typePDF  = "application/pdf"
	typePNG  = "image/png"
	typeJPEG = "image/jpeg"
	typeGIF  = "image/gif"
	typeWebP = "image/webp"
	typeText = "text/plain; charset=utf-8"
	// typeLegacyText is text in an older encoding (often Windows-1252 from
	// Excel or Notepad); the download leaves the charset to the reader.
	typeLegacyText = "text/plain"
	typeMail       = "message/rfc822"
	typeDOCX       = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX       = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typePPTX       = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	typeODT        = "application/vnd.oasis.opendocument.text"
)

// extensions lists, per type, the extensions a file of that type may keep;
// the first is added when the name has none of them, so that a text file
// named "brief.html" is saved as "brief.html.txt" and opens as text.
var extensions = map[string][]string{
	typePDF:        {".pdf"},
	typePNG:        {".png"},
	typeJPEG:       {".jpg", ".jpeg"},
	typeGIF:        {".gif"},
	typeWebP:       {".webp"},
	typeText:       {".txt", ".csv", ".log"},
	typeLegacyText: {".txt", ".csv", ".log"},
	typeMail:       {".eml"},
	typeDOCX:       {".docx"},
	typeXLSX:       {".xlsx"},
	typePPTX:       {".pptx"},
	typeODT:        {".odt"},
}

// ContentTypeLabel names a stored content type for users.
func ContentTypeLabel(ct string) string {
	switch ct {
	case typePDF:
		return "PDF"
	case typePNG:
		return "PNG"
	case typeJPEG:
		return "JPEG"
	case typeGIF:
		return "GIF"
	case typeWebP:
		return "WebP"
	case typeText, typeLegacyText:
		return "tekst"
	case typeMail:
		return "e-mail"
	case typeDOCX:
		return "Word"
	case typeXLSX:
		return "Excel"
	case typePPTX:
		return "PowerPoint"
	case typeODT:
		return "OpenDocument-tekst"
	}
	return "bestand"
}

// CheckAttachment recognises an upload's type from its content (what the
// browser claimed is ignored) and refuses anything that is not an allowed
// type: HTML, SVG, scripts, executables, archives and everything unknown.
// data must be the whole file.
func CheckAttachment(filename string, data []byte) (CheckedFile, error) {
	refuse := func(msg string) (CheckedFile, error) {
		return CheckedFile{}, apperr.FieldErrors{"file": msg}.Err()
	}
	if len(data) == 0 {
		return refuse("Het bestand is leeg. Kies het juiste bestand.")
	}
	if len(data) > MaxAttachmentSize {
		return refuse("Het bestand is groter dan 10 MB. Verklein het (bijvoorbeeld een foto met een lagere resolutie) of verdeel het over meer bestanden.")
	}
	name := SanitiseFilename(filename)
	ext := strings.ToLower(path.Ext(name))
	ct := detect(ext, data)
	if ct == "" {
		return refuse("Dit soort bestand kan niet als bijlage worden toegevoegd. Toegestaan zijn " + AllowedAttachmentTypes + ".")
	}
	if !slices.Contains(extensions[ct], ext) {
		base := name
		if base == "" {
			base = "bijlage"
		}
		name = base + extensions[ct][0]
	}
	return CheckedFile{Filename: name, ContentType: ct}, nil
}

// detect returns the allowed content type of data, or "" when it is not one.
func detect(ext string, data []byte) string {
	sniffed := http.DetectContentType(data)
	switch sniffed {
	case typePDF:
		// DetectContentType checks "%PDF-" at the very start.
		return typePDF
	case typePNG:
		if _, err := png.DecodeConfig(bytes.NewReader(data)); err == nil {
			return typePNG
		}
	case typeJPEG:
		if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil {
			return typeJPEG
		}
	case typeGIF:
		if _, err := gif.DecodeConfig(bytes.NewReader(data)); err == nil {
			return typeGIF
		}
	case typeWebP:
		// "RIFF" size "WEBPVP": the standard library has no WebP decoder;
		// check that the RIFF size matches the file.
		if len(data) >= 16 && int64(le32(data[4:8]))+8 == int64(len(data)) {
			return typeWebP
		}
	case "application/zip":
		return office(ext, data)
	case typeText:
		if !plainText(data) {
			return ""
		}
		if ext == ".eml" {
			if isMail(data) {
				return typeMail
			}
			return ""
		}
		if looksLikeMarkup(data) {
			return ""
		}
		if !utf8.Valid(data) {
			return typeLegacyText
		}
		return typeText
	}
	return ""
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// office accepts a zip only when its name says it is an Office document and
// its contents agree: OOXML has [Content_Types].xml and its main part,
// OpenDocument a "mimetype" entry naming its type. Nothing is unpacked but
// that one short entry.
func office(ext string, data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	has := func(prefix string) bool {
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, prefix) {
				return true
			}
		}
		return false
	}
	switch ext {
	case ".docx":
		if has("[Content_Types].xml") && has("word/") {
			return typeDOCX
		}
	case ".xlsx":
		if has("[Content_Types].xml") && has("xl/") {
			return typeXLSX
		}
	case ".pptx":
		if has("[Content_Types].xml") && has("ppt/") {
			return typePPTX
		}
	case ".odt":
		f, err := zr.Open("mimetype")
		if err != nil {
			return ""
		}
		defer f.Close()
		b, _ := io.ReadAll(io.LimitReader(f, 100))
		if string(b) == typeODT {
			return typeODT
		}
	}
	return ""
}

// plainText reports whether the whole file is text: no control characters
// other than tab, line breaks and form feed (DetectContentType looks at the
// first 512 bytes only).
func plainText(data []byte) bool {
	for _, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' {
			return false
		}
	}
	return true
}

// markup holds what makes "text" HTML, SVG or XML that a browser would
// render rather than show; such text is refused, and so is text that starts
// with a tag or a script's "#!".
var markup = []string{"<html", "<!doctype", "<script", "<svg", "<iframe", "<body", "<object", "<embed", "<?xml", "<xml"}

func looksLikeMarkup(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\f\uFEFF")
	if bytes.HasPrefix(t, []byte("<")) || bytes.HasPrefix(t, []byte("#!")) {
		return true
	}
	lower := bytes.ToLower(data)
	for _, m := range markup {
		if bytes.Contains(lower, []byte(m)) {
			return true
		}
	}
	return false
}

// isMail reports whether text is an e-mail message as mail programs save
// it: header lines first, with a sender and at least one other header
// every message has.
func isMail(data []byte) bool {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil || m.Header.Get("From") == "" {
		return false
	}
	for _, h := range []string{"Date", "Subject", "Message-Id", "Received"} {
		if m.Header.Get(h) != "" {
			return true
		}
	}
	return false
}

// maxFilenameRunes keeps names short enough for every file system.
const maxFilenameRunes = 150

// SanitiseFilename makes a browser-supplied name safe to show and to offer
// as a download: no directories, no control or invisible formatting
// characters (a right-to-left override can make "gpj.exe" look like
// "exe.jpg"), no characters that are special in headers or file systems,
// at most 150 characters with the extension kept. It may return "".
func SanitiseFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			continue
		case strings.ContainsRune(`"<>:|?*`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Join(strings.Fields(b.String()), " ")
	name = strings.Trim(name, ". ")
	if utf8.RuneCountInString(name) > maxFilenameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(stem[:maxFilenameRunes-utf8.RuneCountInString(ext)]), ". ") + ext
	}
	return name
}

// AttachmentSummary is the timeline entry of an upload:
// "Bijlage toegevoegd: bevestiging-AP.pdf (PDF, 120 kB)".
func AttachmentSummary(f CheckedFile, size int64) string {
	return fmt.Sprintf("Bijlage toegevoegd: %s (%s, %s)", f.Filename, ContentTypeLabel(f.ContentType), SizeLabel(size))
}
