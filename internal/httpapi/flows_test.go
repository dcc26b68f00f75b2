package httpapi_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestFlows runs the user journeys of the API on one fixture per dialect.
// Each subtest uses its own accounts, so the order does not matter.
func TestFlows(t *testing.T) {
	flows := []struct {
		name string
		run  func(*testing.T, *fixture)
	}{
		{"session cookies and CSRF", testSessionAndCSRF},
		{"wrong password", testWrongPassword},
		{"login throttling", testThrottle},
		{"invitation", testInvitation},
		{"forgot password", testForgotPassword},
		{"change password", testChangePassword},
		{"preferences", testPreferences},
		{"roles", testRoles},
		{"sites", testSites},
		{"site pagination", testSitePagination},
		{"site with recorders", testSiteWithRecorders},
		{"users", testUsers},
		{"personal tokens", testTokens},
		{"audit log", testAudit},
		{"request bodies", testBodies},
		{"text a database can't store", testUnstorableText},
		{"create organisation", testCreateOrg},
		{"operations endpoints", testOperations},
		// recorders_test.go
		{"create recorder", testCreateRecorder},
		{"recorder camera count", testRecorderCameraCount},
		{"recorder connection", testRecorderConnection},
		{"cloud recording and disks", testCloudRecordingAndDisks},
		{"recorder health", testRecorderHealth},
		{"recordings", testRecordings},
		{"camera allowed users", testCameraAllowedUsers},
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			for _, fl := range flows {
				t.Run(fl.name, func(t *testing.T) { fl.run(t, f) })
			}
		})
	}
}

// login signs in and returns the session and CSRF cookies.
func (e *env) login(t testing.TB, email, password string) (session, csrf *http.Cookie) {
	t.Helper()
	r := e.do(t, "POST", "/auth/login", map[string]any{"email": email, "password": password}).want(t, 200, "login "+email)
	session, csrf = r.cookie(httpapi.SessionCookie), r.cookie(httpapi.CSRFCookie)
	if session == nil || csrf == nil || session.Value == "" || csrf.Value == "" {
		t.Fatalf("login %s set no session: %v", email, r.Header["Set-Cookie"])
	}
	return session, csrf
}

func testSessionAndCSRF(t *testing.T, f *fixture) {
	r := f.do(t, "POST", "/auth/login", map[string]any{"email": "  ADMIN@c1.test ", "password": testPassword}).want(t, 200, "login")
	sess, csrf := r.cookie(httpapi.SessionCookie), r.cookie(httpapi.CSRFCookie)
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.MaxAge <= 0 {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, a max age", sess)
	}
	if csrf == nil || csrf.HttpOnly || csrf.SameSite == http.SameSiteDefaultMode || csrf.Value == "" {
		t.Fatalf("csrf cookie = %+v, want readable by scripts, with SameSite", csrf)
	}
	if sess.Secure || csrf.Secure {
		t.Errorf("cookies are Secure on plain HTTP: %+v %+v", sess, csrf)
	}
	var me struct {
		User      userOut `json:"user"`
		CSRFToken string  `json:"csrf_token"`
	}
	r.decode(t, &me)
	if me.CSRFToken != csrf.Value || me.User.Email != "admin@c1.test" {
		t.Errorf("login answer %+v, csrf cookie %q", me, csrf.Value)
	}
	f.do(t, "GET", "/me", nil, withCookies(sess)).decode(t, &me)
	if me.CSRFToken != csrf.Value {
		t.Errorf("/me csrf_token %q, cookie %q", me.CSRFToken, csrf.Value)
	}

	sites := "/orgs/" + f.C1.Org.ID + "/sites"
	body := map[string]any{"name": "Cookie site", "timezone": "Europe/Paris"}
	f.do(t, "POST", sites, body, withCookies(sess)).wantErr(t, 403, "csrf", "cookie POST without CSRF header")
	f.do(t, "POST", sites, body, withCookies(sess), header(httpapi.CSRFHeader, "wrong")).wantErr(t, 403, "csrf", "wrong CSRF header")
	f.do(t, "POST", sites, body, withCookies(sess, csrf)).wantErr(t, 403, "csrf", "CSRF cookie without header")
	f.do(t, "POST", sites, body, withCookies(sess), header(httpapi.CSRFHeader, csrf.Value)).want(t, 201, "cookie POST with CSRF")
	f.do(t, "GET", sites, nil, withCookies(sess)).want(t, 200, "cookie GET needs no CSRF")
	f.as(t, f.C1.Admin, "POST", sites, map[string]any{"name": "Bearer site"}).want(t, 201, "bearer POST needs no CSRF")

	// Logout is a write: CSRF applies. Then the session is gone.
	f.do(t, "POST", "/auth/logout", nil, withCookies(sess)).wantErr(t, 403, "csrf", "logout without CSRF")
	out := f.do(t, "POST", "/auth/logout", nil, withCookies(sess), header(httpapi.CSRFHeader, csrf.Value)).want(t, 204, "logout")
	if c := out.cookie(httpapi.SessionCookie); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout does not clear the session cookie: %+v", c)
	}
	f.do(t, "GET", "/me", nil, withCookies(sess)).wantErr(t, 401, "unauthenticated", "/me after logout")
	f.as(t, f.C1.Admin, "GET", "/me", nil).want(t, 200, "the API token outlives the session")
}

