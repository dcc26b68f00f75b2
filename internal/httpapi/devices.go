package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/store"
)

// IngestDeps is what the API needs of the ingest side.
type IngestDeps struct {
	Service      *ingest.Service
	Host         string // host name recorders connect to
	FTPPort      int
	SFTPPort     int
	OfflineAfter time.Duration // quiet time after which a recorder shows offline
	SFTPHostKeys []string      // fingerprints recorders that pin the host key (Axis) check
}

type connectionJSON struct {
	Host     string   `json:"host"`
	FTPPort  int      `json:"ftp_port"`
	SFTPPort int      `json:"sftp_port"`
	Username string   `json:"username"`
	Password string   `json:"password"`
	DocsURL  string   `json:"docs_url"`
	HostKeys []string `json:"sftp_host_keys"`
}

func (s *Server) connection(c *call, r cam2drive.Recorder, user, pass string) connectionJSON {
	brand := r.Manufacturer
	if brand != "dahua" && brand != "hikvision" {
		brand = "generic"
	}
	keys := append([]string{}, s.Ingest.SFTPHostKeys...)
	return connectionJSON{Host: s.Ingest.Host, FTPPort: s.Ingest.FTPPort, SFTPPort: s.Ingest.SFTPPort, Username: user, Password: pass,
		DocsURL: "/help/recorders/" + brand + "?lang=" + c.lang, HostKeys: keys}
}

func (s *Server) getConnection(c *call) error {
	r, err := s.recorder(c)
	if err != nil {
		return err
	}
	user, pass, err := s.Ingest.Service.Credentials(r)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, s.connection(c, r, user, pass))
}

func (s *Server) regenerateConnection(c *call) error {
	r, err := s.recorder(c)
	if err != nil {
		return err
	}
	user, pass, err := s.Ingest.Service.RegenerateCredentials(c.r.Context(), r)
	if err != nil {
		return err
	}
	if err := s.audit(c, "recorder.credentials_regenerated", r.Name, ""); err != nil {
		return err
	}
	return c.json(http.StatusOK, s.connection(c, r, user, pass))
}

