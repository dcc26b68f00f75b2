package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// A user who manages roles or users must not be able to give anyone,
// themselves included, a permission they don't hold.
func TestNoPrivilegeEscalation(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c1 := f.C1
			managerRole := f.addRole(t, c1.Org.ID, "People manager",
				string(authz.RolesView), string(authz.RolesManage), string(authz.UsersView), string(authz.UsersManage))
			mgr := f.addPerson(t, c1, "manager@c1.test", managerRole)
			base := "/api/v1/orgs/" + c1.Org.ID

			// Writing a permission it lacks into its own role, or a new one.
			f.as(t, mgr, "PATCH", base+"/roles/"+managerRole, map[string]any{
				"permissions": []string{string(authz.RolesManage), string(authz.UsersManage), string(authz.AuditView)},
			}).wantErr(t, http.StatusForbidden, "forbidden", "own role with audit.view")
			f.as(t, mgr, "POST", base+"/roles", map[string]any{
				"name": "Escalated", "permissions": []string{string(authz.SitesManage)},
			}).wantErr(t, http.StatusForbidden, "forbidden", "new role with sites.manage")

			// Assigning a role with more than it holds: Admin, to itself or others.
			f.as(t, mgr, "POST", base+"/users", map[string]any{
				"email": "friend@c1.test", "role_id": c1.Roles[authz.Admin],
			}).wantErr(t, http.StatusForbidden, "forbidden", "invite as Admin")
			f.as(t, mgr, "PATCH", base+"/users/"+f.Viewer.User.ID, map[string]any{
				"role_id": c1.Roles[authz.Admin],
			}).wantErr(t, http.StatusForbidden, "forbidden", "promote a viewer to Admin")

			// Within its own permissions it still works.
			f.as(t, mgr, "POST", base+"/roles", map[string]any{
				"name": "Readers", "permissions": []string{string(authz.UsersView)},
			}).want(t, http.StatusCreated, "role within its own permissions")
		})
	}
}