func testWrongPassword(t *testing.T, f *fixture) {
	body := map[string]any{"email": f.C2.Admin.Email, "password": "not the password"}
	fr := f.do(t, "POST", "/auth/login", body, header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8")).
		wantErr(t, 401, "invalid_credentials", "wrong password (fr)")
	if fr.Message != "E-mail ou mot de passe incorrect." {
		t.Errorf("French message = %q", fr.Message)
	}
	en := f.do(t, "POST", "/auth/login", body, header("Accept-Language", "en-GB")).wantErr(t, 401, "invalid_credentials", "wrong password (en)")
	if en.Message != "Wrong e-mail or password." {
		t.Errorf("English message = %q", en.Message)
	}
	unknown := f.do(t, "POST", "/auth/login", map[string]any{"email": "nobody@nowhere.test", "password": testPassword}).
		wantErr(t, 401, "invalid_credentials", "unknown account")
	if unknown.Message != en.Message {
		t.Errorf("unknown account answers %q, wrong password %q", unknown.Message, en.Message)
	}
	invited := f.do(t, "POST", "/auth/login", map[string]any{"email": "invited@c2.test", "password": ""})
	invited.wantErr(t, 401, "invalid_credentials", "invited account without password")
	f.login(t, f.C2.Admin.Email, testPassword) // a success forgets the failures
}

func testThrottle(t *testing.T, f *fixture) {
	who := f.addPerson(t, f.C2, "throttled@c2.test", f.C2.Roles[authz.Viewer])
	for i := range 5 {
		f.do(t, "POST", "/auth/login", map[string]any{"email": who.Email, "password": "wrong password " + strconv.Itoa(i)}).
			wantErr(t, 401, "invalid_credentials", "failure "+strconv.Itoa(i+1))
	}
	r := f.do(t, "POST", "/auth/login", map[string]any{"email": who.Email, "password": who.Password}, header("Accept-Language", "fr"))
	e := r.wantErr(t, 429, "throttled", "6th attempt, with the right password")
	if e.RetryAfterSeconds <= 0 {
		t.Errorf("retry_after_seconds = %d", e.RetryAfterSeconds)
	}
	if got := r.Header.Get("Retry-After"); got != strconv.Itoa(e.RetryAfterSeconds) {
		t.Errorf("Retry-After %q, retry_after_seconds %d", got, e.RetryAfterSeconds)
	}
	if !strings.Contains(e.Message, "Réessayez dans "+strconv.Itoa(e.RetryAfterSeconds)) {
		t.Errorf("throttle message %q does not say when to retry, in French", e.Message)
	}
	if r.cookie(httpapi.SessionCookie) != nil {
		t.Error("a throttled login set a session")
	}
	// The API token is not throttled.
	f.as(t, who, "GET", "/me", nil).want(t, 200, "token of a throttled account")
}

func testInvitation(t *testing.T, f *fixture) {
	const email = "newbie@c1.test"
	var u userOut
	f.as(t, f.C1.Admin, "POST", "/orgs/"+f.C1.Org.ID+"/users",
		map[string]any{"email": "  NewBie@C1.test", "role_id": f.C1.Roles[authz.Viewer], "name": "New Bie", "language": "fr"}).
		want(t, 201, "invite").decode(t, &u)
	if u.Email != email || u.Status != "invited" || u.RoleName != "Viewer" || u.Name != "New Bie" {
		t.Errorf("invited user = %+v", u)
	}
	mails, err := f.DB.Outbox(t.Context(), email, 10)
	if err != nil || len(mails) != 1 {
		t.Fatalf("outbox for %s: %d mails, %v", email, len(mails), err)
	}
	if !strings.HasPrefix(mails[0].Link, publicURL+"/set-password?token=") || !strings.Contains(mails[0].Text, mails[0].Link) {
		t.Errorf("invitation mail link %q, text %q", mails[0].Link, mails[0].Text)
	}
	token := f.mailToken(t, email)

	var link struct {
		Email, Purpose string
		ExpiresAt      string `json:"expires_at"`
	}
	f.do(t, "GET", "/auth/password-token?token="+token, nil).want(t, 200, "describe the link").decode(t, &link)
	if link.Email != email || link.Purpose != "invite" || link.ExpiresAt == "" {
		t.Errorf("link = %+v", link)
	}
	for pw, why := range map[string]string{"short": "too short", "newbie@c1.test": "the e-mail", "xnewbie-2024": "contains the e-mail",
		"password123": "common", "aaaaaaaaaaaa": "repetitive"} {
		e := f.do(t, "POST", "/auth/set-password", map[string]any{"token": token, "password": pw}).
			wantErr(t, 400, "invalid", "password "+why)
		if e.Fields["password"] == "" {
			t.Errorf("password %s: no fields.password in %+v", why, e)
		}
	}
	f.do(t, "POST", "/auth/set-password", map[string]any{"token": token, "password": "Blue-Lagoon-1987"}).want(t, 204, "set password")
	f.login(t, email, "Blue-Lagoon-1987")
	f.do(t, "GET", "/auth/password-token?token="+token, nil).wantErr(t, 404, "not_found", "used link")
	f.do(t, "POST", "/auth/set-password", map[string]any{"token": token, "password": "Another-Choice-77"}).
		wantErr(t, 404, "not_found", "link used twice")
	f.do(t, "GET", "/auth/password-token?token=nonsense", nil).wantErr(t, 404, "not_found", "unknown link")

	var users listOf[userOut]
	f.as(t, f.C1.Admin, "GET", "/orgs/"+f.C1.Org.ID+"/users?q=newbie", nil).want(t, 200, "list").decode(t, &users)
	if len(users.Items) != 1 || users.Items[0].Status != "active" {
		t.Errorf("after set-password: %+v", users)
	}
	// An active account gets no second invitation.
	f.as(t, f.C1.Admin, "POST", "/orgs/"+f.C1.Org.ID+"/users/"+u.ID+"/invitation", nil).
		wantErr(t, 409, "already_active", "resend to an active account")
	f.as(t, f.C1.Admin, "POST", "/orgs/"+f.C1.Org.ID+"/users",
		map[string]any{"email": email, "role_id": f.C1.Roles[authz.Viewer]}).wantErr(t, 409, "email_taken", "invite twice")
	// Resending to an invited account mails a new link.
	n := f.mailCount(t, "invited@c1.test")
	f.as(t, f.C1.Admin, "POST", "/orgs/"+f.C1.Org.ID+"/users/"+f.C1.UserID+"/invitation", nil).want(t, 202, "resend")
	if f.mailCount(t, "invited@c1.test") != n+1 {
		t.Error("resend mailed nothing")
	}
}

func testForgotPassword(t *testing.T, f *fixture) {
	who := f.addPerson(t, f.C3, "forgetful@c3.test", f.C3.Roles[authz.Viewer])
	before := f.mailCount(t, who.Email)
	f.do(t, "POST", "/auth/forgot-password", map[string]any{"email": "ghost@nowhere.test"}).want(t, 202, "unknown e-mail")
	if n := f.mailCount(t, "ghost@nowhere.test"); n != 0 {
		t.Errorf("an unknown e-mail got %d mails", n)
	}
	f.do(t, "POST", "/auth/forgot-password", map[string]any{"email": "Forgetful@C3.test"}).want(t, 202, "known e-mail")
	if got := f.mailCount(t, who.Email); got != before+1 {
		t.Fatalf("known e-mail: %d mails, want %d", got, before+1)
	}
	token := f.mailToken(t, who.Email)
	var link struct{ Email, Purpose string }
	f.do(t, "GET", "/auth/password-token?token="+token, nil).want(t, 200, "reset link").decode(t, &link)
	if link.Purpose != "reset" || link.Email != who.Email {
		t.Errorf("reset link = %+v", link)
	}
	f.do(t, "POST", "/auth/set-password", map[string]any{"token": token, "password": "Fresh-Start-2025"}).want(t, 204, "reset")
	f.do(t, "POST", "/auth/login", map[string]any{"email": who.Email, "password": who.Password}).
		wantErr(t, 401, "invalid_credentials", "old password after reset")
	f.login(t, who.Email, "Fresh-Start-2025")
}

func testChangePassword(t *testing.T, f *fixture) {
	who := f.addPerson(t, f.C3, "changer@c3.test", f.C3.Roles[authz.Viewer])
	sess, csrf := f.login(t, who.Email, who.Password)
	cookie := []opt{withCookies(sess), header(httpapi.CSRFHeader, csrf.Value)}
	const newPw = "Silver-Birch-0815"
	e := f.do(t, "POST", "/me/password", map[string]any{"old_password": "wrong", "new_password": newPw, "confirm_password": newPw}, cookie...).
		wantErr(t, 400, "invalid", "wrong old password")
	if e.Fields["old_password"] == "" {
		t.Errorf("wrong old password: %+v", e)
	}
	e = f.do(t, "POST", "/me/password", map[string]any{"old_password": who.Password, "new_password": newPw, "confirm_password": newPw + "x"}, cookie...).
		wantErr(t, 400, "invalid", "confirmation differs")
	if e.Fields["confirm_password"] == "" {
		t.Errorf("confirmation differs: %+v", e)
	}
	e = f.do(t, "POST", "/me/password", map[string]any{"old_password": who.Password, "new_password": "short", "confirm_password": "short"}, cookie...).
		wantErr(t, 400, "invalid", "too short")
	if e.Fields["new_password"] == "" {
		t.Errorf("too short: %+v", e)
	}
	mails := f.mailCount(t, who.Email)
	r := f.do(t, "POST", "/me/password", map[string]any{"old_password": who.Password, "new_password": newPw, "confirm_password": newPw}, cookie...).
		want(t, 204, "change password")
	f.do(t, "GET", "/me", nil, withCookies(sess)).wantErr(t, 401, "unauthenticated", "old session after the change")
	fresh, freshCSRF := r.cookie(httpapi.SessionCookie), r.cookie(httpapi.CSRFCookie)
	if fresh == nil || fresh.Value == "" || fresh.Value == sess.Value || freshCSRF == nil {
		t.Fatalf("no new session after the change: %v", r.Header["Set-Cookie"])
	}
	f.do(t, "GET", "/me", nil, withCookies(fresh)).want(t, 200, "new session")
	f.do(t, "PATCH", "/me/preferences", map[string]any{"density": "compact"}, withCookies(fresh), header(httpapi.CSRFHeader, freshCSRF.Value)).
		want(t, 200, "write with the new session")
	if f.mailCount(t, who.Email) != mails+1 {
		t.Error("no password-changed notice mailed")
	}
	f.do(t, "POST", "/auth/login", map[string]any{"email": who.Email, "password": who.Password}).
		wantErr(t, 401, "invalid_credentials", "old password")
	f.login(t, who.Email, newPw)

	// With a bearer token no session is opened.
	r = f.as(t, who, "POST", "/me/password", map[string]any{"old_password": newPw, "new_password": newPw + "!", "confirm_password": newPw + "!"}).
		want(t, 204, "change with a token")
	if r.cookie(httpapi.SessionCookie) != nil {
		t.Error("a token call got a session cookie")
	}
}

func testPreferences(t *testing.T, f *fixture) {
	who := f.Custom
	for field, v := range map[string]any{"theme": "neon", "language": "de", "density": "cosy", "rows_per_page": 7} {
		e := f.as(t, who, "PATCH", "/me/preferences", map[string]any{field: v}).wantErr(t, 400, "invalid", "bad "+field)
		if e.Fields[field] == "" {
			t.Errorf("bad %s: %+v", field, e)
		}
	}
	var p struct {
		Theme, Language, Density string
		RowsPerPage              int `json:"rows_per_page"`
	}
	f.as(t, who, "PATCH", "/me/preferences", map[string]any{"theme": "dark", "rows_per_page": 25}).want(t, 200, "set").decode(t, &p)
	if p.Theme != "dark" || p.RowsPerPage != 25 || p.Language != "en" || p.Density != "comfortable" {
		t.Errorf("preferences answer %+v", p)
	}
	f.as(t, who, "PATCH", "/me/preferences", map[string]any{"theme": "neon", "density": "compact"}).wantErr(t, 400, "invalid", "half bad")
	var me struct {
		Preferences struct {
			Theme, Language, Density string
			RowsPerPage              int `json:"rows_per_page"`
		} `json:"preferences"`
	}
	f.as(t, who, "GET", "/me", nil).want(t, 200, "me").decode(t, &me)
	if me.Preferences.Theme != "dark" || me.Preferences.RowsPerPage != 25 || me.Preferences.Density != "comfortable" {
		t.Errorf("preferences after reload %+v (a refused change must not be saved)", me.Preferences)
	}
	// The language preference decides the language of messages.
	f.as(t, who, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "fr")
	e := f.as(t, who, "PATCH", "/me/preferences", map[string]any{"theme": "neon"}, header("Accept-Language", "en")).
		wantErr(t, 400, "invalid", "bad theme in French")
	if e.Message != "Certains champs ne sont pas valides." || e.Fields["theme"] != "Cette valeur n'est pas autorisée." {
		t.Errorf("French error %+v", e)
	}
	f.as(t, who, "PATCH", "/me/preferences", map[string]any{"language": "en"}).want(t, 200, "en")
}

func testRoles(t *testing.T, f *fixture) {
	roles := "/orgs/" + f.C1.Org.ID + "/roles"
	var role roleOut
	f.as(t, f.C1.Admin, "POST", roles, map[string]any{"name": " Night guard ", "permissions": []string{"sites.view", "recordings.view", "sites.view"}}).
		want(t, 201, "create role").decode(t, &role)
	if role.Name != "Night guard" || role.Builtin != "" || !slices.Equal(role.Permissions, []string{"recordings.view", "sites.view"}) {
		t.Errorf("created role %+v", role)
	}
	e := f.as(t, f.C1.Admin, "POST", roles, map[string]any{"name": "Bad", "permissions": []string{"sites.view", "launch.missiles"}}).
		wantErr(t, 400, "invalid", "unknown permission")
	if e.Fields["permissions"] == "" {
		t.Errorf("unknown permission: %+v", e)
	}
	f.as(t, f.C1.Admin, "POST", roles, map[string]any{"name": "", "permissions": []string{}}).wantErr(t, 400, "invalid", "no name")
	f.as(t, f.C1.Admin, "POST", roles, map[string]any{"name": "Night guard"}).wantErr(t, 409, "role_name_taken", "same name")

	guard := f.invite(t, f.C1, "guard@c1.test", f.C1.Roles[authz.Viewer])
	user := "/orgs/" + f.C1.Org.ID + "/users/" + guard.ID
	var u userOut
	f.as(t, f.C1.Admin, "PATCH", user, map[string]any{"role_id": role.ID}).want(t, 200, "assign").decode(t, &u)
	if u.RoleID != role.ID || u.RoleName != "Night guard" {
		t.Errorf("assigned user %+v", u)
	}
	f.as(t, f.C1.Admin, "GET", roles+"/"+role.ID, nil).want(t, 200, "get").decode(t, &role)
	if role.UserCount != 1 {
		t.Errorf("user_count = %d, want 1", role.UserCount)
	}
	e = f.as(t, f.C1.Admin, "DELETE", roles+"/"+role.ID, nil).wantErr(t, 409, "role_in_use", "delete a role in use")
	if e.Message == "" || e.Message == "This conflicts with existing data." {
		t.Errorf("role_in_use message %q", e.Message)
	}
	f.as(t, f.C1.Admin, "PATCH", user, map[string]any{"role_id": f.C1.Roles[authz.Viewer]}).want(t, 200, "unassign")
	f.as(t, f.C1.Admin, "DELETE", roles+"/"+role.ID, nil).want(t, 204, "delete a free role")
	f.as(t, f.C1.Admin, "GET", roles+"/"+role.ID, nil).wantErr(t, 404, "not_found", "deleted role")

	// Built-in roles: Admin is frozen, none can be deleted.
	admin := roles + "/" + f.C1.Roles[authz.Admin]
	f.as(t, f.C1.Admin, "PATCH", admin, map[string]any{"name": "Boss"}).wantErr(t, 409, "builtin_role", "edit Admin")
	f.as(t, f.C1.Admin, "PATCH", admin, map[string]any{"permissions": []string{}}).wantErr(t, 409, "builtin_role", "strip Admin")
	for _, k := range []string{authz.Admin, authz.Technician, authz.Viewer} {
		if r := f.as(t, f.C1.Admin, "DELETE", roles+"/"+f.C1.Roles[k], nil); r.Status != 409 {
			t.Errorf("delete built-in %s: %s, want 409", k, r)
		}
	}
	var list listOf[roleOut]
	f.as(t, f.C1.Admin, "GET", roles, nil).want(t, 200, "list").decode(t, &list)
	if len(list.Items) < 3 || list.Items[0].Builtin != authz.Admin || list.Items[1].Builtin != authz.Technician ||
		list.Items[2].Builtin != authz.Viewer || list.Total != len(list.Items) {
		t.Errorf("roles list %+v", list)
	}
	for _, want := range authz.BuiltinRoles() {
		i := slices.IndexFunc(list.Items, func(r roleOut) bool { return r.Builtin == want.Builtin })
		if i < 0 || !slices.Equal(sorted(list.Items[i].Permissions), sorted(want.Permissions)) {
			t.Errorf("built-in %s in the list: %+v", want.Builtin, list.Items)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func testSites(t *testing.T, f *fixture) {
	sites := "/orgs/" + f.C2.Org.ID + "/sites"
	e := f.as(t, f.C2.Admin, "POST", sites, map[string]any{"name": "Nowhere", "timezone": "Mars/Olympus_Mons"}).
		wantErr(t, 400, "invalid", "bad timezone")
	if e.Fields["timezone"] == "" {
		t.Errorf("bad timezone: %+v", e)
	}
	e = f.as(t, f.C2.Admin, "POST", sites, map[string]any{"name": "   ", "address": strings.Repeat("x", 501)}).wantErr(t, 400, "invalid", "blank name")
	if e.Fields["name"] == "" || e.Fields["address"] == "" {
		t.Errorf("blank name and long address: %+v", e)
	}
	var zones listOf[string]
	f.do(t, "GET", "/timezones", nil).want(t, 200, "timezones").decode(t, &zones)
	if !slices.Contains(zones.Items, "Africa/Tunis") || !slices.Contains(zones.Items, "UTC") || zones.Total != len(zones.Items) {
		t.Errorf("timezones: %d items", len(zones.Items))
	}

	var s siteOut
	f.as(t, f.C2.Admin, "POST", sites, map[string]any{"name": "  Warehouse  ", "timezone": "Africa/Tunis", "address": "12 Rue de la Paix, Paris"}).
		want(t, 201, "create").decode(t, &s)
	if s.Name != "Warehouse" || s.Timezone != "Africa/Tunis" || s.OrgID != f.C2.Org.ID || s.RecorderCount != 0 {
		t.Errorf("created site %+v", s)
	}
	f.as(t, f.C2.Admin, "POST", sites, map[string]any{"name": "Shop 50% off_sale", "address": "1 Main St, Tunis"}).want(t, 201, "create")
	f.as(t, f.C2.Admin, "PATCH", sites+"/"+s.ID, map[string]any{"timezone": "Europe/Paris"}).want(t, 200, "patch").decode(t, &s)
	if s.Name != "Warehouse" || s.Timezone != "Europe/Paris" || s.Address != "12 Rue de la Paix, Paris" {
		t.Errorf("partial update lost fields: %+v", s)
	}
	f.as(t, f.C2.Admin, "PATCH", sites+"/"+s.ID, map[string]any{"timezone": "Nowhere/Land"}).wantErr(t, 400, "invalid", "patch bad zone")

	names := func(query string) []string {
		var l listOf[siteOut]
		f.as(t, f.C2.Admin, "GET", sites+query, nil).want(t, 200, "list "+query).decode(t, &l)
		var out []string
		for _, s := range l.Items {
			out = append(out, s.Name)
		}
		if l.Total != len(out) {
			t.Errorf("list %s: total %d for %d items", query, l.Total, len(out))
		}
		slices.Sort(out)
		return out
	}
	for q, want := range map[string][]string{
		"?name=WARE":                        {"Warehouse"},
		"?address=paris":                    {"Warehouse"},
		"?address=tunis":                    {"Shop 50% off_sale"},
		"?name=50%25":                       {"Shop 50% off_sale"},
		"?name=_":                           {"Shop 50% off_sale"},
		"?name=%25":                         {"Shop 50% off_sale"},
		"?name=zzz":                         nil,
		"?timezone=Europe/Paris&name=house": {"Warehouse"},
	} {
		if got := names(q); !slices.Equal(got, want) {
			t.Errorf("sites%s = %q, want %q", q, got, want)
		}
	}
	f.as(t, f.C2.Admin, "GET", sites+"?limit=0", nil).wantErr(t, 400, "invalid", "limit 0")
	f.as(t, f.C2.Admin, "GET", sites+"?limit=501", nil).wantErr(t, 400, "invalid", "limit 501")
	f.as(t, f.C2.Admin, "GET", sites+"?cursor=bogus", nil).wantErr(t, 400, "invalid", "bad cursor")

	// An empty site can be deleted.
	f.as(t, f.C2.Admin, "DELETE", sites+"/"+s.ID, nil).want(t, 204, "delete")
	f.as(t, f.C2.Admin, "GET", sites+"/"+s.ID, nil).wantErr(t, 404, "not_found", "deleted site")
	f.as(t, f.C2.Admin, "DELETE", sites+"/"+s.ID, nil).wantErr(t, 404, "not_found", "delete twice")
}

func testSitePagination(t *testing.T, f *fixture) {
	sites := "/orgs/" + f.C3.Org.ID + "/sites"
	created := map[string]bool{}
	for i := range 5 {
		var s siteOut
		f.as(t, f.C3.Admin, "POST", sites, map[string]any{"name": "Paging " + strconv.Itoa(i)}).want(t, 201, "create").decode(t, &s)
		created[s.ID] = true
	}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		var l listOf[siteOut]
		f.as(t, f.C3.Admin, "GET", sites+"?name=paging&limit=2&cursor="+cursor, nil).want(t, 200, "page").decode(t, &l)
		pages++
		if l.Total != 5 {
			t.Errorf("page %d: total %d, want 5", pages, l.Total)
		}
		if len(l.Items) > 2 || len(l.Items) == 0 {
			t.Fatalf("page %d has %d items", pages, len(l.Items))
		}
		for _, s := range l.Items {
			if seen[s.ID] || !created[s.ID] {
				t.Errorf("page %d: site %s repeated or unexpected", pages, s.Name)
			}
			seen[s.ID] = true
		}
		if l.NextCursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		cursor = l.NextCursor
	}
	if pages != 3 || len(seen) != 5 {
		t.Errorf("%d pages, %d sites, want 3 pages and 5 sites", pages, len(seen))
	}
	var l listOf[siteOut]
	f.as(t, f.C3.Admin, "GET", sites+"?name=paging&limit=2&offset=4", nil).want(t, 200, "offset").decode(t, &l)
	if len(l.Items) != 1 || l.NextCursor != "" || l.Total != 5 {
		t.Errorf("offset 4: %+v", l)
	}
}

func testSiteWithRecorders(t *testing.T, f *fixture) {
	sites := "/orgs/" + f.C1.Org.ID + "/sites"
	var s siteOut
	f.as(t, f.C1.Admin, "POST", sites, map[string]any{"name": "Busy site"}).want(t, 201, "create").decode(t, &s)
	if _, err := f.DB.CreateRecorder(t.Context(), f.C1.Org.ID, s.ID, "NVR 1"); err != nil {
		t.Fatalf("recorder: %v", err)
	}
	f.as(t, f.C1.Admin, "GET", sites+"/"+s.ID, nil).want(t, 200, "get").decode(t, &s)
	if s.RecorderCount != 1 {
		t.Errorf("recorder_count = %d", s.RecorderCount)
	}
	e := f.as(t, f.C1.Admin, "DELETE", sites+"/"+s.ID, nil).wantErr(t, 409, "site_has_recorders", "delete a site with recorders")
	if !strings.Contains(e.Message, "recorders") {
		t.Errorf("English message %q", e.Message)
	}
	who := f.addPerson(t, f.C1, "francophone@c1.test", f.C1.Roles[authz.Technician])
	f.as(t, who, "PATCH", "/me/preferences", map[string]any{"language": "fr"}).want(t, 200, "French")
	e = f.as(t, who, "DELETE", sites+"/"+s.ID, nil).wantErr(t, 409, "site_has_recorders", "delete a site with recorders (fr)")
	if !strings.Contains(e.Message, "enregistreurs") {
		t.Errorf("French message %q", e.Message)
	}
	f.as(t, f.C1.Admin, "GET", sites+"/"+s.ID, nil).want(t, 200, "the site is still there")
}

func testUsers(t *testing.T, f *fixture) {
	users := "/orgs/" + f.C2.Org.ID + "/users"
	me := users + "/" + f.C2.Admin.User.ID
	f.as(t, f.C2.Admin, "DELETE", me, nil).wantErr(t, 409, "self", "delete yourself")
	f.as(t, f.C2.Admin, "PATCH", me, map[string]any{"role_id": f.C2.Roles[authz.Viewer]}).wantErr(t, 409, "self", "demote yourself")
	var u userOut
	f.as(t, f.C2.Admin, "PATCH", me, map[string]any{"name": " Boss "}).want(t, 200, "rename yourself").decode(t, &u)
	if u.Name != "Boss" || u.RoleName != "Admin" {
		t.Errorf("renamed admin %+v", u)
	}

	e := f.as(t, f.C2.Admin, "POST", users, map[string]any{"email": "not-an-email", "role_id": f.C2.Roles[authz.Viewer]}).wantErr(t, 400, "invalid", "bad e-mail")
	if e.Fields["email"] == "" {
		t.Errorf("bad e-mail: %+v", e)
	}
	e = f.as(t, f.C2.Admin, "POST", users, map[string]any{"email": "ok@c2.test", "role_id": "nope"}).wantErr(t, 400, "invalid", "bad role")
	if e.Fields["role_id"] == "" {
		t.Errorf("bad role: %+v", e)
	}
	f.as(t, f.C2.Admin, "POST", users, map[string]any{"email": "ok@c2.test", "role_id": f.C2.Roles[authz.Viewer], "language": "de"}).
		wantErr(t, 400, "invalid", "bad language")
	f.as(t, f.C2.Admin, "POST", users, map[string]any{"email": f.C1.Admin.Email, "role_id": f.C2.Roles[authz.Viewer]}).
		wantErr(t, 409, "email_taken", "e-mail of another tenant's user")

	leaver := f.addPerson(t, f.C2, "leaver@c2.test", f.C2.Roles[authz.Technician])
	var l listOf[userOut]
	f.as(t, f.C2.Admin, "GET", users+"?role_id="+f.C2.Roles[authz.Technician], nil).want(t, 200, "by role").decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].Email != leaver.Email {
		t.Errorf("technicians of C2: %+v", l)
	}
	sess, _ := f.login(t, leaver.Email, leaver.Password)
	f.as(t, f.C2.Admin, "DELETE", users+"/"+leaver.User.ID, nil).want(t, 204, "remove")
	f.as(t, leaver, "GET", "/me", nil).wantErr(t, 401, "unauthenticated", "token of a removed user")
	f.do(t, "GET", "/me", nil, withCookies(sess)).wantErr(t, 401, "unauthenticated", "session of a removed user")
	f.as(t, f.C2.Admin, "DELETE", users+"/"+leaver.User.ID, nil).wantErr(t, 404, "not_found", "remove twice")
}

func testTokens(t *testing.T, f *fixture) {
	var tok struct{ ID, Name, Prefix, Token string }
	f.as(t, f.Tech, "POST", "/me/tokens", map[string]any{"name": "CI"}).want(t, 201, "create").decode(t, &tok)
	if !strings.HasPrefix(tok.Token, "c2d_") || !strings.HasPrefix(tok.Token, tok.Prefix) || tok.Name != "CI" {
		t.Errorf("new token %+v", tok)
	}
	f.as(t, f.Tech, "POST", "/me/tokens", map[string]any{"name": " "}).wantErr(t, 400, "invalid", "no name")
	var l listOf[struct{ ID, Name, Prefix, Token string }]
	f.do(t, "GET", "/me/tokens", nil, bearer(tok.Token)).want(t, 200, "use the new token").decode(t, &l)
	if len(l.Items) != 2 || l.Total != 2 {
		t.Errorf("tokens %+v", l)
	}
	for _, it := range l.Items {
		if it.Token != "" {
			t.Errorf("a list shows a secret: %+v", it)
		}
	}
	f.as(t, f.Tech, "DELETE", "/me/tokens/"+tok.ID, nil).want(t, 204, "revoke")
	f.do(t, "GET", "/me", nil, bearer(tok.Token)).wantErr(t, 401, "unauthenticated", "revoked token")
	f.as(t, f.Tech, "DELETE", "/me/tokens/"+tok.ID, nil).wantErr(t, 404, "not_found", "revoke twice")
	f.as(t, f.Viewer, "POST", "/me/tokens", map[string]any{"name": "x"}).wantErr(t, 403, "forbidden", "viewer lacks tokens.manage")
}

func testAudit(t *testing.T, f *fixture) {
	who := f.addPerson(t, f.C3, "audited@c3.test", f.C3.Roles[authz.Viewer])
	f.do(t, "POST", "/auth/login", map[string]any{"email": who.Email, "password": "nope nope nope"}).want(t, 401, "failed login")
	f.login(t, who.Email, who.Password)
	f.as(t, f.C3.Admin, "POST", "/orgs/"+f.C3.Org.ID+"/roles", map[string]any{"name": "Audited role"}).want(t, 201, "role")
	f.as(t, f.C3.Admin, "POST", "/orgs/"+f.C3.Org.ID+"/users", map[string]any{"email": "audited-invitee@c3.test", "role_id": f.C3.Roles[authz.Viewer]}).
		want(t, 201, "invite")

	type event struct{ Action, ActorEmail, Target, IP string }
	var l listOf[event]
	audit := "/orgs/" + f.C3.Org.ID + "/audit"
	f.as(t, f.C3.Admin, "GET", audit+"?limit=500", nil).want(t, 200, "audit").decode(t, &l)
	has := func(action, target string) bool {
		return slices.ContainsFunc(l.Items, func(e event) bool { return e.Action == action && e.Target == target })
	}
	for _, want := range []struct{ action, target string }{
		{"login.ok", who.Email}, {"login.failed", who.Email}, {"user.invited", "audited-invitee@c3.test"}, {"role.created", "Audited role"},
	} {
		if !has(want.action, want.target) {
			t.Errorf("audit of C3 lacks %s on %s: %+v", want.action, want.target, l.Items)
		}
	}
	if has("login.ok", f.C1.Admin.Email) {
		t.Error("C3's audit shows C1's logins")
	}
	f.as(t, f.C3.Admin, "GET", audit+"?action=login.failed", nil).want(t, 200, "filtered").decode(t, &l)
	if len(l.Items) == 0 {
		t.Error("no login.failed events")
	}
	for _, e := range l.Items {
		if e.Action != "login.failed" || e.IP == "" {
			t.Errorf("filter by action gives %+v", e)
		}
	}
	f.as(t, who, "GET", audit, nil).wantErr(t, 403, "forbidden", "a viewer reads the audit log")
	f.as(t, f.Viewer, "GET", "/orgs/"+f.C1.Org.ID+"/audit", nil).wantErr(t, 403, "forbidden", "C1 viewer reads the audit log")
}

func testBodies(t *testing.T, f *fixture) {
	sites := "/orgs/" + f.C2.Org.ID + "/sites"
	big := `{"name":"` + strings.Repeat("a", 1<<20+10) + `"}`
	f.as(t, f.C2.Admin, "POST", sites, big).wantErr(t, 413, "too_large", "body over 1 MiB")
	e := f.as(t, f.C2.Admin, "POST", sites, `{"name":"x","colour":"red"}`).wantErr(t, 400, "invalid", "unknown field")
	if e.Message != "The request is not valid JSON of the expected shape." {
		t.Errorf("unknown field message %q", e.Message)
	}
	for _, body := range []string{`{"name":`, `not json`, ``, `{"name":"a"} {"name":"b"}`, `{"name":"a"} x`, `["a"]`, `{"name":42}`} {
		e := f.as(t, f.C2.Admin, "POST", sites, body).wantErr(t, 400, "invalid", "body "+body)
		if e.Message != "The request is not valid JSON of the expected shape." {
			t.Errorf("body %q: message %q, want the bad_json message", body, e.Message)
		}
	}
	f.as(t, f.C2.Admin, "POST", sites, `{"name":"x"}`+strings.Repeat(" ", 1000)).want(t, 201, "trailing spaces")
}

func testOperations(t *testing.T, f *fixture) {
	if r := f.do(t, "GET", "/healthz", nil); r.Status != 200 || strings.TrimSpace(string(r.Body)) != "ok" {
		t.Errorf("/healthz: %s", r)
	}
	f.do(t, "GET", "/readyz", nil).want(t, 200, "/readyz")
	f.do(t, "GET", "/password-policy", nil).want(t, 200, "policy")
	r := f.do(t, "GET", "/nope", nil).want(t, 404, "unknown API path")
	if r.err(t).Code != "not_found" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown API path: %s", r)
	}
	if r := f.as(t, f.C1.Admin, "DELETE", "/me", nil); r.Status < 400 || r.err(t).Code == "" {
		t.Errorf("wrong method: %s, want a JSON error", r)
	}
	r = f.as(t, f.C1.Admin, "GET", "/me", nil)
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if r.Header.Get(k) != want {
			t.Errorf("header %s = %q", k, r.Header.Get(k))
		}
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
	m := f.do(t, "GET", "/metrics", nil).want(t, 200, "/metrics")
	for _, want := range []string{"cam2drive_http_requests_total", `route="GET /me",status="2xx"`, "cam2drive_http_request_duration_seconds"} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	var perms listOf[struct{ Key, Group string }]
	f.as(t, f.Viewer, "GET", "/permissions", nil).want(t, 200, "catalogue").decode(t, &perms)
	if len(perms.Items) != len(authz.Catalogue()) {
		t.Errorf("catalogue has %d entries, want %d", len(perms.Items), len(authz.Catalogue()))
	}
}

// testUnstorableText sends NUL characters and invalid UTF-8, which
// PostgreSQL refuses, wherever text reaches the store: a clear 400 (or 404
// for a path), never a 500.
func testUnstorableText(t *testing.T, f *fixture) {
	c2 := "/orgs/" + f.C2.Org.ID
	cases := []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{"POST", c2 + "/sites", `{"name":"a\u0000b"}`, 400, "name"},
		{"PATCH", c2 + "/sites/" + f.C2.SiteID, `{"address":"\u0000"}`, 400, "address"},
		{"POST", c2 + "/roles", `{"name":"r\u0000"}`, 400, "name"},
		{"POST", c2 + "/users", `{"email":"a\u0000@b.test","role_id":"` + f.C2.Roles[authz.Viewer] + `"}`, 400, "email"},
		{"PATCH", c2 + "/users/" + f.C2.UserID, `{"name":"\u0000"}`, 400, "name"},
		{"PATCH", c2, `{"phone":"\u0000"}`, 400, "phone"},
		{"POST", "/me/tokens", `{"name":"t\u0000"}`, 400, "name"},
		{"POST", "/orgs", `{"parent_id":"` + f.I1.Org.ID + `","kind":"client","name":"x\u0000","email":"x@x.test"}`, 400, "name"},
		{"GET", c2 + "/sites?name=%00", nil, 400, "name"},
		{"GET", c2 + "/sites?timezone=%ff", nil, 400, "timezone"},
		{"GET", c2 + "/users?q=%00", nil, 400, "q"},
		{"GET", c2 + "/users?role_id=%ff", nil, 400, "role_id"},
		{"GET", c2 + "/audit?action=%00", nil, 400, "action"},
		{"POST", c2 + "/recorders", `{"name":"n\u0000","site_id":"` + f.C2.RecorderSiteID + `"}`, 400, "name"},
		{"PATCH", c2 + "/recorders/" + f.C2.RecorderID, `{"site_id":"\u0000"}`, 400, "site_id"},
		{"PATCH", c2 + "/cameras/" + f.C2.CameraID, `{"name":"\u0000"}`, 400, "name"},
		{"PATCH", c2 + "/cameras/" + f.C2.CameraID, `{"allowed_users":["\u0000"]}`, 400, "allowed_users"},
		{"POST", c2 + "/virtual-disks/" + f.C2.DiskID + "/attach", `{"recorder_id":"\u0000"}`, 400, "recorder_id"},
		{"GET", c2 + "/recorders?q=%00", nil, 400, "q"},
		{"GET", c2 + "/cameras?name=%00", nil, 400, "name"},
		{"GET", c2 + "/cameras?recorder_id=%ff", nil, 400, "recorder_id"},
		{"GET", c2 + "/recordings?camera_ids=%ff", nil, 400, "camera_ids"},
		{"GET", c2 + "/sites/%00", nil, 404, ""},
		{"GET", c2 + "/roles/%ff", nil, 404, ""},
		{"GET", c2 + "/recorders/%00", nil, 404, ""},
		{"GET", c2 + "/cameras/%ff", nil, 404, ""},
		{"GET", c2 + "/recordings/%00", nil, 404, ""},
		{"DELETE", "/me/tokens/%00", nil, 404, ""},
	}
	for _, c := range cases {
		r := f.as(t, f.C2.Admin, c.method, c.path, c.body)
		if c.status == 404 {
			r.wantErr(t, 404, "not_found", c.method+" "+c.path)
			continue
		}
		if e := r.wantErr(t, 400, "invalid", c.method+" "+c.path); e.Fields[c.field] == "" {
			t.Errorf("%s %s: want fields.%s, got %+v", c.method, c.path, c.field, e)
		}
	}
	for _, path := range []string{"/auth/login", "/auth/forgot-password"} {
		f.do(t, "POST", path, `{"email":"a\u0000@b.test"}`).wantErr(t, 400, "invalid", path+" with NUL")
	}
	f.do(t, "GET", "/auth/password-token?token=%ff", nil).wantErr(t, 400, "invalid", "link with invalid UTF-8")
	// Invalid UTF-8 inside JSON is replaced, as JSON decoders do.
	var s siteOut
	f.as(t, f.C2.Admin, "POST", c2+"/sites", "{\"name\":\"caf\xe9\"}").want(t, 201, "latin-1 name").decode(t, &s)
	if s.Name != "caf\ufffd" {
		t.Errorf("name %q", s.Name)
	}
}