type healthEventJSON struct {
	Kind    string `json:"kind" enum:"login_failed,refused"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
	Path    string `json:"path"`
	IP      string `json:"ip"`
	At      string `json:"at" format:"date-time"`
}

type healthJSON struct {
	Status         string            `json:"status" enum:"online,offline,never"`
	LastUploadAt   *string           `json:"last_upload_at,omitempty" format:"date-time"`
	LastLoginAt    *string           `json:"last_login_at,omitempty" format:"date-time"`
	Uploads        int64             `json:"uploads"`
	FailedLogins   int64             `json:"failed_logins"`
	RefusedUploads int64             `json:"refused_uploads"`
	Recent         []healthEventJSON `json:"recent"`
}

func (s *Server) recorderHealth(c *call) error {
	h, err := s.DB.Health(c.r.Context(), c.org.ID, c.r.PathValue("recorder_id"))
	if err != nil {
		return err
	}
	out := healthJSON{Status: s.onlineStatus(h), LastUploadAt: optRFC(h.LastUploadAt), LastLoginAt: optRFC(h.LastLoginAt),
		Uploads: h.Uploads, FailedLogins: h.FailedLogins, RefusedUploads: h.RefusedUploads, Recent: []healthEventJSON{}}
	for _, e := range h.Recent {
		out.Recent = append(out.Recent, healthEventJSON{Kind: e.Kind, Reason: e.Reason, Message: message(c.lang, e.Reason),
			Path: e.Path, IP: e.IP, At: rfc(e.CreatedAt)})
	}
	return c.json(http.StatusOK, out)
}

type cameraJSON struct {
	ID             string   `json:"id"`
	RecorderID     string   `json:"recorder_id"`
	RecorderName   string   `json:"recorder_name"`
	SiteID         string   `json:"site_id"`
	SiteName       string   `json:"site_name"`
	Number         int      `json:"number"`
	Name           string   `json:"name"`
	CloudRecording bool     `json:"cloud_recording"`
	AIEnabled      bool     `json:"ai_enabled"`
	HOLO4          bool     `json:"holo4"`
	Algorithms     []string `json:"algorithms"`
	AllowedUsers   []string `json:"allowed_users"`
}

func toCamera(c cam2drive.Camera) cameraJSON {
	algs := c.Algorithms
	if algs == nil {
		algs = []string{}
	}
	return cameraJSON{ID: c.ID, RecorderID: c.RecorderID, RecorderName: c.RecorderName, SiteID: c.SiteID, SiteName: c.SiteName,
		Number: c.Number, Name: c.Name, CloudRecording: c.CloudRecording, AIEnabled: c.AIEnabled, HOLO4: c.HOLO4, Algorithms: algs,
		AllowedUsers: c.AllowedUsers}
}

func (s *Server) listCameras(c *call) error {
	p, err := c.page()
	if err != nil {
		return err
	}
	f := store.CameraFilter{RecorderID: c.query("recorder_id"), SiteID: c.query("site_id"), Name: c.query("name"),
		RecorderName: c.query("recorder_name"), SiteName: c.query("site_name")}
	if v := c.query("number"); v != "" {
		if f.Number, err = strconv.Atoi(v); err != nil || f.Number < 1 {
			return cam2drive.Invalid(map[string]string{"number": "invalid_value"})
		}
	}
	cams, total, err := s.DB.Cameras(c.r.Context(), c.org.ID, f, p)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, newList(mapList(cams, toCamera), total, p))
}

func (s *Server) getCamera(c *call) error {
	cam, err := s.DB.Camera(c.r.Context(), c.org.ID, c.r.PathValue("camera_id"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, toCamera(cam))
}

type cameraReq struct {
	Name           *string `json:"name,omitempty"`
	CloudRecording *bool   `json:"cloud_recording,omitempty"`
	AIEnabled      *bool   `json:"ai_enabled,omitempty"`
	// HOLO4 joins or leaves the beta; leaving keeps the chosen algorithms.
	// Turning AI off leaves the beta too, unless holo4 is given (then
	// holo4 true without AI is refused).
	HOLO4        *bool     `json:"holo4,omitempty"`
	Algorithms   *[]string `json:"algorithms,omitempty"`
	AllowedUsers *[]string `json:"allowed_users,omitempty"`
}

func (s *Server) updateCamera(c *call) error {
	var req cameraReq
	if err := c.decode(&req); err != nil {
		return err
	}
	cam, err := s.DB.Camera(c.r.Context(), c.org.ID, c.r.PathValue("camera_id"))
	if err != nil {
		return err
	}
	cam.AllowedUsers = nil // unchanged unless given
	if req.Name != nil {
		cam.Name = strings.TrimSpace(*req.Name)
	}
	if cam.Name == "" || len(cam.Name) > 100 {
		return cam2drive.Invalid(map[string]string{"name": "required"})
	}
	if req.CloudRecording != nil {
		cam.CloudRecording = *req.CloudRecording
	}
	if req.AIEnabled != nil {
		cam.AIEnabled = *req.AIEnabled
		if !cam.AIEnabled {
			cam.HOLO4 = false
		}
	}
	if req.HOLO4 != nil {
		cam.HOLO4 = *req.HOLO4
	}
	if req.Algorithms != nil {
		if cam.Algorithms, err = cameraAlgorithms(*req.Algorithms); err != nil {
			return err
		}
	}
	if req.AllowedUsers != nil {
		users := append([]string{}, *req.AllowedUsers...)
		slices.Sort(users)
		cam.AllowedUsers = slices.Compact(users) // a user named twice is allowed once
	}
	if err := s.DB.UpdateCamera(c.r.Context(), cam); err != nil {
		return err
	}
	return s.getCamera(c)
}
