// Package authz is the permission catalogue and the rules that decide what a
// user may do on an organisation. It is pure: no I/O.
package authz

import (
	"slices"

	"github.com/cam2drive/cam2drive"
)

// Permission is one action of the catalogue.
type Permission string

// The catalogue: every action of the client and installer guides.
const (
	RecordingsView      Permission = "recordings.view"
	RecordingsDownload  Permission = "recordings.download"
	AIAsk               Permission = "ai.ask"
	RecordersView       Permission = "recorders.view"
	RecordersManage     Permission = "recorders.manage"
	CamerasView         Permission = "cameras.view"
	CamerasManage       Permission = "cameras.manage"
	SitesView           Permission = "sites.view"
	SitesManage         Permission = "sites.manage"
	UsersView           Permission = "users.view"
	UsersManage         Permission = "users.manage"
	RolesView           Permission = "roles.view"
	RolesManage         Permission = "roles.manage"
	SubscriptionsView   Permission = "subscriptions.view"
	SubscriptionsManage Permission = "subscriptions.manage"
	OrgsView            Permission = "orgs.view"
	OrgsManage          Permission = "orgs.manage"
	AuditView           Permission = "audit.view"
	TokensManage        Permission = "tokens.manage"
)

// Entry describes a permission for the role editor.
type Entry struct {
	Key   Permission `json:"key"`
	Group string     `json:"group"`
}

// Catalogue lists every permission, grouped for the role editor.
func Catalogue() []Entry {
	return []Entry{
		{RecordingsView, "recordings"}, {RecordingsDownload, "recordings"}, {AIAsk, "recordings"},
		{RecordersView, "devices"}, {RecordersManage, "devices"}, {CamerasView, "devices"}, {CamerasManage, "devices"},
		{SitesView, "sites"}, {SitesManage, "sites"},
		{UsersView, "users"}, {UsersManage, "users"}, {RolesView, "users"}, {RolesManage, "users"},
		{SubscriptionsView, "subscriptions"}, {SubscriptionsManage, "subscriptions"},
		{OrgsView, "customers"}, {OrgsManage, "customers"},
		{AuditView, "security"}, {TokensManage, "security"},
	}
}

// Known tells whether p is in the catalogue.
func Known(p string) bool {
	return slices.ContainsFunc(Catalogue(), func(e Entry) bool { return string(e.Key) == p })
}

// Built-in role keys.
const (
	Admin      = "admin"
	Technician = "technician"
	Viewer     = "viewer"
)

// BuiltinRoles returns the roles every organisation starts with: Admin has
// everything; Technician runs the installation but not people or money;
// Viewer watches footage.
func BuiltinRoles() []cam2drive.Role {
	all := make([]string, 0, len(Catalogue()))
	for _, e := range Catalogue() {
		all = append(all, string(e.Key))
	}
	return []cam2drive.Role{
		{Name: "Admin", Builtin: Admin, Permissions: all},
		{Name: "Technician", Builtin: Technician, Permissions: strs(
			RecordingsView, RecordingsDownload, AIAsk, RecordersView, RecordersManage, CamerasView, CamerasManage,
			SitesView, SitesManage, UsersView, RolesView, SubscriptionsView, OrgsView, TokensManage)},
		{Name: "Viewer", Builtin: Viewer, Permissions: strs(
			RecordingsView, RecordingsDownload, AIAsk, RecordersView, CamerasView, SitesView)},
	}
}

func strs(ps ...Permission) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// Actor is what a decision needs to know about the caller.
type Actor struct {
	Org         cam2drive.Org
	Permissions []string
}

// Decision is the outcome of Check.
type Decision int

const (
	// Allow lets the action go ahead.
	Allow Decision = iota
	// Hidden: the target is outside the actor's reach; answer "not found"
	// so other tenants' ids are not disclosed.
	Hidden
	// Denied: the target is visible but the role lacks the permission.
	Denied
)

// Check decides whether actor may do p on target: target must be the actor's
// organisation or one of its descendants, and the role must hold p.
func Check(actor Actor, p Permission, target cam2drive.Org) Decision {
	if !actor.Org.IsAncestorOrSelf(target) {
		return Hidden
	}
	if !slices.Contains(actor.Permissions, string(p)) {
		return Denied
	}
	return Allow
}

// CanCreateChild tells whether an organisation of kind parent may create one
// of kind child: each level creates the level just below it.
func CanCreateChild(parent, child cam2drive.OrgKind) bool {
	return child != "" && parent.ChildKind() == child
}
