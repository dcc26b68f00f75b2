package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/jobs"
	"github.com/cam2drive/cam2drive/internal/notify"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// The store suite: every test runs once per database (SQLite always,
// PostgreSQL when CAM2DRIVE_TEST_POSTGRES_URL is set), on a fresh, migrated
// database of its own.

// eachDB runs fn on a fresh database of every dialect under test.
func eachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, storetest.Open(t, d))
		})
	}
}

var errRollback = errors.New("roll back")

func inTx(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func mustOrg(t *testing.T, db *store.DB, parentID string, kind cam2drive.OrgKind, name, email string) cam2drive.Org {
	t.Helper()
	o := cam2drive.Org{ParentID: parentID, Kind: kind, Name: name, Email: email}
	inTx(t, db, func(tx *store.Tx) error { return tx.CreateOrg(context.Background(), &o) })
	return o
}

func mustRole(t *testing.T, db *store.DB, orgID, name, builtin string, perms ...string) cam2drive.Role {
	t.Helper()
	r := cam2drive.Role{OrgID: orgID, Name: name, Builtin: builtin, Permissions: perms}
	if err := db.CreateRole(context.Background(), &r); err != nil {
		t.Fatalf("create role %q: %v", name, err)
	}
	return r
}

func mustUser(t *testing.T, db *store.DB, orgID, roleID, email, name string) cam2drive.User {
	t.Helper()
	u := cam2drive.User{OrgID: orgID, RoleID: roleID, Email: email, Name: name, Status: cam2drive.UserActive,
		PasswordHash: "hash", Preferences: cam2drive.DefaultPreferences("en")}
	inTx(t, db, func(tx *store.Tx) error { return tx.CreateUser(context.Background(), &u) })
	return u
}

func mustSite(t *testing.T, db *store.DB, orgID, name, tz, address string) cam2drive.Site {
	t.Helper()
	s := cam2drive.Site{OrgID: orgID, Name: name, Timezone: tz, Address: address}
	if err := db.CreateSite(context.Background(), &s); err != nil {
		t.Fatalf("create site %q: %v", name, err)
	}
	return s
}

// tenant is an organisation with one of everything, for isolation tests.
type tenant struct {
	org   cam2drive.Org
	admin cam2drive.Role
	role  cam2drive.Role // custom role held by nobody
	user  cam2drive.User
	site  cam2drive.Site
}

func newTenant(t *testing.T, db *store.DB, name string) tenant {
	t.Helper()
	var tn tenant
	tn.org = mustOrg(t, db, "", cam2drive.KindClient, name, name+"@example.com")
	tn.admin = mustRole(t, db, tn.org.ID, "Admin", "admin", "users.manage", "sites.manage")
	tn.role = mustRole(t, db, tn.org.ID, "Guard", "", "recordings.view")
	tn.user = mustUser(t, db, tn.org.ID, tn.admin.ID, "boss@"+name+".example.com", "Boss of "+name)
	tn.site = mustSite(t, db, tn.org.ID, name+" HQ", "Europe/Paris", "1 rue de "+name)
	return tn
}

// wantCode fails unless err carries code (and key, when not empty).
func wantCode(t *testing.T, err error, code cam2drive.Code, key string) *cam2drive.Error {
	t.Helper()
	var e *cam2drive.Error
	if !errors.As(err, &e) || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("error = %v, want code %q key %q", err, code, key)
	}
	return e
}

func wantNotFound(t *testing.T, err error) {
	t.Helper()
	if !cam2drive.IsNotFound(err) {
		t.Fatalf("error = %v, want not found", err)
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func orgName(o cam2drive.Org) string    { return o.Name }
func userEmail(u cam2drive.User) string { return u.Email }
func siteName(s cam2drive.Site) string  { return s.Name }
func roleName(r cam2drive.Role) string  { return r.Name }

// TestOrgs covers the hierarchy; both parts share one database.
func TestOrgs(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		t.Run("paths", func(t *testing.T) { testOrgPaths(t, db) })
		t.Run("children", func(t *testing.T) { testChildOrgs(t, db) })
	})
}

