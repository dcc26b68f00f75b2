package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/mail"
	"github.com/cam2drive/cam2drive/internal/notify"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

const (
	publicURL = "http://localhost:8080"
	goodPw    = "Tr0ub4dor&3-horse"
	resetPw   = "reset and remembered"
	ip        = "198.51.100.7"
)

// env is a Service on a real database with the real notifier, and a clock
// the test moves by hand.
type env struct {
	db    *store.DB
	svc   *Service
	clock time.Time
	org   cam2drive.Org
	role  cam2drive.Role
	user  cam2drive.User // active, password goodPw
}

func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, d))
		})
	}
}

func newEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, d)
	queue, err := jobs.New(db, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	n := notify.New(mail.NewTemplates("Cam2Drive", publicURL), queue, publicURL)
	e := &env{db: db, clock: time.Now().UTC().Truncate(time.Millisecond)}
	e.svc = NewService(db, cheap, n, slog.New(slog.DiscardHandler), 2)
	e.svc.now = func() time.Time { return e.clock }

	e.org = cam2drive.Org{Kind: cam2drive.KindClient, Name: "Acme", Email: "acme@example.com"}
	e.role = cam2drive.Role{Name: "Admin", Builtin: "admin", Permissions: []string{"users.manage"}}
	e.user = cam2drive.User{Email: "Alice@Example.com", Name: "Alice", Status: cam2drive.UserActive,
		PasswordHash: HashPassword(goodPw, cheap), Preferences: cam2drive.DefaultPreferences("en")}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, &e.org); err != nil {
			return err
		}
		e.role.OrgID = e.org.ID
		if err := tx.CreateRole(ctx, &e.role); err != nil {
			return err
		}
		e.user.OrgID, e.user.RoleID = e.org.ID, e.role.ID
		return tx.CreateUser(ctx, &e.user)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) advance(d time.Duration) { e.clock = e.clock.Add(d) }

func (e *env) login(t *testing.T, email, pw string) (Session, error) {
	t.Helper()
	return e.svc.Login(context.Background(), email, pw, ip, "Firefox/140")
}

func (e *env) mustLogin(t *testing.T, email, pw string) Session {
	t.Helper()
	s, err := e.login(t, email, pw)
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return s
}

func (e *env) audit(t *testing.T, action string) []cam2drive.AuditEvent {
	t.Helper()
	events, _, err := e.db.Audit(context.Background(), e.org.ID, action, cam2drive.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func (e *env) outbox(t *testing.T, to string) []store.Mail {
	t.Helper()
	mails, err := e.db.Outbox(context.Background(), to, 100)
	if err != nil {
		t.Fatal(err)
	}
	return mails
}

func wantCode(t *testing.T, err error, code cam2drive.Code) *cam2drive.Error {
	t.Helper()
	var ce *cam2drive.Error
	if !errors.As(err, &ce) || ce.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return ce
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	if got := wantCode(t, err, cam2drive.CodeInvalid).Fields[field]; got != key {
		t.Fatalf("error %v: field %s = %q, want %q", err, field, got, key)
	}
}

// The parts of each group below share one environment and run in order
// (the clock only moves forward).

func TestSessionsAndTokens(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("login", func(t *testing.T) { testLogin(t, e) })
		t.Run("session expiry", func(t *testing.T) { testSessionExpiry(t, e) })
		t.Run("api tokens", func(t *testing.T) { testAPITokenAuth(t, e) })
	})
}

func TestLoginThrottle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("account", func(t *testing.T) { testLoginThrottle(t, e) })
		t.Run("address", func(t *testing.T) { testLoginThrottleByIP(t, e) })
	})
}

func TestPasswordReset(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		t.Run("forgot password", func(t *testing.T) { testForgotPassword(t, e) })
		t.Run("link expires", func(t *testing.T) { testResetLinkExpires(t, e) })
	})
}

