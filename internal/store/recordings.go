package store

import (
	"context"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

const recordingCols = `id, org_id, site_id, recorder_id, camera_id, disk_id, start_ms, end_ms, timed, kind, event_type, event_code,
	status, status_reason, object_key, size, sha256, source_path, duration_ms, codec, width, height, container,
	media_key, thumb_key, poster_key, strip_key, parent_id, created_at`

func scanRecording(r row) (cam2drive.Recording, error) {
	var x cam2drive.Recording
	var start, end, created, duration int64
	var timed int
	err := r.Scan(&x.ID, &x.OrgID, &x.SiteID, &x.RecorderID, &x.CameraID, &x.DiskID, &start, &end, &timed, &x.Kind, &x.EventType,
		&x.EventCode, &x.Status, &x.StatusReason, &x.ObjectKey, &x.Size, &x.SHA256, &x.SourcePath, &duration, &x.Codec, &x.Width, &x.Height, &x.Container,
		&x.MediaKey, &x.ThumbKey, &x.PosterKey, &x.StripKey, &x.ParentID, &created)
	x.Start, x.End, x.Timed, x.CreatedAt = fromMS(start), fromMS(end), timed == 1, fromMS(created)
	x.Duration = time.Duration(duration) * time.Millisecond
	return x, err
}

// RecordingFilter narrows Recordings.
type RecordingFilter struct {
	SiteID    string
	CameraIDs []string
	From, To  time.Time
	// ViewerID, when set, hides recordings of cameras restricted to other
	// users (REC4: a camera with an allowed-users list is seen by them only).
	ViewerID string
}

// hiddenCameras is the condition that leaves out cameras restricted to
// users other than the viewer; it takes the viewer's id as its argument.
const hiddenCameras = `camera_id NOT IN (SELECT camera_id FROM camera_users GROUP BY camera_id
	HAVING SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END) = 0)`

// Recordings lists org's recordings, newest first.
func (db *DB) Recordings(ctx context.Context, orgID string, f RecordingFilter, p cam2drive.Page) ([]cam2drive.Recording, int, error) {
	where, args := []string{"org_id = ?"}, []any{orgID}
	if f.SiteID != "" {
		where, args = append(where, "site_id = ?"), append(args, f.SiteID)
	}
	if len(f.CameraIDs) > 0 {
		where = append(where, "camera_id IN (?"+strings.Repeat(", ?", len(f.CameraIDs)-1)+")")
		for _, id := range f.CameraIDs {
			args = append(args, id)
		}
	}
	if f.ViewerID != "" {
		where, args = append(where, hiddenCameras), append(args, f.ViewerID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "start_ms >= ?"), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "start_ms < ?"), append(args, ms(f.To))
	}
	cond := strings.Join(where, " AND ")
	return countedPage(ctx, db.read(), `SELECT COUNT(*) FROM recordings WHERE `+cond,
		`SELECT `+recordingCols+` FROM recordings WHERE `+cond+` ORDER BY start_ms DESC, id DESC`, args, p, scanRecording)
}

// Recording returns one recording of org.
// A viewerID other than "" hides it when its camera is restricted to others.
func (db *DB) Recording(ctx context.Context, orgID, id, viewerID string) (cam2drive.Recording, error) {
	if viewerID != "" {
		return scanRecording(db.read().queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE org_id = ? AND id = ? AND `+hiddenCameras,
			orgID, id, viewerID))
	}
	return scanRecording(db.read().queryRow(ctx, `SELECT `+recordingCols+` FROM recordings WHERE org_id = ? AND id = ?`, orgID, id))
}

