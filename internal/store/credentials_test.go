package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// TestCredentials covers what lets people in: sessions, API tokens,
// set-password links and the login throttle. The parts share one database
// (each with an organisation of its own) and run in order; the clean-up of
// expired records comes last.
func TestCredentials(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		t.Run("sessions", func(t *testing.T) { testSessions(t, db) })
		t.Run("api tokens", func(t *testing.T) { testAPITokens(t, db) })
		t.Run("password links", func(t *testing.T) { testPasswordTokens(t, db) })
		t.Run("set password", func(t *testing.T) { testSetPassword(t, db) })
		t.Run("throttle", func(t *testing.T) { testThrottle(t, db) })
		t.Run("delete expired", func(t *testing.T) { testDeleteExpired(t, db) })
	})
}

func testSessions(t *testing.T, db *store.DB) {
	ctx := context.Background()
	tn := newTenant(t, db, "sess")
	now := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
	if err := db.CreateSession(ctx, "h1", tn.user.ID, "csrf-1", "192.0.2.7", "Firefox", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	p, err := db.PrincipalBySession(ctx, "h1", now)
	if err != nil {
		t.Fatal(err)
	}
	if p.User.ID != tn.user.ID || p.User.Email != tn.user.Email || p.User.RoleName != "Admin" ||
		p.Org.ID != tn.org.ID || p.Org.Path != tn.org.Path || p.Org.Kind != cam2drive.KindClient ||
		p.Role.ID != tn.admin.ID || p.Role.Builtin != "admin" ||
		!slices.Equal(p.Role.Permissions, []string{"users.manage", "sites.manage"}) ||
		p.CSRF != "csrf-1" || p.SessionHash != "h1" || p.TokenID != "" {
		t.Errorf("Principal = %+v", p)
	}

	// The session lives until its expiry, not a millisecond more.
	if _, err := db.PrincipalBySession(ctx, "h1", now.Add(time.Hour-time.Millisecond)); err != nil {
		t.Errorf("just before expiry: %v", err)
	}
	_, err = db.PrincipalBySession(ctx, "h1", now.Add(time.Hour))
	wantNotFound(t, err)
	_, err = db.PrincipalBySession(ctx, "nope", now)
	wantNotFound(t, err)

	later := now.Add(50 * time.Minute)
	if err := db.ExtendSession(ctx, "h1", later, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p, err = db.PrincipalBySession(ctx, "h1", now.Add(90*time.Minute))
	if err != nil {
		t.Fatalf("extended session: %v", err)
	}
	if !p.LastUsed.Equal(later) {
		t.Errorf("LastUsed = %v, want %v", p.LastUsed, later)
	}

	if err := db.DeleteSession(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	_, err = db.PrincipalBySession(ctx, "h1", now)
	wantNotFound(t, err)
}

func testDeleteExpired(t *testing.T, db *store.DB) {
	ctx := context.Background()
	tn := newTenant(t, db, "expiry")
	now := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
	for hash, exp := range map[string]time.Time{"old": now.Add(-time.Minute), "live": now.Add(time.Minute)} {
		if err := db.CreateSession(ctx, hash, tn.user.ID, "c", "", "", exp); err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(tx *store.Tx) error { return tx.CreatePasswordToken(ctx, hash, tn.user.ID, "reset", exp) })
	}
	never := func(int) time.Duration { return 0 }
	if _, err := db.RecordFailure(ctx, "ip:stale", now.Add(-25*time.Hour), time.Hour, never); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordFailure(ctx, "ip:recent", now.Add(-time.Hour), time.Hour, never); err != nil {
		t.Fatal(err)
	}

	if err := db.DeleteExpired(ctx, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PrincipalBySession(ctx, "live", now.Add(-2*time.Minute)); err != nil {
		t.Errorf("live session removed: %v", err)
	}
	_, err := db.PrincipalBySession(ctx, "old", now.Add(-2*time.Minute))
	wantNotFound(t, err)
	if _, err := db.LivePasswordToken(ctx, "live", now.Add(-2*time.Minute)); err != nil {
		t.Errorf("live link removed: %v", err)
	}
	if st, _ := db.Throttle(ctx, "ip:stale"); st.Failures != 0 {
		t.Errorf("throttle row idle for a day kept: %+v", st)
	}
	if st, _ := db.Throttle(ctx, "ip:recent"); st.Failures != 1 {
		t.Errorf("recent throttle row removed: %+v", st)
	}
}

func testAPITokens(t *testing.T, db *store.DB) {
	ctx := context.Background()
	tn := newTenant(t, db, "tokens")
	colleague := mustUser(t, db, tn.org.ID, tn.admin.ID, "colleague@example.com", "Colleague")
	tok := store.APIToken{UserID: tn.user.ID, Name: "backup script", Prefix: "c2d_abcdef"}
	if err := db.CreateAPIToken(ctx, &tok, "token-hash"); err != nil {
		t.Fatal(err)
	}

	p, err := db.PrincipalByToken(ctx, "token-hash")
	if err != nil {
		t.Fatal(err)
	}
	if p.User.ID != tn.user.ID || p.Org.ID != tn.org.ID || p.TokenID != tok.ID || p.CSRF != "" ||
		!slices.Equal(p.Role.Permissions, tn.admin.Permissions) || !p.LastUsed.IsZero() {
		t.Errorf("Principal = %+v", p)
	}
	used := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := db.TouchAPIToken(ctx, tok.ID, used); err != nil {
		t.Fatal(err)
	}
	list, err := db.APITokens(ctx, tn.user.ID)
	if err != nil || len(list) != 1 || list[0].Name != "backup script" || list[0].Prefix != "c2d_abcdef" || !list[0].LastUsedAt.Equal(used) {
		t.Errorf("APITokens = %+v, %v", list, err)
	}
	if list, _ := db.APITokens(ctx, colleague.ID); len(list) != 0 {
		t.Errorf("colleague sees %d tokens", len(list))
	}

	// Only the owner revokes a token.
	wantNotFound(t, db.DeleteAPIToken(ctx, colleague.ID, tok.ID))
	if _, err := db.PrincipalByToken(ctx, "token-hash"); err != nil {
		t.Errorf("token revoked by someone else: %v", err)
	}
	if err := db.DeleteAPIToken(ctx, tn.user.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.PrincipalByToken(ctx, "token-hash")
	wantNotFound(t, err)
	wantNotFound(t, db.DeleteAPIToken(ctx, tn.user.ID, tok.ID))
}

func testPasswordTokens(t *testing.T, db *store.DB) {
	ctx := context.Background()
	tn := newTenant(t, db, "links")
	now := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.CreatePasswordToken(ctx, "invite", tn.user.ID, "invite", now.Add(72*time.Hour)); err != nil {
			return err
		}
		return tx.CreatePasswordToken(ctx, "short", tn.user.ID, "reset", now.Add(time.Hour))
	})

	link, err := db.LivePasswordToken(ctx, "invite", now)
	if err != nil {
		t.Fatal(err)
	}
	if link.UserID != tn.user.ID || link.Email != tn.user.Email || link.Purpose != "invite" || !link.ExpiresAt.Equal(now.Add(72*time.Hour)) {
		t.Errorf("link = %+v", link)
	}

	use := func(hash string, at time.Time) (store.PasswordToken, error) {
		var got store.PasswordToken
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.UsePasswordToken(ctx, hash, at)
			return err
		})
		return got, err
	}
	if got, err := use("invite", now); err != nil || got.UserID != tn.user.ID {
		t.Fatalf("first use = %+v, %v", got, err)
	}
	_, err = use("invite", now)
	wantNotFound(t, err)
	_, err = db.LivePasswordToken(ctx, "invite", now)
	wantNotFound(t, err)

	_, err = use("short", now.Add(time.Hour))
	wantNotFound(t, err)
	_, err = use("unknown", now)
	wantNotFound(t, err)
}

