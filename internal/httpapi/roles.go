package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
)

type roleReq struct {
	Name        *string   `json:"name,omitempty"`
	Permissions *[]string `json:"permissions,omitempty"`
}

func (req roleReq) apply(r *cam2drive.Role) error {
	bad := map[string]string{}
	if req.Name != nil {
		r.Name = strings.TrimSpace(*req.Name)
	}
	if r.Name == "" {
		bad["name"] = "required"
	} else if len(r.Name) > 100 {
		bad["name"] = "too_long"
	}
	if req.Permissions != nil {
		perms := []string{}
		for _, p := range *req.Permissions {
			if !authz.Known(p) {
				bad["permissions"] = "unknown_permission"
			} else if !slices.Contains(perms, p) {
				perms = append(perms, p)
			}
		}
		slices.Sort(perms)
		r.Permissions = perms
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	return nil
}

func (s *Server) listRoles(c *call) error {
	roles, err := s.DB.Roles(c.r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, list[roleJSON]{Items: mapList(roles, toRole), Total: len(roles)})
}

func (s *Server) getRole(c *call) error {
	r, err := s.DB.Role(c.r.Context(), c.org.ID, c.r.PathValue("role_id"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toRole(r))
}

func (s *Server) createRole(c *call) error {
	var req roleReq
	if err := c.decode(&req); err != nil {
		return err
	}
	r := cam2drive.Role{OrgID: c.org.ID, Permissions: []string{}}
	if err := req.apply(&r); err != nil {
		return err
	}
	if err := c.canGrant(r.Permissions); err != nil {
		return err
	}
	if err := s.DB.CreateRole(c.r.Context(), &r); err != nil {
		return err
	}
	if err := s.audit(c, "role.created", r.Name, strings.Join(r.Permissions, ",")); err != nil {
		return err
	}
	return c.json(http.StatusCreated, toRole(r))
}

func (s *Server) updateRole(c *call) error {
	var req roleReq
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := s.DB.Role(c.r.Context(), c.org.ID, c.r.PathValue("role_id"))
	if err != nil {
		return err
	}
	if r.Builtin == authz.Admin {
		return cam2drive.Errorf(cam2drive.CodeConflict, "builtin_role")
	}
	if err := req.apply(&r); err != nil {
		return err
	}
	if err := c.canGrant(r.Permissions); err != nil {
		return err
	}
	if err := s.DB.UpdateRole(c.r.Context(), r); err != nil {
		return err
	}
	if err := s.audit(c, "role.updated", r.Name, strings.Join(r.Permissions, ",")); err != nil {
		return err
	}
	return c.json(http.StatusOK, toRole(r))
}

func (s *Server) deleteRole(c *call) error {
	r, err := s.DB.Role(c.r.Context(), c.org.ID, c.r.PathValue("role_id"))
	if err != nil {
		return err
	}
	if r.Builtin != "" {
		return cam2drive.Errorf(cam2drive.CodeConflict, "builtin_role_delete")
	}
	if err := s.DB.DeleteRole(c.r.Context(), c.org.ID, r.ID); err != nil {
		return err
	}
	if err := s.audit(c, "role.deleted", r.Name, ""); err != nil {
		return err
	}
	return c.noContent()
}

// canGrant refuses to give permissions the caller doesn't hold, whether by
// writing them into a role or by assigning a role that has them: otherwise
// roles.manage or users.manage would be a way to become Admin.
func (c *call) canGrant(perms []string) error {
	for _, p := range perms {
		if !slices.Contains(c.who.Role.Permissions, p) {
			return &cam2drive.Error{Code: cam2drive.CodeForbidden, Key: "permission_not_held", Fields: map[string]string{"permissions": "permission_not_held"}}
		}
	}
	return nil
}
