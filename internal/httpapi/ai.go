package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/holo4"
)

// AI subscriptions (installer guide §3.2), the HOLO4 catalogue (client
// guide §2.5) and whether the model runtime can run here.
//
// The rules, checked by the store: a client has at most one active AI
// subscription; AI is on for at most its camera_limit cameras; a camera
// joins the HOLO4 beta only with AI on, and chooses algorithms of the
// catalogue whose package the subscription includes. Like virtual disks,
// subscriptions are sold to a client by the organisations above it
// (platform, distributor, installer): the client itself only reads them.

// AIStatusFunc reports whether the AI model runtime can run detections on
// this server: nil when it can, otherwise an error whose cam2drive.Error key
// says why ("ai_runtime_missing", "ai_models_missing"; any other error reads
// as "ai_unavailable"). Details of the error go to the log, never to users.
type AIStatusFunc func(ctx context.Context) error

type aiStatusJSON struct {
	Available bool `json:"available"`
	// ReasonCode is "" when available.
	ReasonCode string `json:"reason_code" enum:",ai_runtime_missing,ai_models_missing,ai_unavailable"`
	Reason     string `json:"reason"`
	Install    string `json:"install"`
}

func (s *Server) aiStatus(c *call) error {
	code := "ai_runtime_missing" // not wired: this build runs no model
	if s.AIStatus != nil {
		err := s.AIStatus(c.r.Context())
		if err == nil {
			return c.json(http.StatusOK, aiStatusJSON{Available: true})
		}
		code = "ai_unavailable"
		var e *cam2drive.Error
		if errors.As(err, &e) && (e.Key == "ai_runtime_missing" || e.Key == "ai_models_missing") {
			code = e.Key
		}
		c.log.Info("AI unavailable", "err", err)
	}
	return c.json(http.StatusOK, aiStatusJSON{ReasonCode: code, Reason: message(c.lang, code), Install: message(c.lang, code+"_install")})
}

type aiAlgorithmJSON struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Names holo4.Text `json:"names"`
}

type aiPackageJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Names      holo4.Text        `json:"names"`
	Algorithms []aiAlgorithmJSON `json:"algorithms"`
}

type aiCatalogueJSON struct {
	Version  string          `json:"version"`
	Packages []aiPackageJSON `json:"packages"`
}

// aiPackages: the catalogue, named in the caller's language and in both
// (the web app switches language without asking again).
func (s *Server) aiPackages(c *call) error {
	cat := holo4.Current()
	out := aiCatalogueJSON{Version: cat.Version, Packages: []aiPackageJSON{}}
	for _, p := range cat.Packages {
		pj := aiPackageJSON{ID: p.ID, Name: p.Name.In(c.lang), Names: p.Name, Algorithms: []aiAlgorithmJSON{}}
		for _, a := range p.Algorithms {
			pj.Algorithms = append(pj.Algorithms, aiAlgorithmJSON{ID: a.ID, Name: a.Name.In(c.lang), Names: a.Name})
		}
		out.Packages = append(out.Packages, pj)
	}
	return c.json(http.StatusOK, out)
}

