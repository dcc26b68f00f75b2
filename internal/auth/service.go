package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Lifetimes of the credentials this package issues.
const (
	SessionTTL    = 12 * time.Hour
	InviteTTL     = 72 * time.Hour
	ResetTTL      = time.Hour
	sessionSlide  = 5 * time.Minute
	tokenTouch    = time.Minute
	throttleAfter = 5  // failures of one account before delays start
	ipAfter       = 20 // failures from one IP (offices share addresses)
	maxDelay      = 15 * time.Minute
	forgetAfter   = time.Hour
)

// Notifier sends the account e-mails, inside the transaction that makes them
// necessary (so a rolled-back change sends nothing).
type Notifier interface {
	PasswordReset(ctx context.Context, tx *store.Tx, u cam2drive.User, token string, ttl time.Duration) error
	PasswordChanged(ctx context.Context, tx *store.Tx, u cam2drive.User, at time.Time) error
}

// Service authenticates people and API clients.
type Service struct {
	db       *store.DB
	policy   *Policy
	argon    Argon2Params
	notifier Notifier
	log      *slog.Logger
	now      func() time.Time
	hashing  chan struct{} // bounds concurrent argon2 work so logins can't starve the CPU
	dummy    string        // hash verified for unknown accounts, so timing tells nothing
}

// NewService builds the service. hashSlots bounds concurrent password hashing.
func NewService(db *store.DB, argon Argon2Params, notifier Notifier, log *slog.Logger, hashSlots int) *Service {
	if hashSlots < 1 {
		hashSlots = 1
	}
	return &Service{
		db: db, policy: NewPolicy(), argon: argon, notifier: notifier, log: log, now: time.Now,
		hashing: make(chan struct{}, hashSlots),
		dummy:   HashPassword(NewSecret(), argon),
	}
}

// Policy is the password policy in force.
func (s *Service) Policy() *Policy { return s.policy }

// Hash hashes a password under the hashing bound.
func (s *Service) Hash(ctx context.Context, password string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	return HashPassword(password, s.argon), nil
}

func (s *Service) verify(ctx context.Context, password, hash string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer s.release()
	if hash == "" {
		hash = s.dummy
	}
	return VerifyPassword(password, hash), nil
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &cam2drive.Error{Code: cam2drive.CodeUnavailable, Key: "busy", Err: ctx.Err()}
	}
}

func (s *Service) release() { <-s.hashing }

// Session is a new browser session.
type Session struct {
	Token     string
	CSRF      string
	ExpiresAt time.Time
	Principal store.Principal
}

// Login checks an e-mail and password, applying the throttle, and opens a session.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (Session, error) {
	email = store.NormalizeEmail(email)
	now := s.now()
	acctKey, ipKey := "acct:"+email, "ip:"+ip
	if wait := s.lockedFor(ctx, now, acctKey, ipKey); wait > 0 {
		if u, err := s.db.UserByEmail(ctx, email); err == nil {
			s.audit(ctx, u.OrgID, u.ID, email, "login.throttled", ip)
		}
		return Session{}, &cam2drive.Error{Code: cam2drive.CodeThrottled, Key: "throttled", Retry: wait}
	}
	u, err := s.db.UserByEmail(ctx, email)
	if err != nil && !cam2drive.IsNotFound(err) {
		return Session{}, err
	}
	ok, err := s.verify(ctx, password, u.PasswordHash)
	if err != nil {
		return Session{}, err
	}
	if !ok || u.Status != cam2drive.UserActive {
		s.fail(ctx, now, acctKey, ipKey)
		s.audit(ctx, u.OrgID, u.ID, email, "login.failed", ip)
		return Session{}, cam2drive.Errorf(cam2drive.CodeInvalidCredentials, "invalid_credentials")
	}
	if err := s.db.ResetThrottle(ctx, acctKey); err != nil {
		return Session{}, err
	}
	sess, err := s.openSession(ctx, u.ID, ip, userAgent, now)
	if err != nil {
		return Session{}, err
	}
	if err := s.db.TouchLogin(ctx, u.ID, now); err != nil {
		return Session{}, err
	}
	s.audit(ctx, u.OrgID, u.ID, email, "login.ok", ip)
	return sess, nil
}

// NewSession opens a session for a user who just proved who they are (for
// instance by changing their password, which ended their other sessions).
func (s *Service) NewSession(ctx context.Context, userID, ip, userAgent string) (Session, error) {
	return s.openSession(ctx, userID, ip, userAgent, s.now())
}