func testCreateOrg(t *testing.T, f *fixture) {
	e := f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"kind": "client", "name": "Orphan", "email": "o@orphan.test"}).
		wantErr(t, 400, "invalid", "no parent")
	if e.Fields["parent_id"] == "" {
		t.Errorf("no parent: %+v", e)
	}
	e = f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"parent_id": f.I1.Org.ID, "kind": "client", "name": "Deutsch",
		"email": "d@deutsch.test", "language": "de"}).wantErr(t, 400, "invalid", "unknown language")
	if e.Fields["language"] == "" {
		t.Errorf("unknown language: %+v", e)
	}
	e = f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"parent_id": f.I1.Org.ID, "kind": "installer", "name": "Peer",
		"email": "p@peer.test"}).wantErr(t, 400, "invalid", "wrong kind")
	if e.Fields["kind"] == "" {
		t.Errorf("wrong kind: %+v", e)
	}
	f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"parent_id": f.I1.Org.ID, "kind": "client", "name": "Taken",
		"email": f.C2.Admin.Email}).wantErr(t, 409, "email_taken", "admin e-mail in use")
	var o orgOut
	f.as(t, f.I1.Admin, "POST", "/orgs", map[string]any{"parent_id": f.I1.Org.ID, "kind": "client", "name": "Québec Inc",
		"email": "Patron@Quebec.test", "language": "fr"}).want(t, 201, "create").decode(t, &o)
	mails, err := f.DB.Outbox(t.Context(), "patron@quebec.test", 1)
	if err != nil || len(mails) != 1 || !strings.Contains(mails[0].Text, "Québec Inc") {
		t.Fatalf("invitation of the new admin: %v %+v", err, mails)
	}
	// The new admin joins through the link and sees the client's default site.
	token := f.mailToken(t, "patron@quebec.test")
	f.do(t, "POST", "/auth/set-password", map[string]any{"token": token, "password": "Maple-Syrup-1642"}).want(t, 204, "set password")
	sess, _ := f.login(t, "patron@quebec.test", "Maple-Syrup-1642")
	var sites listOf[siteOut]
	f.do(t, "GET", "/orgs/"+o.ID+"/sites", nil, withCookies(sess)).want(t, 200, "sites").decode(t, &sites)
	if sites.Total != 1 || sites.Items[0].Name != "default site" {
		t.Errorf("sites of a new client: %+v", sites)
	}
	var me struct {
		Preferences struct{ Language string } `json:"preferences"`
		Org         orgOut                    `json:"org"`
	}
	f.do(t, "GET", "/me", nil, withCookies(sess)).decode(t, &me)
	if me.Preferences.Language != "fr" || me.Org.ID != o.ID {
		t.Errorf("new admin /me %+v", me)
	}
	// The installer renames its client.
	f.as(t, f.I1.Admin, "PATCH", "/orgs/"+o.ID, map[string]any{"name": " Québec SA "}).want(t, 200, "rename").decode(t, &o)
	if o.Name != "Québec SA" {
		t.Errorf("renamed %+v", o)
	}
	f.as(t, f.I1.Admin, "PATCH", "/orgs/"+o.ID, map[string]any{"name": ""}).wantErr(t, 400, "invalid", "empty name")
}