// Choosing a password activates an invited account and signs out every
// browser, and the other links sent to the account stop working.
func testSetPassword(t *testing.T, db *store.DB) {
	ctx := context.Background()
	tn := newTenant(t, db, "setpw")
	invited := cam2drive.User{OrgID: tn.org.ID, RoleID: tn.admin.ID, Email: "new@example.com", Status: cam2drive.UserInvited}
	now := time.Now()
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, &invited); err != nil {
			return err
		}
		return tx.CreatePasswordToken(ctx, "other-link", invited.ID, "invite", now.Add(time.Hour))
	})
	if err := db.CreateSession(ctx, "s1", invited.ID, "c", "", "", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	inTx(t, db, func(tx *store.Tx) error { return tx.SetPassword(ctx, invited.ID, "new-hash") })
	got, _ := db.UserByID(ctx, invited.ID)
	if got.Status != cam2drive.UserActive || got.PasswordHash != "new-hash" {
		t.Errorf("after SetPassword: status %s hash %q", got.Status, got.PasswordHash)
	}
	_, err := db.PrincipalBySession(ctx, "s1", now)
	wantNotFound(t, err)
	_, err = db.LivePasswordToken(ctx, "other-link", now)
	wantNotFound(t, err)

	wantNotFound(t, db.InTx(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, cam2drive.NewID(), "h") }))
}