func (s *Service) openSession(ctx context.Context, userID, ip, ua string, now time.Time) (Session, error) {
	token, csrf := NewSecret(), NewSecret()
	exp := now.Add(SessionTTL)
	if len(ua) > 256 {
		ua = ua[:256]
	}
	if err := s.db.CreateSession(ctx, HashSecret(token), userID, csrf, ip, ua, exp); err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	p, err := s.db.PrincipalBySession(ctx, HashSecret(token), now)
	if err != nil {
		return Session{}, fmt.Errorf("read new session: %w", err)
	}
	return Session{Token: token, CSRF: csrf, ExpiresAt: exp, Principal: p}, nil
}

// lockedFor returns how long the longest lock among keys still runs.
func (s *Service) lockedFor(ctx context.Context, now time.Time, keys ...string) time.Duration {
	var wait time.Duration
	for _, k := range keys {
		st, err := s.db.Throttle(ctx, k)
		if err != nil {
			s.log.Warn("read login throttle", "err", err)
			continue
		}
		if d := st.LockedUntil.Sub(now); d > wait {
			wait = d
		}
	}
	return wait
}

func (s *Service) fail(ctx context.Context, now time.Time, acctKey, ipKey string) {
	if _, err := s.db.RecordFailure(ctx, acctKey, now, forgetAfter, Backoff(throttleAfter)); err != nil {
		s.log.Warn("record login failure", "err", err)
	}
	if _, err := s.db.RecordFailure(ctx, ipKey, now, forgetAfter, Backoff(ipAfter)); err != nil {
		s.log.Warn("record login failure", "err", err)
	}
}

// Backoff returns the lock after n failures: none before `after`, then 1 s
// doubling with each further failure, up to 15 minutes.
func Backoff(after int) func(int) time.Duration {
	return func(n int) time.Duration {
		if n < after {
			return 0
		}
		shift := n - after
		if shift > 10 {
			return maxDelay
		}
		return min(time.Second<<shift, maxDelay)
	}
}

func (s *Service) audit(ctx context.Context, orgID, userID, email, action, ip string) {
	if orgID == "" {
		return // unknown account: nobody's log to write to; the throttle still counts it
	}
	err := s.db.AddAudit(ctx, cam2drive.AuditEvent{OrgID: orgID, ActorID: userID, ActorEmail: email, Action: action, Target: email, IP: ip})
	if err != nil {
		s.log.Warn("audit", "err", err, "action", action)
	}
}

// BySession returns the principal of a session cookie, sliding its expiry.
func (s *Service) BySession(ctx context.Context, token string) (store.Principal, error) {
	now := s.now()
	hash := HashSecret(token)
	p, err := s.db.PrincipalBySession(ctx, hash, now)
	if err != nil {
		return p, unauthenticated(err)
	}
	if now.Sub(p.LastUsed) > sessionSlide {
		if err := s.db.ExtendSession(ctx, hash, now, now.Add(SessionTTL)); err != nil {
			s.log.Warn("extend session", "err", err)
		}
	}
	return p, nil
}

// ByToken returns the principal of a bearer API token.
func (s *Service) ByToken(ctx context.Context, token string) (store.Principal, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return store.Principal{}, cam2drive.Errorf(cam2drive.CodeUnauthenticated, "unauthenticated")
	}
	p, err := s.db.PrincipalByToken(ctx, HashSecret(token))
	if err != nil {
		return p, unauthenticated(err)
	}
	if now := s.now(); now.Sub(p.LastUsed) > tokenTouch {
		if err := s.db.TouchAPIToken(ctx, p.TokenID, now); err != nil {
			s.log.Warn("touch api token", "err", err)
		}
	}
	return p, nil
}

func unauthenticated(err error) error {
	if cam2drive.IsNotFound(err) {
		return cam2drive.Errorf(cam2drive.CodeUnauthenticated, "unauthenticated")
	}
	return err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, p store.Principal, ip string) error {
	if p.SessionHash != "" {
		if err := s.db.DeleteSession(ctx, p.SessionHash); err != nil {
			return err
		}
	}
	s.audit(ctx, p.Org.ID, p.User.ID, p.User.Email, "logout", ip)
	return nil
}