func testOrgPaths(t *testing.T, db *store.DB) {
	ctx := context.Background()
	root := mustOrg(t, db, "", cam2drive.KindPlatform, "Cam2Drive", "ops@example.com")
	dist := mustOrg(t, db, root.ID, cam2drive.KindDistributor, "Dist", "d@example.com")
	inst := mustOrg(t, db, dist.ID, cam2drive.KindInstaller, "Inst", "i@example.com")
	other := mustOrg(t, db, root.ID, cam2drive.KindDistributor, "Other", "o@example.com")

	if root.Path != root.ID+"/" || root.ParentID != "" {
		t.Errorf("root path %q parent %q", root.Path, root.ParentID)
	}
	if want := root.Path + dist.ID + "/"; dist.Path != want {
		t.Errorf("child path = %q, want %q", dist.Path, want)
	}
	if want := dist.Path + inst.ID + "/"; inst.Path != want {
		t.Errorf("grandchild path = %q, want %q", inst.Path, want)
	}

	for _, c := range []struct {
		name     string
		a, b     cam2drive.Org
		ancestor bool
	}{
		{"root of grandchild", root, inst, true},
		{"parent of child", dist, inst, true},
		{"self", dist, dist, true},
		{"child of parent", inst, dist, false},
		{"sibling", other, inst, false},
		{"zero org", cam2drive.Org{}, inst, false},
	} {
		if got := c.a.IsAncestorOrSelf(c.b); got != c.ancestor {
			t.Errorf("%s: IsAncestorOrSelf = %v, want %v", c.name, got, c.ancestor)
		}
	}

	got, err := db.Org(ctx, inst.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Path != inst.Path || got.ParentID != dist.ID || got.Kind != cam2drive.KindInstaller ||
		got.Name != "Inst" || got.Email != "i@example.com" || !got.CreatedAt.Equal(inst.CreatedAt.Truncate(time.Millisecond)) {
		t.Errorf("Org = %+v, want %+v", got, inst)
	}
	p, err := db.PlatformOrg(ctx)
	if err != nil || p.ID != root.ID {
		t.Errorf("PlatformOrg = %v, %v; want %s", p.ID, err, root.ID)
	}

	_, err = db.Org(ctx, cam2drive.NewID())
	wantNotFound(t, err)
	orphan := cam2drive.Org{ParentID: cam2drive.NewID(), Kind: cam2drive.KindClient, Name: "Orphan"}
	wantNotFound(t, db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, &orphan) }))

	inst.Name, inst.Address, inst.Phone = "Inst SARL", "2 rue Neuve", "+33 1 23 45 67 89"
	if err := db.UpdateOrg(ctx, inst); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Org(ctx, inst.ID)
	if got.Name != "Inst SARL" || got.Address != "2 rue Neuve" || got.Phone != "+33 1 23 45 67 89" || got.Path != inst.Path {
		t.Errorf("after UpdateOrg: %+v", got)
	}
	wantNotFound(t, db.UpdateOrg(ctx, cam2drive.Org{ID: cam2drive.NewID(), Name: "x"}))
}

