package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/store"
)

type diskSummaryJSON struct {
	ID          string `json:"id"`
	CapacityGB  int64  `json:"capacity_gb"`
	CameraLimit int    `json:"camera_limit"`
	UsedBytes   int64  `json:"used_bytes"`
	Overwrite   bool   `json:"overwrite"`
}

type recorderJSON struct {
	ID            string           `json:"id"`
	OrgID         string           `json:"org_id"`
	SiteID        string           `json:"site_id"`
	SiteName      string           `json:"site_name"`
	Name          string           `json:"name"`
	Manufacturer  string           `json:"manufacturer" enum:"dahua,hikvision,uniview,axis,reolink,other"`
	Type          string           `json:"type" enum:"nvr,dvr,ip_camera"`
	CameraCount   int              `json:"camera_count"`
	RetentionDays int              `json:"retention_days"`
	VirtualDisk   *diskSummaryJSON `json:"virtual_disk"`
	Status        string           `json:"status" enum:"online,offline,never"`
	CreatedAt     string           `json:"created_at" format:"date-time"`
}

type recorderReq struct {
	Name          *string `json:"name,omitempty"`
	Manufacturer  *string `json:"manufacturer,omitempty" enum:"dahua,hikvision,uniview,axis,reolink,other"`
	SiteID        *string `json:"site_id,omitempty"`
	Type          *string `json:"type,omitempty" enum:"nvr,dvr,ip_camera"`
	CameraCount   *int    `json:"camera_count,omitempty"`
	RetentionDays *int    `json:"retention_days,omitempty"`
}

func (req recorderReq) apply(r *cam2drive.Recorder) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&r.Name, req.Name)
	set(&r.Manufacturer, req.Manufacturer)
	set(&r.SiteID, req.SiteID)
	set(&r.Kind, req.Type)
	if req.CameraCount != nil {
		r.CameraCount = *req.CameraCount
	}
	if req.RetentionDays != nil {
		r.RetentionDays = *req.RetentionDays
	}
}

func (s *Server) toRecorder(c *call, r cam2drive.Recorder) (recorderJSON, error) {
	out := recorderJSON{ID: r.ID, OrgID: r.OrgID, SiteID: r.SiteID, SiteName: r.SiteName, Name: r.Name, Manufacturer: r.Manufacturer,
		Type: r.Kind, CameraCount: r.CameraCount, RetentionDays: r.RetentionDays, CreatedAt: rfc(r.CreatedAt), Status: "never"}
	ctx := c.r.Context()
	if r.DiskID != "" {
		d, err := s.DB.Disk(ctx, r.OrgID, r.DiskID)
		if err != nil {
			return out, err
		}
		out.VirtualDisk = &diskSummaryJSON{ID: d.ID, CapacityGB: d.CapacityBytes / cam2drive.GB, CameraLimit: d.CameraLimit,
			UsedBytes: d.UsedBytes, Overwrite: d.Overwrite}
	}
	h, err := s.DB.Health(ctx, r.OrgID, r.ID)
	if err != nil && !cam2drive.IsNotFound(err) {
		return out, err
	}
	out.Status = s.onlineStatus(h)
	return out, nil
}

// onlineStatus: a recorder that used to upload is offline once it has been
// quiet for longer than the configured time (firmware that silently stops).
func (s *Server) onlineStatus(h cam2drive.RecorderHealth) string {
	switch {
	case h.LastUploadAt.IsZero():
		return "never"
	case time.Since(h.LastUploadAt) > s.offlineAfter():
		return "offline"
	}
	return "online"
}

func (s *Server) offlineAfter() time.Duration {
	if s.Ingest.OfflineAfter > 0 {
		return s.Ingest.OfflineAfter
	}
	return 2 * time.Hour
}

func (s *Server) listRecorders(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	recs, total, err := s.DB.Recorders(c.r.Context(), c.org.ID, store.RecorderFilter{SiteID: c.query("site_id"), Query: c.query("q")}, p)
	if err != nil {
		return err
	}
	items := make([]recorderJSON, 0, len(recs))
	for _, r := range recs {
		j, err := s.toRecorder(c, r)
		if err != nil {
			return err
		}
		items = append(items, j)
	}
	return c.json(http.StatusOK, newList(items, total, p))
}

func (s *Server) createRecorder(c *call) error {
	var req recorderReq
	if err := c.decode(&req); err != nil {
		return err
	}
	r := cam2drive.Recorder{OrgID: c.org.ID, Manufacturer: "other", Kind: "nvr", CameraCount: 1, RetentionDays: 30}
	req.apply(&r)
	if err := s.Ingest.Service.CreateRecorder(c.r.Context(), &r); err != nil {
		return err
	}
	created, err := s.DB.Recorder(c.r.Context(), c.org.ID, r.ID)
	if err != nil {
		return err
	}
	j, err := s.toRecorder(c, created)
	if err != nil {
		return err
	}
	return c.json(http.StatusCreated, j)
}

func (s *Server) recorder(c *call) (cam2drive.Recorder, error) {
	return s.DB.Recorder(c.r.Context(), c.org.ID, c.r.PathValue("recorder_id"))
}

func (s *Server) getRecorder(c *call) error {
	r, err := s.recorder(c)
	if err != nil {
		return err
	}
	j, err := s.toRecorder(c, r)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, j)
}

func (s *Server) updateRecorder(c *call) error {
	var req recorderReq
	if err := c.decode(&req); err != nil {
		return err
	}
	r, err := s.recorder(c)
	if err != nil {
		return err
	}
	req.apply(&r)
	if err := ingest.ValidateRecorder(r); err != nil {
		return err
	}
	if err := s.DB.UpdateRecorder(c.r.Context(), r); err != nil {
		return err
	}
	return s.getRecorder(c)
}

func (s *Server) deleteRecorder(c *call) error {
	if err := s.Ingest.Service.DeleteRecorder(c.r.Context(), c.org.ID, c.r.PathValue("recorder_id")); err != nil {
		return err
	}
	return c.noContent()
}
