package mail

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

const testLink = "https://cam.example.com/set-password?token=Zx9-aB_12cdEF34"

func newTestSMTP(t *testing.T, rawURL string) *SMTP {
	t.Helper()
	s, err := NewSMTP(rawURL, nil)
	if err != nil {
		t.Fatalf("NewSMTP(%q): %v", rawURL, err)
	}
	return s
}

func sendCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func testInvitation(lang, org string) Message {
	return NewTemplates("Cam2Drive", "https://cam.example.com").Invitation(lang, Invitation{
		Email: "alice@example.org", OrgName: org, Link: testLink, Expires: 72 * time.Hour,
	})
}

func TestSendInvitationIsReadableByMailClient(t *testing.T) {
	tests := []struct {
		lang, subject, phrase string
	}{
		{"fr", "Bienvenue sur Cam2Drive — définissez votre mot de passe", "mot de passe"},
		{"en", "Welcome to Cam2Drive — set your password", "set your password"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			be := &backend{}
			port := startServer(t, be, serverOpts{})
			s := newTestSMTP(t, "smtp://127.0.0.1:"+port+"?from=Cam2Drive+%3Cno-reply@cam.example.com%3E&starttls=never")
			if err := s.Send(sendCtx(t), testInvitation(tt.lang, "Boulangerie <script>alert(1)</script>")); err != nil {
				t.Fatalf("Send: %v", err)
			}
			mails := be.received()
			if len(mails) != 1 {
				t.Fatalf("server received %d mails, want 1", len(mails))
			}
			env := mails[0]
			if env.From != "no-reply@cam.example.com" || len(env.To) != 1 || env.To[0] != "alice@example.org" {
				t.Errorf("envelope from %q to %q, want no-reply@cam.example.com to alice@example.org", env.From, env.To)
			}
			got := parseMail(t, env.Data)
			if got.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", got.Subject, tt.subject)
			}
			if to := got.Header.Get("To"); to != "<alice@example.org>" {
				t.Errorf("To header = %q", to)
			}
			for _, h := range []string{"From", "Date", "Message-ID", "MIME-Version"} {
				if got.Header.Get(h) == "" {
					t.Errorf("missing %s header", h)
				}
			}
			if id := got.Header.Get("Message-ID"); !strings.HasSuffix(id, "@cam.example.com>") {
				t.Errorf("Message-ID = %q, want @cam.example.com", id)
			}
			if _, err := got.Header.Date(); err != nil {
				t.Errorf("Date header unreadable: %v", err)
			}
			if !strings.Contains(got.Text, testLink) || !strings.Contains(got.HTML, testLink) {
				t.Errorf("link missing from a part:\ntext:\n%s\nhtml:\n%s", got.Text, got.HTML)
			}
			if !strings.Contains(got.Text, tt.phrase) {
				t.Errorf("text lacks %q:\n%s", tt.phrase, got.Text)
			}
			if strings.Contains(got.HTML, "<script>") || !strings.Contains(got.HTML, "&lt;script&gt;") {
				t.Errorf("org name not escaped in HTML:\n%s", got.HTML)
			}
		})
	}
}

func TestSendAuthenticatesWithURLCredentials(t *testing.T) {
	be := &backend{user: "relay", pass: "s3cr:et"}
	port := startServer(t, be, serverOpts{})
	s := newTestSMTP(t, "smtp://relay:s3cr%3Aet@127.0.0.1:"+port+"?starttls=never")
	if err := s.Send(sendCtx(t), testInvitation("fr", "Acme")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if mails := be.received(); len(mails) != 1 || mails[0].User != "relay" {
		t.Fatalf("received %+v, want one mail sent as relay", mails)
	}
}

func TestSendWrongPasswordFails(t *testing.T) {
	be := &backend{user: "relay", pass: "right"}
	port := startServer(t, be, serverOpts{})
	s := newTestSMTP(t, "smtp://relay:wrong@127.0.0.1:"+port+"?starttls=never")
	err := s.Send(sendCtx(t), testInvitation("en", "Acme"))
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the password: %v", err)
	}
	if n := len(be.received()); n != 0 {
		t.Errorf("server received %d mails", n)
	}
}

func TestSendUpgradesWithSTARTTLSWhenOffered(t *testing.T) {
	be := &backend{user: "relay", pass: "pw"}
	port := startServer(t, be, serverOpts{startTLS: true})
	s := newTestSMTP(t, "smtp://relay:pw@127.0.0.1:"+port+"?insecure_skip_verify=1")
	if err := s.Send(sendCtx(t), testInvitation("fr", "Acme")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if mails := be.received(); len(mails) != 1 || !mails[0].TLS {
		t.Fatalf("received %+v, want one mail over TLS", mails)
	}
}

func TestSendSTARTTLSAlwaysRefusesPlainServer(t *testing.T) {
	be := &backend{}
	port := startServer(t, be, serverOpts{})
	s := newTestSMTP(t, "smtp://127.0.0.1:"+port+"?starttls=always")
	if err := s.Send(sendCtx(t), testInvitation("fr", "Acme")); err == nil {
		t.Fatal("Send succeeded without TLS although starttls=always")
	}
	if n := len(be.received()); n != 0 {
		t.Errorf("server received %d mails", n)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	be := &backend{}
	port := startServer(t, be, serverOpts{implicitTLS: true})
	s := newTestSMTP(t, "smtps://127.0.0.1:"+port+"?insecure_skip_verify=true")
	if err := s.Send(sendCtx(t), testInvitation("en", "Acme")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if mails := be.received(); len(mails) != 1 || !mails[0].TLS {
		t.Fatalf("received %+v, want one mail over TLS", mails)
	}
}

func TestSendRejectsUntrustedCertificate(t *testing.T) {
	be := &backend{}
	port := startServer(t, be, serverOpts{implicitTLS: true})
	s := newTestSMTP(t, "smtps://127.0.0.1:"+port)
	if err := s.Send(sendCtx(t), testInvitation("en", "Acme")); err == nil {
		t.Fatal("Send trusted a self-signed certificate")
	}
}

func TestSendServerDownFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	s := newTestSMTP(t, "smtp://"+addr+"?starttls=never")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, testInvitation("fr", "Acme")); err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v, past the 2s deadline", d)
	}
}

func TestSendHonoursDeadlineWithSilentServer(t *testing.T) {
	// A server that accepts but never greets: the client must give up at
	// the caller's deadline, not go-smtp's 5-minute command timeout.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	held := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			held <- c // keep it open, silent
		}
	}()
	t.Cleanup(func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	})
	s := newTestSMTP(t, "smtp://"+l.Addr().String()+"?starttls=never")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, testInvitation("fr", "Acme"))
	if err == nil {
		t.Fatal("Send to a silent server succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v, want about 300ms", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not say the deadline passed", err)
	}
}

func TestSendRejectsHeaderInjection(t *testing.T) {
	be := &backend{}
	port := startServer(t, be, serverOpts{})
	s := newTestSMTP(t, "smtp://127.0.0.1:"+port+"?starttls=never")
	for _, m := range []Message{
		{To: "alice@example.org\r\nBcc: mallory@example.org", Subject: "Hi", Text: "x", HTML: "x"},
		{To: "alice@example.org", Subject: "Hi\nBcc: mallory@example.org", Text: "x", HTML: "x"},
	} {
		if err := s.Send(sendCtx(t), m); err == nil {
			t.Errorf("Send(%q, %q) accepted a line break in a header", m.To, m.Subject)
		}
	}
	if n := len(be.received()); n != 0 {
		t.Errorf("server received %d mails", n)
	}
}