// CreateAPIToken issues a personal API token for u; the secret is returned once.
func (s *Service) CreateAPIToken(ctx context.Context, u cam2drive.User, name, ip string) (store.APIToken, string, error) {
	secret, prefix := NewAPIToken()
	t := store.APIToken{UserID: u.ID, Name: name, Prefix: prefix}
	if err := s.db.CreateAPIToken(ctx, &t, HashSecret(secret)); err != nil {
		return t, "", err
	}
	s.audit(ctx, u.OrgID, u.ID, u.Email, "token.created", ip)
	return t, secret, nil
}

// ChangePassword checks the old password and the policy, then stores the new
// one; every session of the user ends, and a notice is mailed.
func (s *Service) ChangePassword(ctx context.Context, p store.Principal, oldPw, newPw, confirm, ip string) error {
	ok, err := s.verify(ctx, oldPw, p.User.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return cam2drive.Invalid(map[string]string{"old_password": "wrong_password"})
	}
	if newPw != confirm {
		return cam2drive.Invalid(map[string]string{"confirm_password": "passwords_differ"})
	}
	if err := s.policy.Check("new_password", newPw, p.User.Email); err != nil {
		return err
	}
	if newPw == oldPw {
		return cam2drive.Invalid(map[string]string{"new_password": "password_unchanged"})
	}
	return s.storePassword(ctx, p.User, newPw, ip, "password.changed")
}

func (s *Service) storePassword(ctx context.Context, u cam2drive.User, password, ip, action string) error {
	hash, err := s.Hash(ctx, password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.AddAudit(ctx, cam2drive.AuditEvent{OrgID: u.OrgID, ActorID: u.ID, ActorEmail: u.Email, Action: action, Target: u.Email, IP: ip}); err != nil {
			return err
		}
		return s.notifier.PasswordChanged(ctx, tx, u, now)
	})
}

// ForgotPassword mails a reset link when the account exists (an invited
// account may use it too: it proves the mailbox like the invitation does).
// It says nothing either way, so accounts can't be discovered through it.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	u, err := s.db.UserByEmail(ctx, email)
	if cam2drive.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	// One reset mail a minute per account, so the form can't flood a mailbox.
	key := "reset:" + u.Email
	if st, err := s.db.Throttle(ctx, key); err != nil || st.LockedUntil.After(s.now()) {
		return err
	}
	if _, err := s.db.RecordFailure(ctx, key, s.now(), time.Minute, func(int) time.Duration { return time.Minute }); err != nil {
		return err
	}
	token := NewSecret()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePasswordToken(ctx, HashSecret(token), u.ID, "reset", s.now().Add(ResetTTL)); err != nil {
			return err
		}
		return s.notifier.PasswordReset(ctx, tx, u, token, ResetTTL)
	})
}

// IssueInvitation stores a new invitation link for u and returns its secret.
func (s *Service) IssueInvitation(ctx context.Context, tx *store.Tx, u cam2drive.User) (string, error) {
	token := NewSecret()
	err := tx.CreatePasswordToken(ctx, HashSecret(token), u.ID, "invite", s.now().Add(InviteTTL))
	return token, err
}

// PasswordLink describes a live set-password link.
func (s *Service) PasswordLink(ctx context.Context, token string) (store.PasswordToken, error) {
	return s.db.LivePasswordToken(ctx, HashSecret(token), s.now())
}

// SetPassword uses a set-password link (single use) to choose a password.
func (s *Service) SetPassword(ctx context.Context, token, password, ip string) error {
	link, err := s.PasswordLink(ctx, token)
	if err != nil {
		return err
	}
	if err := s.policy.Check("password", password, link.Email); err != nil {
		return err
	}
	u, err := s.db.UserByID(ctx, link.UserID)
	if err != nil {
		return err
	}
	hash, err := s.Hash(ctx, password)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		used, err := tx.UsePasswordToken(ctx, HashSecret(token), s.now())
		if err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, used.UserID, hash); err != nil {
			return err
		}
		return tx.AddAudit(ctx, cam2drive.AuditEvent{OrgID: u.OrgID, ActorID: used.UserID,
			ActorEmail: used.Email, Action: "password.reset", Target: used.Email, IP: ip, Detail: used.Purpose})
	})
}

// ErrThrottled reports whether err is a throttle and for how long.
func ErrThrottled(err error) (time.Duration, bool) {
	var e *cam2drive.Error
	if errors.As(err, &e) && e.Code == cam2drive.CodeThrottled {
		return e.Retry, true
	}
	return 0, false
}
