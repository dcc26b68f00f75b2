package mail

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

func TestTemplatesExistForEveryKindAndLang(t *testing.T) {
	for _, kind := range kinds() {
		for _, lang := range langs() {
			for _, ext := range []string{".txt", ".html"} {
				name := "templates/" + kind + "." + lang + ext
				if _, err := fs.Stat(templateFiles, name); err != nil {
					t.Errorf("missing template %s: %v", name, err)
				}
			}
		}
	}
}

// renderAll renders every kind of e-mail in lang, as a user would receive it.
func renderAll(lang string) map[string]Message {
	tpl := NewTemplates("Cam2Drive", "https://cam.example.com/")
	when := time.Date(2025, time.March, 1, 14, 5, 0, 0, time.UTC)
	return map[string]Message{
		kindInvitation: tpl.Invitation(lang, Invitation{Email: "alice@example.org", OrgName: "Acme",
			InvitedBy: "Bob Martin", Link: testLink, Expires: 72 * time.Hour}),
		kindPasswordReset: tpl.PasswordReset(lang, PasswordReset{Email: "alice@example.org",
			Link: testLink, Expires: time.Hour}),
		kindPasswordChanged: tpl.PasswordChanged(lang, PasswordChanged{Email: "alice@example.org",
			LoginURL: testLink, When: when}),
	}
}

func TestEveryMailIsComplete(t *testing.T) {
	for _, lang := range langs() {
		for kind, m := range renderAll(lang) {
			t.Run(kind+"."+lang, func(t *testing.T) {
				if m.To != "alice@example.org" || m.Link != testLink {
					t.Errorf("To=%q Link=%q", m.To, m.Link)
				}
				if !strings.Contains(m.Subject, "Cam2Drive") || strings.ContainsAny(m.Subject, "\r\n") {
					t.Errorf("subject %q must name the product on one line", m.Subject)
				}
				for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
					for _, want := range []string{testLink, "alice@example.org", "Cam2Drive"} {
						if !strings.Contains(body, want) {
							t.Errorf("%s part lacks %q:\n%s", part, want, body)
						}
					}
				}
				for _, want := range []string{"#5e35b1", "© Cam2Drive", `lang="` + lang + `"`, "viewport"} {
					if !strings.Contains(m.HTML, want) {
						t.Errorf("html lacks %q", want)
					}
				}
			})
		}
	}
}

func TestMailsSayDurationsAndDatesInTheReadersLanguage(t *testing.T) {
	fr, en := renderAll("fr"), renderAll("en")
	checks := []struct {
		body, want string
	}{
		{fr[kindInvitation].Text, "valable 72 heures"},
		{fr[kindInvitation].Text, "Bob Martin a créé votre compte Cam2Drive pour l’organisation « Acme »"},
		{en[kindInvitation].Text, "valid for 72 hours"},
		{fr[kindPasswordReset].Text, "valable 1 heure "},
		{fr[kindPasswordReset].Text, "ignorez cet e-mail"},
		{en[kindPasswordReset].Text, "valid for 1 hour "},
		{en[kindPasswordReset].Text, "ignore this e-mail"},
		{fr[kindPasswordChanged].Text, "le 1er mars 2025 à 14:05 (UTC)"},
		{en[kindPasswordChanged].Text, "on March 1, 2025 at 2:05 PM (UTC)"},
	}
	for _, c := range checks {
		if !strings.Contains(c.body, c.want) {
			t.Errorf("mail lacks %q:\n%s", c.want, c.body)
		}
	}
}

func TestInvitationWithoutInviterNamesTheInstaller(t *testing.T) {
	m := NewTemplates("Cam2Drive", "").Invitation("fr-FR", Invitation{Email: "a@b.c", OrgName: "Acme", Link: testLink})
	if !strings.Contains(m.Text, "Votre installateur a créé votre compte") {
		t.Errorf("text:\n%s", m.Text)
	}
	if strings.Contains(m.Text, "valable") {
		t.Errorf("no expiry given, yet the mail mentions one:\n%s", m.Text)
	}
}

func TestUnknownLanguageFallsBackToEnglish(t *testing.T) {
	m := NewTemplates("Cam2Drive", "").PasswordReset("de", PasswordReset{Email: "a@b.c", Link: testLink})
	if m.Subject != "Cam2Drive — reset your password" {
		t.Errorf("subject = %q", m.Subject)
	}
}

func TestInvitationEscapesUserInputInHTML(t *testing.T) {
	m := NewTemplates("Cam2Drive", "").Invitation("en", Invitation{
		Email: `"><img src=x>@evil.test`, OrgName: "<script>alert(1)</script>",
		InvitedBy: "<b>Eve</b>", Link: testLink,
	})
	for _, raw := range []string{"<script>", "<img", "<b>Eve"} {
		if strings.Contains(m.HTML, raw) {
			t.Errorf("HTML contains unescaped %q", raw)
		}
	}
	if !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("org name not shown escaped:\n%s", m.HTML)
	}
}

func TestDurationWords(t *testing.T) {
	tests := []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"fr", 72 * time.Hour, "72 heures"},
		{"en", 72 * time.Hour, "72 hours"},
		{"fr", time.Hour, "1 heure"},
		{"en", 90 * time.Minute, "1 hour and 30 minutes"},
		{"fr", 90 * time.Minute, "1 heure et 30 minutes"},
		{"en", 20 * time.Second, "1 minute"},
		{"en", 0, ""},
	}
	for _, tt := range tests {
		if got := durationWords(tt.lang, tt.d); got != tt.want {
			t.Errorf("durationWords(%s, %v) = %q, want %q", tt.lang, tt.d, got, tt.want)
		}
	}
}
