package httpapi

import (
	"net/http"
	"strings"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/tenancy"
)

type createOrgReq struct {
	ParentID string `json:"parent_id"`
	Kind     string `json:"kind" enum:"distributor,installer,client"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Language string `json:"language,omitempty" enum:"fr,en"`
	Address  string `json:"address,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

func (s *Server) createOrg(c *call) error {
	var req createOrgReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if strings.TrimSpace(req.ParentID) == "" {
		return cam2drive.Invalid(map[string]string{"parent_id": "required"})
	}
	if req.Language != "" && req.Language != "fr" && req.Language != "en" {
		return cam2drive.Invalid(map[string]string{"language": "invalid_value"})
	}
	// A parent outside the caller's subtree is "not found", like a path id.
	parent, err := s.orgOf(c, req.ParentID)
	if err != nil {
		return err
	}
	if err := c.require(authz.OrgsManage, parent); err != nil {
		return err
	}
	org, err := s.Tenancy.CreateOrg(c.r.Context(), c.who, tenancy.NewOrg{ParentID: parent.ID, Kind: cam2drive.OrgKind(req.Kind),
		Name: req.Name, Email: req.Email, Language: req.Language, Address: req.Address, Phone: req.Phone}, c.ip())
	if err != nil {
		return err
	}
	return c.json(http.StatusCreated, toOrg(org))
}

func (s *Server) getOrg(c *call) error { return c.json(http.StatusOK, toOrg(c.org)) }

type updateOrgReq struct {
	Name    *string `json:"name,omitempty"`
	Address *string `json:"address,omitempty"`
	Phone   *string `json:"phone,omitempty"`
}

func (s *Server) updateOrg(c *call) error {
	var req updateOrgReq
	if err := c.decode(&req); err != nil {
		return err
	}
	o := c.org
	if req.Name != nil {
		o.Name = strings.TrimSpace(*req.Name)
	}
	if req.Address != nil {
		o.Address = *req.Address
	}
	if req.Phone != nil {
		o.Phone = *req.Phone
	}
	if o.Name == "" || len(o.Name) > 200 {
		return cam2drive.Invalid(map[string]string{"name": "required"})
	}
	if len(o.Address) > 500 || len(o.Phone) > 50 {
		return cam2drive.Invalid(map[string]string{"address": "too_long"})
	}
	if err := s.DB.UpdateOrg(c.r.Context(), o); err != nil {
		return err
	}
	return c.json(http.StatusOK, toOrg(o))
}

func (s *Server) listChildren(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	kind := cam2drive.OrgKind(c.query("kind"))
	if kind != "" && !kind.Valid() {
		return cam2drive.Invalid(map[string]string{"kind": "invalid_kind"})
	}
	orgs, total, err := s.DB.ChildOrgs(c.r.Context(), c.org.ID, store.OrgFilter{Kind: kind, Query: c.query("q")}, p)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, newList(mapList(orgs, toOrg), total, p))
}
