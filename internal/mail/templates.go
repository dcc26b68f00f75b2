package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed templates
var templateFiles embed.FS // read-only: embedded at build time

// The kinds of e-mail and the languages each one is written in; every
// (kind × lang) has a .txt (subject and text body) and a .html template.
const (
	kindInvitation      = "invitation"
	kindPasswordReset   = "password_reset"
	kindPasswordChanged = "password_changed"
)

func kinds() []string { return []string{kindInvitation, kindPasswordReset, kindPasswordChanged} }
func langs() []string { return []string{"fr", "en"} }

// Templates renders the product's e-mails in French or English.
type Templates struct {
	product, publicURL string
	text               map[string]*texttemplate.Template
	html               map[string]*htmltemplate.Template
}

// Invitation: an account was created for Email in organisation OrgName by
// InvitedBy (may be empty); Link sets the password and is valid for Expires.
type Invitation struct {
	Email, OrgName, InvitedBy, Link string
	Expires                         time.Duration
}

// PasswordReset: Link chooses a new password and is valid for Expires.
type PasswordReset struct {
	Email, Link string
	Expires     time.Duration
}

// PasswordChanged: the password of Email was changed at When.
type PasswordChanged struct {
	Email, LoginURL string
	When            time.Time
}

// view is what every template sees; durations and dates are already words
// in the mail's language so templates stay free of logic.
type view struct {
	Lang, Product, PublicURL, Subject string
	Email, OrgName, InvitedBy, Link   string
	Expires, When                     string
}

// NewTemplates parses the embedded templates. It panics if one is broken:
// they ship inside the binary and the tests parse every one of them.
func NewTemplates(productName, publicURL string) *Templates {
	t := &Templates{
		product:   productName,
		publicURL: strings.TrimRight(publicURL, "/"),
		text:      map[string]*texttemplate.Template{},
		html:      map[string]*htmltemplate.Template{},
	}
	for _, kind := range kinds() {
		for _, lang := range langs() {
			name := kind + "." + lang
			t.text[name] = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/"+name+".txt"))
			t.html[name] = htmltemplate.Must(htmltemplate.ParseFS(templateFiles,
				"templates/layout.html", "templates/"+name+".html"))
		}
	}
	return t
}

// Invitation renders the "your account was created" e-mail.
func (t *Templates) Invitation(lang string, d Invitation) Message {
	lang = normLang(lang)
	return t.render(kindInvitation, d.Email, view{
		Lang: lang, Email: d.Email, OrgName: d.OrgName, InvitedBy: d.InvitedBy,
		Link: d.Link, Expires: durationWords(lang, d.Expires),
	})
}

// PasswordReset renders the "choose a new password" e-mail.
func (t *Templates) PasswordReset(lang string, d PasswordReset) Message {
	lang = normLang(lang)
	return t.render(kindPasswordReset, d.Email, view{
		Lang: lang, Email: d.Email, Link: d.Link, Expires: durationWords(lang, d.Expires),
	})
}

// PasswordChanged renders the security notice sent after a password change.
func (t *Templates) PasswordChanged(lang string, d PasswordChanged) Message {
	lang = normLang(lang)
	link := d.LoginURL
	if link == "" {
		link = t.publicURL
	}
	return t.render(kindPasswordChanged, d.Email, view{
		Lang: lang, Email: d.Email, Link: link, When: dateWords(lang, d.When),
	})
}

// render fills in the product fields and runs the subject, text and HTML
// templates of one kind in v.Lang.
func (t *Templates) render(kind, to string, v view) Message {
	name := kind + "." + v.Lang
	v.Product, v.PublicURL = t.product, t.publicURL
	v.Subject = strings.TrimSpace(execText(t.text[name].Lookup("subject"), v))
	return Message{
		To:      to,
		Subject: v.Subject,
		Text:    execText(t.text[name], v),
		HTML:    execHTML(t.html[name], v),
		Link:    v.Link,
	}
}

// execText and execHTML panic on error: with a fixed data type, execution
// can only fail on a broken template, which the tests catch.
func execText(tmpl *texttemplate.Template, v view) string {
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		panic(fmt.Errorf("mail: template %s: %w", tmpl.Name(), err))
	}
	return b.String()
}

func execHTML(tmpl *htmltemplate.Template, v view) string {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "layout.html", v); err != nil {
		panic(fmt.Errorf("mail: template %s: %w", tmpl.Name(), err))
	}
	return b.String()
}

// normLang maps a user's language to one we write: French for "fr" and its
// regional variants ("fr-CA"), English for anything else.
func normLang(lang string) string {
	lang = strings.ToLower(lang)
	if lang == "fr" || strings.HasPrefix(lang, "fr-") || strings.HasPrefix(lang, "fr_") {
		return "fr"
	}
	return "en"
}
