package httpapi

import (
	"net/http"
	"strings"

	"github.com/cam2drive/cam2drive"
)

type diskJSON struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	RecorderID  string `json:"recorder_id"`
	CapacityGB  int64  `json:"capacity_gb"`
	CameraLimit int    `json:"camera_limit"`
	Overwrite   bool   `json:"overwrite"`
	UsedBytes   int64  `json:"used_bytes"`
	CreatedAt   string `json:"created_at" format:"date-time"`
}

func toDisk(d cam2drive.VirtualDisk) diskJSON {
	return diskJSON{ID: d.ID, OrgID: d.OrgID, RecorderID: d.RecorderID, CapacityGB: d.CapacityBytes / cam2drive.GB,
		CameraLimit: d.CameraLimit, Overwrite: d.Overwrite, UsedBytes: d.UsedBytes, CreatedAt: rfc(d.CreatedAt)}
}

type diskReq struct {
	CapacityGB  int64  `json:"capacity_gb"`
	CameraLimit int    `json:"camera_limit"`
	RecorderID  string `json:"recorder_id,omitempty"`
	Overwrite   *bool  `json:"overwrite,omitempty"`
}

type attachReq struct {
	RecorderID string `json:"recorder_id"`
}

func (s *Server) listDisks(c *call) error {
	disks, err := s.DB.Disks(c.r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, list[diskJSON]{Items: mapList(disks, toDisk), Total: len(disks)})
}

// createDisk: virtual disks are sold to clients by the levels above them
// (platform, distributor, installer); a client can't give itself storage.
func (s *Server) createDisk(c *call) error {
	var req diskReq
	if err := c.decode(&req); err != nil {
		return err
	}
	if c.org.Kind != cam2drive.KindClient {
		return cam2drive.Invalid(map[string]string{"org_id": "disk_for_clients"})
	}
	if c.who.Org.ID == c.org.ID {
		return cam2drive.Errorf(cam2drive.CodeForbidden, "disk_from_reseller")
	}
	bad := map[string]string{}
	if req.CapacityGB < 1 || req.CapacityGB > 1_000_000 {
		bad["capacity_gb"] = "invalid_value"
	}
	if req.CameraLimit < 1 || req.CameraLimit > 1024 {
		bad["camera_limit"] = "invalid_value"
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	d := cam2drive.VirtualDisk{OrgID: c.org.ID, RecorderID: strings.TrimSpace(req.RecorderID), CapacityBytes: req.CapacityGB * cam2drive.GB,
		CameraLimit: req.CameraLimit, Overwrite: req.Overwrite == nil || *req.Overwrite}
	if err := s.DB.CreateDisk(c.r.Context(), &d); err != nil {
		return err
	}
	if err := s.audit(c, "disk.created", d.ID, ""); err != nil {
		return err
	}
	return c.json(http.StatusCreated, toDisk(d))
}

func (s *Server) getDisk(c *call) error {
	d, err := s.DB.Disk(c.r.Context(), c.org.ID, c.r.PathValue("disk_id"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toDisk(d))
}

func (s *Server) attachDisk(c *call) error {
	var req attachReq
	if err := c.decode(&req); err != nil {
		return err
	}
	// The disk of the path first: another tenant's disk id is not found,
	// whatever the body says.
	if _, err := s.DB.Disk(c.r.Context(), c.org.ID, c.r.PathValue("disk_id")); err != nil {
		return err
	}
	if err := s.DB.AttachDisk(c.r.Context(), c.org.ID, c.r.PathValue("disk_id"), req.RecorderID); err != nil {
		return err
	}
	return s.getDisk(c)
}

func (s *Server) detachDisk(c *call) error {
	if err := s.DB.DetachDisk(c.r.Context(), c.org.ID, c.r.PathValue("disk_id")); err != nil {
		return err
	}
	return s.getDisk(c)
}
