package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cam2drive/cam2drive"
)

func (s *Server) me(c *call) error {
	return c.json(http.StatusOK, toMe(c.who))
}

// prefsReq is a partial update: absent fields keep their value.
type prefsReq struct {
	Theme       *string `json:"theme,omitempty" enum:"light,dark,system"`
	Language    *string `json:"language,omitempty" enum:"fr,en"`
	Density     *string `json:"density,omitempty" enum:"comfortable,compact"`
	RowsPerPage *int    `json:"rows_per_page,omitempty" enum:"10,25,50,100"`
}

type prefsJSON = cam2drive.Preferences

func (s *Server) setPreferences(c *call) error {
	var req prefsReq
	if err := c.decode(&req); err != nil {
		return err
	}
	p, err := applyPrefs(c.who.User.Preferences, req)
	if err != nil {
		return err
	}
	if err := s.DB.SetPreferences(c.r.Context(), c.who.User.ID, p); err != nil {
		return err
	}
	return c.json(http.StatusOK, p)
}

func applyPrefs(p cam2drive.Preferences, req prefsReq) (cam2drive.Preferences, error) {
	bad := map[string]string{}
	set := func(field string, v *string, allowed ...string) string {
		if v == nil {
			return ""
		}
		if !slices.Contains(allowed, *v) {
			bad[field] = "invalid_value"
		}
		return *v
	}
	if v := set("theme", req.Theme, "light", "dark", "system"); v != "" {
		p.Theme = v
	}
	if v := set("language", req.Language, "fr", "en"); v != "" {
		p.Language = v
	}
	if v := set("density", req.Density, "comfortable", "compact"); v != "" {
		p.Density = v
	}
	if req.RowsPerPage != nil {
		if !slices.Contains([]int{10, 25, 50, 100}, *req.RowsPerPage) {
			bad["rows_per_page"] = "invalid_value"
		}
		p.RowsPerPage = *req.RowsPerPage
	}
	if len(bad) > 0 {
		return p, cam2drive.Invalid(bad)
	}
	return p, nil
}

type changePasswordReq struct {
	OldPassword     string `json:"old_password"`
	NewPassword     string `json:"new_password"`
	ConfirmPassword string `json:"confirm_password"`
}

func (s *Server) changePassword(c *call) error {
	var req changePasswordReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := s.Auth.ChangePassword(c.r.Context(), c.who, req.OldPassword, req.NewPassword, req.ConfirmPassword, c.ip()); err != nil {
		return err
	}
	// Every session ended with the change; a browser gets a fresh one.
	if c.who.SessionHash != "" {
		sess, err := s.Auth.NewSession(c.r.Context(), c.who.User.ID, c.ip(), c.r.UserAgent())
		if err != nil {
			return err
		}
		s.setSessionCookies(c, sess.Token, sess.CSRF, sess.ExpiresAt)
	}
	return c.noContent()
}

type tokenReq struct {
	Name string `json:"name"`
}

func (s *Server) listTokens(c *call) error {
	ts, err := s.DB.APITokens(c.r.Context(), c.who.User.ID)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, list[tokenJSON]{Items: mapList(ts, toToken), Total: len(ts)})
}

func (s *Server) createToken(c *call) error {
	var req tokenReq
	if err := c.decode(&req); err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) > 100 {
		return cam2drive.Invalid(map[string]string{"name": "required"})
	}
	t, secret, err := s.Auth.CreateAPIToken(c.r.Context(), c.who.User, name, c.ip())
	if err != nil {
		return err
	}
	out := toToken(t)
	out.Token = secret
	return c.json(http.StatusCreated, out)
}

func (s *Server) deleteToken(c *call) error {
	if err := s.DB.DeleteAPIToken(c.r.Context(), c.who.User.ID, c.r.PathValue("token_id")); err != nil {
		return err
	}
	if err := s.DB.AddAudit(c.r.Context(), cam2drive.AuditEvent{OrgID: c.who.Org.ID, ActorID: c.who.User.ID,
		ActorEmail: c.who.User.Email, Action: "token.revoked", Target: c.r.PathValue("token_id"), IP: c.ip()}); err != nil {
		return err
	}
	return c.noContent()
}
