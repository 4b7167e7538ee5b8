package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// Content is what a notification mail says: a greeting, paragraphs, and a
// link into Lekwacht. Both bodies are rendered from it, so they say the same.
type Content struct {
	Greeting   string   // "Beste Fatima,"
	Paragraphs []string // plain text; blank lines are not needed
	LinkText   string   // "Bekijk de melding"
	Link       string   // absolute URL, or ""
	Footer     string   // why the recipient gets this mail
}

var textTmpl = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}}
{{range .Paragraphs}}
{{.}}
{{end}}{{if .Link}}
{{.LinkText}}: {{.Link}}
{{end}}
-- 
{{.Footer}}
`))

var htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkText}}</a></p>
{{end}}<hr>
<p style="color: #555; font-size: small;">{{.Footer}}</p>
</body></html>
`))

// Render returns the plain-text and HTML bodies of c.
func Render(subject string, c Content) (text, html string, err error) {
	if c.LinkText == "" {
		c.LinkText = "Openen in Lekwacht"
	}
	var t, h bytes.Buffer
	if err := textTmpl.Execute(&t, c); err != nil {
		return "", "", fmt.Errorf("render text: %w", err)
	}
	data := struct {
		Content
		Subject string
	}{c, subject}
	if err := htmlTmpl.Execute(&h, data); err != nil {
		return "", "", fmt.Errorf("render html: %w", err)
	}
	return strings.ReplaceAll(t.String(), "\n\n\n", "\n\n"), h.String(), nil
}

var letterTmpl = htmltemplate.Must(htmltemplate.New("letter").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em;">
{{range .Paragraphs}}<p>{{range $i, $l := .}}{{if $i}}<br>
{{end}}{{$l}}{{end}}</p>
{{end}}</body></html>
`))

// RenderLetter returns the bodies of a letter written as plain text (the
// notice to data subjects): the text as it is, and HTML with its paragraphs
// (blank lines) and line breaks kept.
func RenderLetter(subject, body string) (text, html string, err error) {
	text = strings.ReplaceAll(body, "\r\n", "\n")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	var paras [][]string
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, strings.Split(p, "\n"))
		}
	}
	var h bytes.Buffer
	if err := letterTmpl.Execute(&h, struct {
		Subject    string
		Paragraphs [][]string
	}{subject, paras}); err != nil {
		return "", "", fmt.Errorf("render letter: %w", err)
	}
	return text, h.String(), nil
}
