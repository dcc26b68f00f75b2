package httpapi

import "github.com/cam2drive/cam2drive/internal/authz"

// route is one API endpoint. Every non-public route is authenticated; a
// route with {org_id} is refused (404) outside the caller's subtree, then
// checked against perm on that organisation.
type route struct {
	method, path string
	perm         authz.Permission
	public       bool
	summary      string
	req, resp    any // JSON shapes for the OpenAPI document (nil: none)
	status       int // success status (default 200)
	handle       func(*call) error
}

// table lists every route of /api/v1.
func (s *Server) table() []route {
	p := authz.Permission("")
	return []route{
		{method: "POST", path: "/auth/login", public: true, summary: "Sign in with e-mail and password", req: loginReq{}, resp: meJSON{}, handle: s.login},
		{method: "POST", path: "/auth/logout", perm: p, summary: "Sign out", status: 204, handle: s.logout},
		{method: "POST", path: "/auth/forgot-password", public: true, summary: "Mail a password reset link", req: forgotReq{}, status: 202, handle: s.forgotPassword},
		{method: "GET", path: "/auth/password-token", public: true, summary: "Describe a set-password link", resp: passwordTokenJSON{}, handle: s.passwordToken},
		{method: "POST", path: "/auth/set-password", public: true, summary: "Choose a password with a link", req: setPasswordReq{}, status: 204, handle: s.setPassword},
		{method: "GET", path: "/password-policy", public: true, summary: "The password policy", resp: policyJSON{}, handle: s.passwordPolicy},
		{method: "GET", path: "/timezones", public: true, summary: "IANA time zones", resp: list[string]{}, handle: s.timezones},
		{method: "GET", path: "/permissions", summary: "The permission catalogue", resp: list[authz.Entry]{}, handle: s.permissions},

		{method: "GET", path: "/me", summary: "The signed-in user, organisation and permissions", resp: meJSON{}, handle: s.me},
		{method: "PATCH", path: "/me/preferences", summary: "Change display preferences", req: prefsReq{}, resp: prefsJSON{}, handle: s.setPreferences},
		{method: "POST", path: "/me/password", summary: "Change password", req: changePasswordReq{}, status: 204, handle: s.changePassword},
		{method: "GET", path: "/me/tokens", perm: authz.TokensManage, summary: "List personal API tokens", resp: list[tokenJSON]{}, handle: s.listTokens},
		{method: "POST", path: "/me/tokens", perm: authz.TokensManage, summary: "Create a personal API token", req: tokenReq{}, resp: tokenJSON{}, status: 201, handle: s.createToken},
		{method: "DELETE", path: "/me/tokens/{token_id}", perm: authz.TokensManage, summary: "Revoke a personal API token", status: 204, handle: s.deleteToken},

		{method: "POST", path: "/orgs", perm: p, summary: "Create a child organisation and invite its admin", req: createOrgReq{}, resp: orgJSON{}, status: 201, handle: s.createOrg},
		{method: "GET", path: "/orgs/{org_id}", perm: authz.OrgsView, summary: "One organisation", resp: orgJSON{}, handle: s.getOrg},
		{method: "PATCH", path: "/orgs/{org_id}", perm: authz.OrgsManage, summary: "Edit an organisation", req: updateOrgReq{}, resp: orgJSON{}, handle: s.updateOrg},
		{method: "GET", path: "/orgs/{org_id}/children", perm: authz.OrgsView, summary: "Child organisations", resp: list[orgJSON]{}, handle: s.listChildren},

		{method: "GET", path: "/orgs/{org_id}/sites", perm: authz.SitesView, summary: "List sites", resp: list[siteJSON]{}, handle: s.listSites},
		{method: "POST", path: "/orgs/{org_id}/sites", perm: authz.SitesManage, summary: "Add a site", req: siteReq{}, resp: siteJSON{}, status: 201, handle: s.createSite},
		{method: "GET", path: "/orgs/{org_id}/sites/{site_id}", perm: authz.SitesView, summary: "One site", resp: siteJSON{}, handle: s.getSite},
		{method: "PATCH", path: "/orgs/{org_id}/sites/{site_id}", perm: authz.SitesManage, summary: "Edit a site", req: siteReq{}, resp: siteJSON{}, handle: s.updateSite},
		{method: "DELETE", path: "/orgs/{org_id}/sites/{site_id}", perm: authz.SitesManage, summary: "Delete a site without recorders", status: 204, handle: s.deleteSite},

		{method: "GET", path: "/orgs/{org_id}/users", perm: authz.UsersView, summary: "List users", resp: list[userJSON]{}, handle: s.listUsers},
		{method: "POST", path: "/orgs/{org_id}/users", perm: authz.UsersManage, summary: "Invite a user with a role", req: inviteReq{}, resp: userJSON{}, status: 201, handle: s.inviteUser},
		{method: "PATCH", path: "/orgs/{org_id}/users/{user_id}", perm: authz.UsersManage, summary: "Change a user's role or name", req: updateUserReq{}, resp: userJSON{}, handle: s.updateUser},
		{method: "DELETE", path: "/orgs/{org_id}/users/{user_id}", perm: authz.UsersManage, summary: "Remove a user", status: 204, handle: s.deleteUser},
		{method: "POST", path: "/orgs/{org_id}/users/{user_id}/invitation", perm: authz.UsersManage, summary: "Send the invitation again", status: 202, handle: s.resendInvitation},

		{method: "GET", path: "/orgs/{org_id}/roles", perm: authz.RolesView, summary: "List roles", resp: list[roleJSON]{}, handle: s.listRoles},
		{method: "POST", path: "/orgs/{org_id}/roles", perm: authz.RolesManage, summary: "Add a role", req: roleReq{}, resp: roleJSON{}, status: 201, handle: s.createRole},
		{method: "GET", path: "/orgs/{org_id}/roles/{role_id}", perm: authz.RolesView, summary: "One role", resp: roleJSON{}, handle: s.getRole},
		{method: "PATCH", path: "/orgs/{org_id}/roles/{role_id}", perm: authz.RolesManage, summary: "Edit a role", req: roleReq{}, resp: roleJSON{}, handle: s.updateRole},
		{method: "DELETE", path: "/orgs/{org_id}/roles/{role_id}", perm: authz.RolesManage, summary: "Delete a role no user holds", status: 204, handle: s.deleteRole},

		{method: "GET", path: "/orgs/{org_id}/recorders", perm: authz.RecordersView, summary: "List recorders", resp: list[recorderJSON]{}, handle: s.listRecorders},
		{method: "POST", path: "/orgs/{org_id}/recorders", perm: authz.RecordersManage, summary: "Add a recorder with its channels", req: recorderReq{}, resp: recorderJSON{}, status: 201, handle: s.createRecorder},
		{method: "GET", path: "/orgs/{org_id}/recorders/{recorder_id}", perm: authz.RecordersView, summary: "One recorder", resp: recorderJSON{}, handle: s.getRecorder},
		{method: "PATCH", path: "/orgs/{org_id}/recorders/{recorder_id}", perm: authz.RecordersManage, summary: "Edit a recorder (wizard step 1)", req: recorderReq{}, resp: recorderJSON{}, handle: s.updateRecorder},
		{method: "DELETE", path: "/orgs/{org_id}/recorders/{recorder_id}", perm: authz.RecordersManage, summary: "Delete a recorder without a virtual disk", status: 204, handle: s.deleteRecorder},
		{method: "GET", path: "/orgs/{org_id}/recorders/{recorder_id}/connection", perm: authz.RecordersManage, summary: "FTP/SFTP connection settings (wizard step 5)", resp: connectionJSON{}, handle: s.getConnection},
		{method: "POST", path: "/orgs/{org_id}/recorders/{recorder_id}/connection/regenerate", perm: authz.RecordersManage, summary: "New FTP/SFTP credentials", resp: connectionJSON{}, handle: s.regenerateConnection},
		{method: "GET", path: "/orgs/{org_id}/recorders/{recorder_id}/health", perm: authz.RecordersView, summary: "Recorder health", resp: healthJSON{}, handle: s.recorderHealth},

		{method: "GET", path: "/orgs/{org_id}/cameras", perm: authz.CamerasView, summary: "List cameras", resp: list[cameraJSON]{}, handle: s.listCameras},
		{method: "GET", path: "/orgs/{org_id}/cameras/{camera_id}", perm: authz.CamerasView, summary: "One camera", resp: cameraJSON{}, handle: s.getCamera},
		{method: "PATCH", path: "/orgs/{org_id}/cameras/{camera_id}", perm: authz.CamerasManage, summary: "Edit a camera", req: cameraReq{}, resp: cameraJSON{}, handle: s.updateCamera},

		{method: "GET", path: "/orgs/{org_id}/virtual-disks", perm: authz.SubscriptionsView, summary: "List virtual disks", resp: list[diskJSON]{}, handle: s.listDisks},
		{method: "POST", path: "/orgs/{org_id}/virtual-disks", perm: authz.SubscriptionsManage, summary: "Create a virtual disk for a client", req: diskReq{}, resp: diskJSON{}, status: 201, handle: s.createDisk},
		{method: "GET", path: "/orgs/{org_id}/virtual-disks/{disk_id}", perm: authz.SubscriptionsView, summary: "One virtual disk", resp: diskJSON{}, handle: s.getDisk},
		{method: "POST", path: "/orgs/{org_id}/virtual-disks/{disk_id}/attach", perm: authz.SubscriptionsManage, summary: "Attach a disk to a recorder", req: attachReq{}, resp: diskJSON{}, handle: s.attachDisk},
		{method: "POST", path: "/orgs/{org_id}/virtual-disks/{disk_id}/detach", perm: authz.SubscriptionsManage, summary: "Detach a disk from its recorder", resp: diskJSON{}, handle: s.detachDisk},

		{method: "GET", path: "/orgs/{org_id}/ai-subscriptions", perm: authz.SubscriptionsView, summary: "List AI subscriptions", resp: list[aiSubJSON]{}, handle: s.listAISubs},
		{method: "POST", path: "/orgs/{org_id}/ai-subscriptions", perm: authz.SubscriptionsManage, summary: "Create an AI subscription for a client", req: aiSubReq{}, resp: aiSubJSON{}, status: 201, handle: s.createAISub},
		{method: "GET", path: "/orgs/{org_id}/ai-subscriptions/{subscription_id}", perm: authz.SubscriptionsView, summary: "One AI subscription", resp: aiSubJSON{}, handle: s.getAISub},
		{method: "PATCH", path: "/orgs/{org_id}/ai-subscriptions/{subscription_id}", perm: authz.SubscriptionsManage, summary: "Change an AI subscription's camera limit or packages", req: aiSubPatchReq{}, resp: aiSubJSON{}, handle: s.updateAISub},
		{method: "POST", path: "/orgs/{org_id}/ai-subscriptions/{subscription_id}/cancel", perm: authz.SubscriptionsManage, summary: "Cancel an AI subscription (AI goes off on the client's cameras)", resp: aiSubJSON{}, handle: s.cancelAISub},
		{method: "GET", path: "/ai/packages", perm: p, summary: "The HOLO4 beta catalogue: packages and their algorithms", resp: aiCatalogueJSON{}, handle: s.aiPackages},
		{method: "GET", path: "/ai/status", perm: p, summary: "Whether the AI model runtime runs on this server, and how to install it", resp: aiStatusJSON{}, handle: s.aiStatus},

		{method: "GET", path: "/orgs/{org_id}/recordings", perm: authz.RecordingsView, summary: "List recordings (filters: site, cameras, period, detection types)", resp: list[recordingJSON]{}, handle: s.listRecordings},
		{method: "GET", path: "/orgs/{org_id}/recordings/calendar", perm: authz.RecordingsView, summary: "Days of a month with recordings, and the last day", resp: calendarJSON{}, handle: s.recordingCalendar},
		{method: "GET", path: "/orgs/{org_id}/recordings/histogram", perm: authz.RecordingsView, summary: "Recordings per hour of a day", resp: histogramJSON{}, handle: s.recordingHistogram},
		{method: "GET", path: "/orgs/{org_id}/recordings/{recording_id}", perm: authz.RecordingsView, summary: "One recording with its detections and media URLs", resp: recordingJSON{}, handle: s.getRecording},

		{method: "GET", path: "/orgs/{org_id}/audit", perm: authz.AuditView, summary: "Security audit log", resp: list[auditJSON]{}, handle: s.listAudit},
	}
}