func testThrottle(t *testing.T, db *store.DB) {
	ctx := context.Background()
	const forget = time.Hour
	delay := func(n int) time.Duration { // locks from the third failure: 1 min per failure
		if n < 3 {
			return 0
		}
		return time.Duration(n) * time.Minute
	}
	now := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
	record := func(key string, at time.Time) store.ThrottleState {
		t.Helper()
		st, err := db.RecordFailure(ctx, key, at, forget, delay)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	if st, err := db.Throttle(ctx, "acct:a@example.com"); err != nil || st != (store.ThrottleState{}) {
		t.Errorf("unknown key = %+v, %v", st, err)
	}
	for i := 1; i <= 3; i++ {
		st := record("acct:a@example.com", now)
		if st.Failures != i || !st.LockedUntil.Equal(now.Add(delay(i))) {
			t.Errorf("failure %d: %+v", i, st)
		}
	}
	st, _ := db.Throttle(ctx, "acct:a@example.com")
	if st.Failures != 3 || !st.LockedUntil.Equal(now.Add(3*time.Minute)) {
		t.Errorf("Throttle = %+v", st)
	}
	if st, _ := db.Throttle(ctx, "acct:b@example.com"); st.Failures != 0 {
		t.Errorf("another key counted: %+v", st)
	}

	// Within the forget window failures keep adding up.
	if st := record("acct:a@example.com", now.Add(forget)); st.Failures != 4 {
		t.Errorf("within the window: %d failures, want 4", st.Failures)
	}
	// After a quiet window (and with the lock over) the count starts again.
	if st := record("acct:a@example.com", now.Add(3*forget)); st.Failures != 1 || !st.LockedUntil.Equal(now.Add(3*forget)) {
		t.Errorf("after the window: %+v, want 1 failure and no lock", st)
	}

	if err := db.ResetThrottle(ctx, "acct:a@example.com"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.Throttle(ctx, "acct:a@example.com"); st != (store.ThrottleState{}) {
		t.Errorf("after reset: %+v", st)
	}
}

func TestAudit(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustOrg(t, db, "", cam2drive.KindClient, "A", "a@example.com")
		b := mustOrg(t, db, "", cam2drive.KindClient, "B", "b@example.com")
		at := time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)
		actions := []string{"login.ok", "login.failed", "user.invited", "login.failed", "logout"}
		for i, action := range actions {
			nextMillisecond()
			e := cam2drive.AuditEvent{OrgID: a.ID, ActorID: "u1", ActorEmail: "alice@example.com", Action: action,
				Target: "t" + string(rune('0'+i)), IP: "192.0.2.1", Detail: "d", CreatedAt: at.Add(time.Duration(i) * time.Second)}
			if i%2 == 0 {
				inTx(t, db, func(tx *store.Tx) error { return tx.AddAudit(ctx, e) })
			} else if err := db.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddAudit(ctx, cam2drive.AuditEvent{OrgID: b.ID, Action: "login.failed"}); err != nil {
			t.Fatal(err)
		}

		all, total, err := db.Audit(ctx, a.ID, "", cam2drive.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		targets := func(es []cam2drive.AuditEvent) []string {
			return ids(es, func(e cam2drive.AuditEvent) string { return e.Target })
		}
		if want := []string{"t4", "t3", "t2", "t1", "t0"}; !slices.Equal(targets(all), want) || total != 5 {
			t.Fatalf("Audit = %q (total %d), want newest first %q", targets(all), total, want)
		}
		e := all[4]
		if e.OrgID != a.ID || e.ActorID != "u1" || e.ActorEmail != "alice@example.com" || e.Action != "login.ok" ||
			e.IP != "192.0.2.1" || e.Detail != "d" || !e.CreatedAt.Equal(at) || !cam2drive.ValidID(e.ID) {
			t.Errorf("event = %+v", e)
		}

		// Following the cursor walks every event once, newest first.
		var walked []cam2drive.AuditEvent
		cursor := ""
		for range 5 {
			page, total, err := db.Audit(ctx, a.ID, "", cam2drive.Page{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if total != 5 {
				t.Errorf("total with cursor = %d, want 5", total)
			}
			if len(page) == 0 {
				break
			}
			walked = append(walked, page...)
			cursor = page[len(page)-1].ID
		}
		if !slices.Equal(targets(walked), targets(all)) {
			t.Errorf("cursor walk = %q, want %q", targets(walked), targets(all))
		}

		failed, total, _ := db.Audit(ctx, a.ID, "login.failed", cam2drive.Page{Limit: 100})
		if !slices.Equal(targets(failed), []string{"t3", "t1"}) || total != 2 {
			t.Errorf("login.failed = %q (total %d)", targets(failed), total)
		}
		if got, total, _ := db.Audit(ctx, b.ID, "", cam2drive.Page{Limit: 100}); len(got) != 1 || total != 1 || got[0].OrgID != b.ID {
			t.Errorf("org B sees %d events (total %d)", len(got), total)
		}
	})
}
