package httpapi

import (
	"net/http"
	"strings"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

func (s *Server) listUsers(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	users, total, err := s.DB.Users(c.r.Context(), c.org.ID, store.UserFilter{RoleID: c.query("role_id"), Query: c.query("q")}, p)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, newList(mapList(users, toUser), total, p))
}

type inviteReq struct {
	Email    string `json:"email"`
	RoleID   string `json:"role_id"`
	Name     string `json:"name,omitempty"`
	Language string `json:"language,omitempty" enum:"fr,en"`
}

func (s *Server) inviteUser(c *call) error {
	var req inviteReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.Language != "" && req.Language != "fr" && req.Language != "en" {
		return cam2drive.Invalid(map[string]string{"language": "invalid_value"})
	}
	if err := s.canAssign(c, req.RoleID); err != nil {
		return err
	}
	u, err := s.Tenancy.InviteUser(c.r.Context(), c.who, c.org, req.Email, req.RoleID, req.Name, req.Language, c.ip())
	if err != nil {
		return err
	}
	return c.json(http.StatusCreated, toUser(u))
}

type updateUserReq struct {
	RoleID *string `json:"role_id,omitempty"`
	Name   *string `json:"name,omitempty"`
}

func (s *Server) updateUser(c *call) error {
	var req updateUserReq
	if err := c.decode(&req); err != nil {
		return err
	}
	ctx, id := c.r.Context(), c.r.PathValue("user_id")
	u, err := s.DB.User(ctx, c.org.ID, id)
	if err != nil {
		return err
	}
	if req.RoleID != nil && *req.RoleID != u.RoleID {
		if id == c.who.User.ID {
			return cam2drive.Errorf(cam2drive.CodeConflict, "self")
		}
		if err := s.canAssign(c, *req.RoleID); err != nil {
			return err
		}
		if err := s.DB.SetUserRole(ctx, c.org.ID, id, *req.RoleID); err != nil {
			if cam2drive.IsNotFound(err) {
				return cam2drive.Invalid(map[string]string{"role_id": "unknown_role"})
			}
			return err
		}
		role, _ := s.DB.Role(ctx, c.org.ID, *req.RoleID)
		if err := s.audit(c, "user.role_changed", u.Email, u.RoleName+" → "+role.Name); err != nil {
			return err
		}
	}
	if req.Name != nil {
		name := strings.TrimSpace(*req.Name)
		if len(name) > 200 {
			return cam2drive.Invalid(map[string]string{"name": "too_long"})
		}
		if err := s.DB.SetUserName(ctx, c.org.ID, id, name); err != nil {
			return err
		}
	}
	u, err = s.DB.User(ctx, c.org.ID, id)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toUser(u))
}

func (s *Server) deleteUser(c *call) error {
	ctx, id := c.r.Context(), c.r.PathValue("user_id")
	if id == c.who.User.ID {
		return cam2drive.Errorf(cam2drive.CodeConflict, "self")
	}
	u, err := s.DB.User(ctx, c.org.ID, id)
	if err != nil {
		return err
	}
	if err := s.DB.DeleteUser(ctx, c.org.ID, id); err != nil {
		return err
	}
	if err := s.audit(c, "user.removed", u.Email, ""); err != nil {
		return err
	}
	return c.noContent()
}

func (s *Server) resendInvitation(c *call) error {
	if err := s.Tenancy.ResendInvitation(c.r.Context(), c.who, c.org, c.r.PathValue("user_id")); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

// audit records an event of the path's organisation by the caller.
func (s *Server) audit(c *call, action, target, detail string) error {
	return s.DB.AddAudit(c.r.Context(), cam2drive.AuditEvent{OrgID: c.org.ID, ActorID: c.who.User.ID,
		ActorEmail: c.who.User.Email, Action: action, Target: target, IP: c.ip(), Detail: detail})
}

func (s *Server) listAudit(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	events, total, err := s.DB.Audit(c.r.Context(), c.org.ID, c.query("action"), p)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, newList(mapList(events, toAudit), total, p))
}

// canAssign checks the caller holds every permission of the role it assigns
// (an unknown role is left to the store to refuse).
func (s *Server) canAssign(c *call, roleID string) error {
	role, err := s.DB.Role(c.r.Context(), c.org.ID, roleID)
	if err != nil {
		return nil
	}
	return c.canGrant(role.Permissions)
}