func testLogin(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.mustLogin(t, "  ALICE@example.com ", goodPw)
	if s.Token == "" || s.CSRF == "" || s.Token == s.CSRF || !s.ExpiresAt.Equal(e.clock.Add(SessionTTL)) {
		t.Errorf("session = %+v", s)
	}
	if s.Principal.User.ID != e.user.ID || s.Principal.Org.ID != e.org.ID || s.Principal.Role.Builtin != "admin" {
		t.Errorf("principal = %+v", s.Principal)
	}
	p, err := e.svc.BySession(ctx, s.Token)
	if err != nil || p.User.ID != e.user.ID || p.CSRF != s.CSRF {
		t.Errorf("BySession = %+v, %v", p, err)
	}
	if u, _ := e.db.UserByID(ctx, e.user.ID); !u.LastLoginAt.Equal(e.clock) {
		t.Errorf("last login = %v, want %v", u.LastLoginAt, e.clock)
	}
	ok := e.audit(t, "login.ok")
	if len(ok) != 1 || ok[0].ActorID != e.user.ID || ok[0].IP != ip || ok[0].ActorEmail != "alice@example.com" {
		t.Errorf("login.ok audit = %+v", ok)
	}

	if err := e.svc.Logout(ctx, p, ip); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.BySession(ctx, s.Token)
	wantCode(t, err, cam2drive.CodeUnauthenticated)
	if len(e.audit(t, "logout")) != 1 {
		t.Error("logout not audited")
	}
}

func TestLoginFailures(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, err := e.login(t, "alice@example.com", "wrong password!")
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
		failed := e.audit(t, "login.failed")
		if len(failed) != 1 || failed[0].Target != "alice@example.com" || failed[0].IP != ip {
			t.Errorf("login.failed audit = %+v", failed)
		}

		// An unknown address gets the very same answer, and writes in
		// nobody's audit log.
		auditRows := storetest.Count(t, e.db, "audit_log")
		_, err = e.login(t, "nobody@example.com", goodPw)
		if e := wantCode(t, err, cam2drive.CodeInvalidCredentials); e.Key != "invalid_credentials" {
			t.Errorf("key = %q", e.Key)
		}
		if n := storetest.Count(t, e.db, "audit_log"); n != auditRows {
			t.Errorf("unknown e-mail wrote %d audit rows", n-auditRows)
		}

		// An invited account has no password yet: nothing logs in.
		invited := cam2drive.User{OrgID: e.org.ID, RoleID: e.role.ID, Email: "bob@example.com", Status: cam2drive.UserInvited}
		if err := e.db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &invited) }); err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{"", goodPw} {
			_, err = e.login(t, "bob@example.com", pw)
			wantCode(t, err, cam2drive.CodeInvalidCredentials)
		}
	})
}

func testLoginThrottle(t *testing.T, e *env) {
	ctx := context.Background()
	for range throttleAfter {
		_, err := e.login(t, "alice@example.com", "wrong password!")
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
	}
	// The sixth attempt is refused before the password is even checked.
	_, err := e.login(t, "alice@example.com", goodPw)
	if retry := wantCode(t, err, cam2drive.CodeThrottled).Retry; retry <= 0 || retry > time.Second {
		t.Errorf("Retry = %v, want (0, 1s]", retry)
	}
	if d, ok := ErrThrottled(err); !ok || d <= 0 {
		t.Errorf("ErrThrottled = %v, %v", d, ok)
	}

	// Once the lock is over, the right password works and wipes the
	// account's record: the next mistakes start from zero.
	e.advance(time.Second)
	e.mustLogin(t, "alice@example.com", goodPw)
	if st, _ := e.db.Throttle(ctx, "acct:alice@example.com"); st.Failures != 0 {
		t.Errorf("account failures after success = %d", st.Failures)
	}
	for range throttleAfter - 1 {
		_, err := e.login(t, "alice@example.com", "wrong password!")
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
	}
	e.mustLogin(t, "alice@example.com", goodPw)

	// Unknown addresses are throttled the same way, so the answer
	// tells nothing about which accounts exist.
	for range throttleAfter {
		_, err := e.login(t, "ghost@example.com", "whatever123")
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
	}
	_, err = e.login(t, "ghost@example.com", "whatever123")
	wantCode(t, err, cam2drive.CodeThrottled)
}