type aiSubJSON struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"org_id"`
	Status      string   `json:"status" enum:"active,cancelled"`
	CameraLimit int      `json:"camera_limit"`
	CamerasUsed int      `json:"cameras_used"`
	Packages    []string `json:"packages"`
	CreatedAt   string   `json:"created_at" format:"date-time"`
	CancelledAt *string  `json:"cancelled_at,omitempty" format:"date-time"`
}

func toAISub(s cam2drive.AISubscription) aiSubJSON {
	status := "active"
	if !s.Active() {
		status = "cancelled"
	}
	pkgs := s.Packages
	if pkgs == nil {
		pkgs = []string{}
	}
	return aiSubJSON{ID: s.ID, OrgID: s.OrgID, Status: status, CameraLimit: s.CameraLimit, CamerasUsed: s.CamerasUsed,
		Packages: pkgs, CreatedAt: rfc(s.CreatedAt), CancelledAt: optRFC(s.CancelledAt)}
}

// aiSubReq creates a subscription; packages left out: every package of the
// catalogue (the HOLO4 beta is free).
type aiSubReq struct {
	CameraLimit int       `json:"camera_limit"`
	Packages    *[]string `json:"packages,omitempty"`
}

type aiSubPatchReq struct {
	CameraLimit *int      `json:"camera_limit,omitempty"`
	Packages    *[]string `json:"packages,omitempty"`
}

// checkAISub validates a camera limit and packages, the latter put in
// catalogue order.
func checkAISub(limit int, pkgs []string) ([]string, error) {
	bad := map[string]string{}
	if limit < 1 || limit > 1024 {
		bad["camera_limit"] = "invalid_value"
	}
	cat := holo4.Current()
	for _, p := range pkgs {
		if !cat.HasPackage(p) {
			bad["packages"] = "unknown_package"
		}
	}
	if len(bad) > 0 {
		return nil, cam2drive.Invalid(bad)
	}
	out := []string{}
	for _, id := range cat.PackageIDs() {
		if slices.Contains(pkgs, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func (s *Server) listAISubs(c *call) error {
	subs, err := s.DB.AISubscriptions(c.r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, list[aiSubJSON]{Items: mapList(subs, toAISub), Total: len(subs)})
}

// fromReseller refuses a client acting on its own subscriptions.
func fromReseller(c *call) error {
	if c.who.Org.ID == c.org.ID {
		return cam2drive.Errorf(cam2drive.CodeForbidden, "ai_from_reseller")
	}
	return nil
}

func (s *Server) createAISub(c *call) error {
	var req aiSubReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if c.org.Kind != cam2drive.KindClient {
		return cam2drive.Invalid(map[string]string{"org_id": "ai_for_clients"})
	}
	if err := fromReseller(c); err != nil {
		return err
	}
	pkgs := holo4.Current().PackageIDs()
	if req.Packages != nil {
		pkgs = *req.Packages
	}
	pkgs, err := checkAISub(req.CameraLimit, pkgs)
	if err != nil {
		return err
	}
	sub := cam2drive.AISubscription{OrgID: c.org.ID, CameraLimit: req.CameraLimit, Packages: pkgs}
	if err := s.DB.CreateAISubscription(c.r.Context(), &sub); err != nil {
		return err
	}
	if err := s.audit(c, "ai_subscription.created", sub.ID, ""); err != nil {
		return err
	}
	return c.json(http.StatusCreated, toAISub(sub))
}

func (s *Server) getAISub(c *call) error {
	sub, err := s.DB.AISubscription(c.r.Context(), c.org.ID, c.r.PathValue("subscription_id"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toAISub(sub))
}

func (s *Server) updateAISub(c *call) error {
	var req aiSubPatchReq
	if err := c.decode(&req); err != nil {
		return err
	}
	// The subscription of the path first: another tenant's id is not found.
	sub, err := s.DB.AISubscription(c.r.Context(), c.org.ID, c.r.PathValue("subscription_id"))
	if err != nil {
		return err
	}
	if err := fromReseller(c); err != nil {
		return err
	}
	if req.CameraLimit != nil {
		sub.CameraLimit = *req.CameraLimit
	}
	if req.Packages != nil {
		sub.Packages = *req.Packages
	}
	if sub.Packages, err = checkAISub(sub.CameraLimit, sub.Packages); err != nil {
		return err
	}
	if err := s.DB.UpdateAISubscription(c.r.Context(), sub); err != nil {
		return err
	}
	if err := s.audit(c, "ai_subscription.changed", sub.ID, ""); err != nil {
		return err
	}
	return s.getAISub(c)
}

func (s *Server) cancelAISub(c *call) error {
	sub, err := s.DB.AISubscription(c.r.Context(), c.org.ID, c.r.PathValue("subscription_id"))
	if err != nil {
		return err
	}
	if err := fromReseller(c); err != nil {
		return err
	}
	if err := s.DB.CancelAISubscription(c.r.Context(), c.org.ID, sub.ID, time.Now()); err != nil {
		return err
	}
	if err := s.audit(c, "ai_subscription.cancelled", sub.ID, ""); err != nil {
		return err
	}
	return s.getAISub(c)
}

// cameraAlgorithms validates the algorithms of a camera request: ids of the
// catalogue, in catalogue order.
func cameraAlgorithms(ids []string) ([]string, error) {
	if len(ids) > 64 {
		return nil, cam2drive.Invalid(map[string]string{"algorithms": "too_many"})
	}
	cat := holo4.Current()
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.TrimSpace(id)
		if cat.PackageOf(out[i]) == "" {
			return nil, cam2drive.Invalid(map[string]string{"algorithms": "unknown_algorithm"})
		}
	}
	return cat.Order(out), nil
}