func testChildOrgs(t *testing.T, db *store.DB) {
	ctx := context.Background()
	inst := mustOrg(t, db, "", cam2drive.KindInstaller, "Installer", "inst@example.com")
	for _, c := range []struct{ name, email string }{
		{"Alpha Bakery", "contact@bakery.example"},
		{"Beta 100% Pure", "beta@example.com"},
		{"Delta 1000 Pure", "delta@example.com"},
		{"Gamma_Delta", "gamma@example.com"},
		{"GammaXDelta", "gx@example.com"},
	} {
		mustOrg(t, db, inst.ID, cam2drive.KindClient, c.name, c.email)
	}
	sub := mustOrg(t, db, inst.ID, cam2drive.KindInstaller, "Sub-installer", "sub@example.com")
	mustOrg(t, db, sub.ID, cam2drive.KindClient, "Grandchild Alpha", "gc@example.com")
	other := mustOrg(t, db, "", cam2drive.KindInstaller, "Other installer", "other@example.com")
	mustOrg(t, db, other.ID, cam2drive.KindClient, "Alpha Elsewhere", "alpha@elsewhere.example")

	all := 100
	for _, c := range []struct {
		name   string
		filter store.OrgFilter
		want   []string
	}{
		{"direct children only, by name", store.OrgFilter{},
			[]string{"Alpha Bakery", "Beta 100% Pure", "Delta 1000 Pure", "Gamma_Delta", "GammaXDelta", "Sub-installer"}},
		{"kind", store.OrgFilter{Kind: cam2drive.KindInstaller}, []string{"Sub-installer"}},
		{"name, any case", store.OrgFilter{Query: "ALPHA"}, []string{"Alpha Bakery"}},
		{"e-mail", store.OrgFilter{Query: "@bakery.EXAMPLE"}, []string{"Alpha Bakery"}},
		{"percent is literal", store.OrgFilter{Query: "100%"}, []string{"Beta 100% Pure"}},
		{"underscore is literal", store.OrgFilter{Query: "a_d"}, []string{"Gamma_Delta"}},
		{"backslash is literal", store.OrgFilter{Query: `a\d`}, nil},
		{"kind and query", store.OrgFilter{Kind: cam2drive.KindClient, Query: "pure"}, []string{"Beta 100% Pure", "Delta 1000 Pure"}},
		{"no match", store.OrgFilter{Query: "zzz"}, nil},
	} {
		got, total, err := db.ChildOrgs(ctx, inst.ID, c.filter, cam2drive.Page{Limit: all})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if names := ids(got, orgName); !slices.Equal(names, c.want) || total != len(c.want) {
			t.Errorf("%s: got %q (total %d), want %q", c.name, names, total, c.want)
		}
	}

	// Pages of two walk the whole list once, in order, with the full total.
	full, _, _ := db.ChildOrgs(ctx, inst.ID, store.OrgFilter{}, cam2drive.Page{Limit: all})
	var walked []cam2drive.Org
	for off := 0; off < 10; off += 2 {
		page, total, err := db.ChildOrgs(ctx, inst.ID, store.OrgFilter{}, cam2drive.Page{Limit: 2, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if total != 6 {
			t.Errorf("offset %d: total = %d, want 6", off, total)
		}
		if len(page) > 2 {
			t.Errorf("offset %d: %d items for limit 2", off, len(page))
		}
		walked = append(walked, page...)
	}
	if !slices.Equal(ids(walked, orgName), ids(full, orgName)) {
		t.Errorf("paged %q, want %q", ids(walked, orgName), ids(full, orgName))
	}
}

func TestMigrateTwice(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustOrg(t, db, "", cam2drive.KindPlatform, "Kept", "kept@example.com")
		applied := storetest.Count(t, db, "schema_migrations")
		for range 2 {
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			if err := jobs.Migrate(ctx, db); err != nil {
				t.Fatalf("second river migrate: %v", err)
			}
		}
		if n := storetest.Count(t, db, "schema_migrations"); n != applied || n == 0 {
			t.Errorf("schema_migrations rows = %d, want %d", n, applied)
		}
		if _, err := db.Org(ctx, org.ID); err != nil {
			t.Errorf("data lost by a second migration: %v", err)
		}
	})
}

// Many writers at once (the web, FTP and worker roles share one SQLite file)
// must queue behind the single writer, never fail with "database is locked".
func TestConcurrentWriters(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustOrg(t, db, "", cam2drive.KindClient, "Busy", "busy@example.com")
		const workers, each = 8, 50
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					s := cam2drive.Site{OrgID: org.ID, Name: fmt.Sprintf("site %d-%d", w, i), Timezone: "UTC"}
					if err := db.CreateSite(ctx, &s); err != nil {
						errs <- fmt.Errorf("create site: %w", err)
						continue
					}
					if i%10 == 0 {
						err := db.InTx(ctx, func(tx *store.Tx) error {
							return tx.AddAudit(ctx, cam2drive.AuditEvent{OrgID: org.ID, Action: "site.created", Target: s.Name})
						})
						if err != nil {
							errs <- fmt.Errorf("audit in tx: %w", err)
						}
						if _, err := db.RecordFailure(ctx, fmt.Sprintf("ip:%d", w), time.Now(), time.Hour,
							func(int) time.Duration { return 0 }); err != nil {
							errs <- fmt.Errorf("record failure: %w", err)
						}
					}
					if _, err := db.Site(ctx, org.ID, s.ID); err != nil {
						errs <- fmt.Errorf("read own write: %w", err)
					}
					if _, _, err := db.Sites(ctx, org.ID, store.SiteFilter{}, cam2drive.Page{Limit: 5}); err != nil {
						errs <- fmt.Errorf("list: %w", err)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		_, total, err := db.Sites(ctx, org.ID, store.SiteFilter{}, cam2drive.Page{Limit: 1})
		if err != nil || total != workers*each {
			t.Errorf("sites = %d, %v; want %d", total, err, workers*each)
		}
		if _, total, _ := db.Audit(ctx, org.ID, "site.created", cam2drive.Page{Limit: 1}); total != workers*each/10 {
			t.Errorf("audit events = %d, want %d", total, workers*each/10)
		}
	})
}

