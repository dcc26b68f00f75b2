package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

type siteReq struct {
	Name     *string `json:"name,omitempty"`
	Timezone *string `json:"timezone,omitempty"`
	Address  *string `json:"address,omitempty"`
}

// apply copies the fields present in req onto site and validates the result.
func (req siteReq) apply(site *cam2drive.Site, zones []string) error {
	if req.Name != nil {
		site.Name = strings.TrimSpace(*req.Name)
	}
	if req.Timezone != nil {
		site.Timezone = strings.TrimSpace(*req.Timezone)
	}
	if req.Address != nil {
		site.Address = strings.TrimSpace(*req.Address)
	}
	bad := map[string]string{}
	if site.Name == "" {
		bad["name"] = "required"
	} else if len(site.Name) > 200 {
		bad["name"] = "too_long"
	}
	if !slices.Contains(zones, site.Timezone) {
		bad["timezone"] = "invalid_timezone"
	}
	if len(site.Address) > 500 {
		bad["address"] = "too_long"
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	return nil
}

func (s *Server) listSites(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	f := store.SiteFilter{Name: c.query("name"), Address: c.query("address"), Timezone: c.query("timezone")}
	sites, total, err := s.DB.Sites(c.r.Context(), c.org.ID, f, p)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, newList(mapList(sites, toSite), total, p))
}

func (s *Server) createSite(c *call) error {
	var req siteReq
	if err := c.decode(&req); err != nil {
		return err
	}
	site := cam2drive.Site{OrgID: c.org.ID, Timezone: "UTC"}
	if err := req.apply(&site, s.zones); err != nil {
		return err
	}
	if err := s.DB.CreateSite(c.r.Context(), &site); err != nil {
		return err
	}
	return c.json(http.StatusCreated, toSite(site))
}

func (s *Server) getSite(c *call) error {
	site, err := s.DB.Site(c.r.Context(), c.org.ID, c.r.PathValue("site_id"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toSite(site))
}

func (s *Server) updateSite(c *call) error {
	var req siteReq
	if err := c.decode(&req); err != nil {
		return err
	}
	site, err := s.DB.Site(c.r.Context(), c.org.ID, c.r.PathValue("site_id"))
	if err != nil {
		return err
	}
	if err := req.apply(&site, s.zones); err != nil {
		return err
	}
	if err := s.DB.UpdateSite(c.r.Context(), site); err != nil {
		return err
	}
	return c.json(http.StatusOK, toSite(site))
}

func (s *Server) deleteSite(c *call) error {
	if err := s.DB.DeleteSite(c.r.Context(), c.org.ID, c.r.PathValue("site_id")); err != nil {
		return err
	}
	return c.noContent()
}
