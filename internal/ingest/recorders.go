package ingest

import (
	"context"
	"slices"
	"strings"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/auth"
)

// Generated credential lengths: user names are easy to type into a
// recorder's web form, passwords long enough that no throttling is needed
// to protect them.
const (
	usernameLen = 10
	passwordLen = 20
)

// ValidateRecorder checks what a person typed for a recorder.
func ValidateRecorder(r cam2drive.Recorder) error {
	bad := map[string]string{}
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > 200 {
		bad["name"] = "required"
	}
	if !slices.Contains(cam2drive.Manufacturers, r.Manufacturer) {
		bad["manufacturer"] = "invalid_value"
	}
	if !slices.Contains(cam2drive.RecorderKinds, r.Kind) {
		bad["type"] = "invalid_value"
	}
	if r.CameraCount < 1 || r.CameraCount > 256 {
		bad["camera_count"] = "invalid_camera_count"
	}
	if r.RetentionDays < 0 || r.RetentionDays > 3650 {
		bad["retention_days"] = "invalid_retention"
	}
	if r.SiteID == "" {
		bad["site_id"] = "required"
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	return nil
}

// CreateRecorder adds a recorder with its channels and generated FTP/SFTP
// credentials.
func (s *Service) CreateRecorder(ctx context.Context, r *cam2drive.Recorder) error {
	r.Name = strings.TrimSpace(r.Name)
	if err := ValidateRecorder(*r); err != nil {
		return err
	}
	password := auth.NewCredential(passwordLen)
	r.Username = auth.NewCredential(usernameLen)
	r.SecretEnc, r.SecretMAC = s.secrets.Encrypt(password), s.secrets.MAC(password)
	return s.db.AddRecorder(ctx, r)
}

// Credentials returns a recorder's user name and password in clear, for the
// wizard's connection step.
func (s *Service) Credentials(r cam2drive.Recorder) (string, string, error) {
	password, err := s.secrets.Decrypt(r.SecretEnc)
	return r.Username, password, err
}

// RegenerateCredentials gives a recorder a new user name and password; the
// old ones stop working at once.
func (s *Service) RegenerateCredentials(ctx context.Context, r cam2drive.Recorder) (string, string, error) {
	username, password := auth.NewCredential(usernameLen), auth.NewCredential(passwordLen)
	err := s.db.SetRecorderCredentials(ctx, r.OrgID, r.ID, username, s.secrets.Encrypt(password), s.secrets.MAC(password))
	return username, password, err
}

// DeleteRecorder deletes a recorder without a virtual disk, with its
// cameras and recordings (index first, then the objects).
func (s *Service) DeleteRecorder(ctx context.Context, orgID, id string) error {
	gone, err := s.db.DeleteRecorder(ctx, orgID, id)
	for _, r := range gone {
		s.deleteObjects(ctx, r)
	}
	return err
}