// Many failures from one address lock that address for every account.
func testLoginThrottleByIP(t *testing.T, e *env) {
	ctx := context.Background()
	const office = "192.0.2.99" // an address of its own: the other parts' failures don't count
	for i := range ipAfter {
		e.advance(2 * time.Second)
		_, err := e.svc.Login(ctx, "user"+string(rune('a'+i))+"@example.com", "wrong password!", office, "")
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
	}
	_, err := e.svc.Login(ctx, "alice@example.com", goodPw, office, "")
	wantCode(t, err, cam2drive.CodeThrottled)
	if _, err := e.svc.Login(context.Background(), "alice@example.com", goodPw, "203.0.113.9", ""); err != nil {
		t.Errorf("login from another address: %v", err)
	}
}

func testSessionExpiry(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.mustLogin(t, "alice@example.com", goodPw)
	// Activity slides the session: still in after 11 h + 11 h.
	e.advance(11 * time.Hour)
	if _, err := e.svc.BySession(ctx, s.Token); err != nil {
		t.Fatalf("active session after 11 h: %v", err)
	}
	e.advance(11 * time.Hour)
	if _, err := e.svc.BySession(ctx, s.Token); err != nil {
		t.Fatalf("session used 11 h ago: %v", err)
	}
	// Left alone for the whole lifetime, it ends.
	e.advance(SessionTTL)
	_, err := e.svc.BySession(ctx, s.Token)
	wantCode(t, err, cam2drive.CodeUnauthenticated)
	_, err = e.svc.BySession(ctx, "not-a-session")
	wantCode(t, err, cam2drive.CodeUnauthenticated)
}

func testAPITokenAuth(t *testing.T, e *env) {
	ctx := context.Background()
	tok, secret, err := e.svc.CreateAPIToken(ctx, e.user, "backup", ip)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, APITokenPrefix) || !strings.HasPrefix(secret, tok.Prefix) {
		t.Errorf("secret %q, prefix %q", secret, tok.Prefix)
	}
	p, err := e.svc.ByToken(ctx, secret)
	if err != nil || p.User.ID != e.user.ID || p.TokenID != tok.ID {
		t.Fatalf("ByToken = %+v, %v", p, err)
	}
	if list, _ := e.db.APITokens(ctx, e.user.ID); len(list) != 1 || !list[0].LastUsedAt.Equal(e.clock) {
		t.Errorf("token use not recorded: %+v", list)
	}
	if len(e.audit(t, "token.created")) != 1 {
		t.Error("token creation not audited")
	}

	for _, bad := range []string{"", strings.TrimPrefix(secret, APITokenPrefix), secret + "x", APITokenPrefix + NewSecret()} {
		_, err := e.svc.ByToken(ctx, bad)
		wantCode(t, err, cam2drive.CodeUnauthenticated)
	}
	if err := e.db.DeleteAPIToken(ctx, e.user.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ByToken(ctx, secret)
	wantCode(t, err, cam2drive.CodeUnauthenticated)
}

func TestChangePassword(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := e.mustLogin(t, "alice@example.com", goodPw)
		other := e.mustLogin(t, "alice@example.com", goodPw) // another browser
		const newPw = "a much better passphrase"
		p := s.Principal

		wantField(t, e.svc.ChangePassword(ctx, p, "not my password", newPw, newPw, ip), "old_password", "wrong_password")
		wantField(t, e.svc.ChangePassword(ctx, p, goodPw, newPw, newPw+"!", ip), "confirm_password", "passwords_differ")
		wantField(t, e.svc.ChangePassword(ctx, p, goodPw, "short", "short", ip), "new_password", "password_too_short")
		wantField(t, e.svc.ChangePassword(ctx, p, goodPw, "Password123", "Password123", ip), "new_password", "password_too_common")
		wantField(t, e.svc.ChangePassword(ctx, p, goodPw, goodPw, goodPw, ip), "new_password", "password_unchanged")
		if len(e.outbox(t, "")) != 0 || len(e.audit(t, "password.changed")) != 0 {
			t.Fatal("a refused change mailed or audited something")
		}
		e.mustLogin(t, "alice@example.com", goodPw) // still the old password

		if err := e.svc.ChangePassword(ctx, p, goodPw, newPw, newPw, ip); err != nil {
			t.Fatal(err)
		}
		for _, sess := range []Session{s, other} {
			_, err := e.svc.BySession(ctx, sess.Token)
			wantCode(t, err, cam2drive.CodeUnauthenticated)
		}
		_, err := e.login(t, "alice@example.com", goodPw)
		wantCode(t, err, cam2drive.CodeInvalidCredentials)
		e.mustLogin(t, "alice@example.com", newPw)

		if ev := e.audit(t, "password.changed"); len(ev) != 1 || ev[0].ActorID != e.user.ID || ev[0].IP != ip {
			t.Errorf("password.changed audit = %+v", ev)
		}
		mails := e.outbox(t, "alice@example.com")
		if len(mails) != 1 || !strings.Contains(mails[0].Subject, "password was changed") ||
			!strings.Contains(mails[0].Link, publicURL+"/forgot-password") {
			t.Errorf("outbox = %+v, want the password-changed notice", mails)
		}
		if n := storetest.Count(t, e.db, "river_job"); n != 1 {
			t.Errorf("%d delivery jobs, want 1", n)
		}
	})
}