// A mail and its delivery job are inserted in the caller's transaction: a
// rolled-back change leaves neither, a committed one leaves both.
func TestJobsFollowTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queue, err := jobs.New(db, nil, jobs.Config{})
		if err != nil {
			t.Fatal(err)
		}
		enqueue := func(tx *store.Tx, to string) error {
			m := store.Mail{To: to, Subject: "Hello", Text: "hi", HTML: "<p>hi</p>"}
			if err := tx.AddMail(ctx, &m); err != nil {
				return err
			}
			return queue.InsertTx(ctx, tx, notify.SendMailArgs{MailID: m.ID}, nil)
		}

		err = db.InTx(ctx, func(tx *store.Tx) error {
			if err := enqueue(tx, "rolled@example.com"); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx = %v, want the function's error", err)
		}
		if mails, _ := db.Outbox(ctx, "", 10); len(mails) != 0 {
			t.Errorf("rolled-back outbox: %d mails", len(mails))
		}
		if n := storetest.Count(t, db, "river_job"); n != 0 {
			t.Errorf("rolled-back transaction left %d River jobs", n)
		}

		inTx(t, db, func(tx *store.Tx) error { return enqueue(tx, "kept@example.com") })
		if mails, _ := db.Outbox(ctx, "", 10); len(mails) != 1 || mails[0].To != "kept@example.com" {
			t.Errorf("committed outbox = %+v", mails)
		}
		if n := storetest.Count(t, db, "river_job"); n != 1 {
			t.Errorf("committed transaction left %d River jobs, want 1", n)
		}
	})
}

func TestOutbox(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		add := func(to, subject string) store.Mail {
			m := store.Mail{To: to, Subject: subject, Text: "text " + subject, HTML: "<p>" + subject + "</p>", Link: "http://x/" + subject}
			inTx(t, db, func(tx *store.Tx) error { return tx.AddMail(ctx, &m) })
			return m
		}
		first := add("ann@example.com", "one")
		nextMillisecond()
		add("bob@example.com", "two")
		nextMillisecond()
		third := add("ann@example.com", "three")

		got, err := db.Outbox(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		subjects := func(ms []store.Mail) []string { return ids(ms, func(m store.Mail) string { return m.Subject }) }
		if want := []string{"three", "two", "one"}; !slices.Equal(subjects(got), want) {
			t.Errorf("Outbox = %q, want newest first %q", subjects(got), want)
		}
		if got, _ := db.Outbox(ctx, " ANN@example.com", 10); !slices.Equal(subjects(got), []string{"three", "one"}) {
			t.Errorf("Outbox(ann) = %q", subjects(got))
		}
		if got, _ := db.Outbox(ctx, "", 1); !slices.Equal(subjects(got), []string{"three"}) {
			t.Errorf("Outbox limit 1 = %q", subjects(got))
		}

		m, err := db.Mail(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.To != "ann@example.com" || m.Subject != "one" || m.Text != "text one" || m.HTML != "<p>one</p>" ||
			m.Link != "http://x/one" || !m.SentAt.IsZero() || m.Error != "" {
			t.Errorf("Mail = %+v", m)
		}

		at := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
		if err := db.MarkMailSent(ctx, first.ID, at, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkMailSent(ctx, third.ID, at, "550 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}
		if m, _ := db.Mail(ctx, first.ID); !m.SentAt.Equal(at) || m.Error != "" {
			t.Errorf("sent mail: sent_at %v error %q", m.SentAt, m.Error)
		}
		if m, _ := db.Mail(ctx, third.ID); m.Error != "550 mailbox unavailable" {
			t.Errorf("failed mail: error %q", m.Error)
		}
		_, err = db.Mail(ctx, cam2drive.NewID())
		wantNotFound(t, err)
	})
}

// nextMillisecond waits for the clock to reach the next millisecond (at most
// one): ids, and so the newest-first lists, order only to the millisecond.
func nextMillisecond() {
	for start := time.Now().UnixMilli(); time.Now().UnixMilli() == start; {
	}
}

// farFuture is an expiry no test reaches.
var farFuture = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
