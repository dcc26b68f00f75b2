package httpapi

import (
	_ "embed"
	"net/http"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/authz"
)

type loginReq struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(c *call) error {
	var req loginReq
	if err := c.decode(&req); err != nil {
		return err
	}
	sess, err := s.Auth.Login(c.r.Context(), req.Email, req.Password, c.ip(), c.r.UserAgent())
	if err != nil {
		return err
	}
	c.setPrincipal(sess.Principal)
	s.setSessionCookies(c, sess.Token, sess.CSRF, sess.ExpiresAt)
	return c.json(http.StatusOK, toMe(sess.Principal))
}

func (s *Server) setSessionCookies(c *call, token, csrf string, exp time.Time) {
	maxAge := int(time.Until(exp).Seconds())
	if token == "" {
		maxAge = -1
	}
	http.SetCookie(c.w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.SetCookie(c.w, &http.Cookie{Name: CSRFCookie, Value: csrf, Path: "/", MaxAge: maxAge,
		Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
}

func (s *Server) logout(c *call) error {
	if err := s.Auth.Logout(c.r.Context(), c.who, c.ip()); err != nil {
		return err
	}
	s.setSessionCookies(c, "", "", time.Time{})
	return c.noContent()
}

type forgotReq struct {
	Email string `json:"email"`
}

func (s *Server) forgotPassword(c *call) error {
	var req forgotReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := s.Auth.ForgotPassword(c.r.Context(), req.Email); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

type passwordTokenJSON struct {
	Email     string `json:"email"`
	Purpose   string `json:"purpose" enum:"invite,reset"`
	ExpiresAt string `json:"expires_at" format:"date-time"`
}

func (s *Server) passwordToken(c *call) error {
	link, err := s.Auth.PasswordLink(c.r.Context(), c.query("token"))
	if cam2drive.IsNotFound(err) {
		return cam2drive.Errorf(cam2drive.CodeNotFound, "link_invalid")
	}
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, passwordTokenJSON{Email: link.Email, Purpose: link.Purpose, ExpiresAt: rfc(link.ExpiresAt)})
}

type setPasswordReq struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) setPassword(c *call) error {
	var req setPasswordReq
	if err := c.decode(&req); err != nil {
		return err
	}
	err := s.Auth.SetPassword(c.r.Context(), req.Token, req.Password, c.ip())
	if cam2drive.IsNotFound(err) {
		return cam2drive.Errorf(cam2drive.CodeNotFound, "link_invalid")
	}
	if err != nil {
		return err
	}
	return c.noContent()
}

type policyJSON struct {
	MinLength int      `json:"min_length"`
	Rules     []string `json:"rules"`
}

func (s *Server) passwordPolicy(c *call) error {
	return c.json(http.StatusOK, policyJSON{MinLength: auth.MinPasswordLength, Rules: []string{"min_length", "not_email", "not_common"}})
}

//go:embed timezones.txt
var timezoneList string

// Timezones lists the IANA zones the site form offers.
func Timezones() []string {
	var out []string
	for _, line := range strings.Split(timezoneList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func (s *Server) timezones(c *call) error {
	zones := Timezones()
	return c.json(http.StatusOK, list[string]{Items: zones, Total: len(zones)})
}

func (s *Server) permissions(c *call) error {
	cat := authz.Catalogue()
	return c.json(http.StatusOK, list[authz.Entry]{Items: cat, Total: len(cat)})
}