func testForgotPassword(t *testing.T, e *env) {
	ctx := context.Background()
	if err := e.svc.ForgotPassword(ctx, "nobody@example.com"); err != nil {
		t.Errorf("unknown e-mail: %v, want nil", err)
	}
	if len(e.outbox(t, "")) != 0 || storetest.Count(t, e.db, "password_tokens") != 0 || storetest.Count(t, e.db, "river_job") != 0 {
		t.Fatal("unknown e-mail left a mail, link or job")
	}

	s := e.mustLogin(t, "alice@example.com", goodPw)
	if err := e.svc.ForgotPassword(ctx, "ALICE@example.com"); err != nil {
		t.Fatal(err)
	}
	mails := e.outbox(t, "alice@example.com")
	if len(mails) != 1 || !strings.Contains(mails[0].Link, "/set-password?token=") || !strings.Contains(mails[0].Text, mails[0].Link) {
		t.Fatalf("outbox = %+v, want one reset mail with its link", mails)
	}
	token := tokenOf(t, mails[0].Link)

	link, err := e.svc.PasswordLink(ctx, token)
	if err != nil || link.Email != "alice@example.com" || link.Purpose != "reset" || !link.ExpiresAt.Equal(e.clock.Add(ResetTTL)) {
		t.Errorf("PasswordLink = %+v, %v", link, err)
	}
	// A password the policy refuses does not use up the link.
	wantField(t, e.svc.SetPassword(ctx, token, "alice@example.com", ip), "password", "password_is_email")

	if err := e.svc.SetPassword(ctx, token, resetPw, ip); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetPassword(ctx, token, "yet another passphrase", ip); !cam2drive.IsNotFound(err) {
		t.Errorf("second use of the link: %v, want not found", err)
	}
	_, err = e.svc.BySession(ctx, s.Token)
	wantCode(t, err, cam2drive.CodeUnauthenticated)
	e.mustLogin(t, "alice@example.com", resetPw)
	if ev := e.audit(t, "password.reset"); len(ev) != 1 || ev[0].Detail != "reset" {
		t.Errorf("password.reset audit = %+v", ev)
	}
}

// Runs after testForgotPassword: the password is resetPw.
func testResetLinkExpires(t *testing.T, e *env) {
	ctx := context.Background()
	sent := map[string]bool{}
	for _, m := range e.outbox(t, "alice@example.com") {
		sent[m.ID] = true
	}
	// Within a minute of the last reset mail, asking again sends nothing.
	if err := e.svc.ForgotPassword(ctx, "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.outbox(t, "alice@example.com")); n != len(sent) {
		t.Fatalf("a second reset mail within a minute: %d mails, want %d", n, len(sent))
	}
	e.advance(time.Minute)
	if err := e.svc.ForgotPassword(ctx, "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range e.outbox(t, "alice@example.com") {
		if !sent[m.ID] {
			token = tokenOf(t, m.Link)
		}
	}
	if token == "" {
		t.Fatal("no new reset mail")
	}
	e.advance(ResetTTL)
	if _, err := e.svc.PasswordLink(ctx, token); !cam2drive.IsNotFound(err) {
		t.Errorf("link after %v: %v, want not found", ResetTTL, err)
	}
	if err := e.svc.SetPassword(ctx, token, "too late passphrase", ip); !cam2drive.IsNotFound(err) {
		t.Errorf("SetPassword with an expired link: %v, want not found", err)
	}
	e.mustLogin(t, "alice@example.com", resetPw)
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("link %q has no token", link)
	}
	return u.Query().Get("token")
}
