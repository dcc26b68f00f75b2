package store

import (
	"context"
	"strings"

	"github.com/cam2drive/cam2drive"
)

const cameraCols = `c.id, c.org_id, c.recorder_id, r.name, r.site_id, s.name, c.number, c.name, c.cloud_recording, c.ai_enabled,
	c.holo4, c.algorithms, c.created_at`

const cameraFrom = ` FROM cameras c JOIN recorders r ON r.id = c.recorder_id JOIN sites s ON s.id = r.site_id`

func scanCamera(r row) (cam2drive.Camera, error) {
	var c cam2drive.Camera
	var cloud, ai, h4 int
	var algs string
	var created int64
	err := r.Scan(&c.ID, &c.OrgID, &c.RecorderID, &c.RecorderName, &c.SiteID, &c.SiteName, &c.Number, &c.Name, &cloud, &ai, &h4, &algs, &created)
	c.CloudRecording, c.AIEnabled, c.HOLO4, c.Algorithms, c.CreatedAt = cloud == 1, ai == 1, h4 == 1, splitList(algs), fromMS(created)
	return c, err
}

// CameraFilter narrows Cameras (client guide §4: name, number, recorder, site).
type CameraFilter struct {
	RecorderID, SiteID, Name, RecorderName, SiteName string
	Number                                           int
}

func (f CameraFilter) where(orgID string) (string, []any) {
	where, args := []string{"c.org_id = ?"}, []any{orgID}
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.RecorderID != "" {
		add("c.recorder_id = ?", f.RecorderID)
	}
	if f.SiteID != "" {
		add("r.site_id = ?", f.SiteID)
	}
	if f.Number > 0 {
		add("c.number = ?", f.Number)
	}
	if f.Name != "" {
		add(`LOWER(c.name) LIKE ? ESCAPE '\'`, likePattern(f.Name))
	}
	if f.RecorderName != "" {
		add(`LOWER(r.name) LIKE ? ESCAPE '\'`, likePattern(f.RecorderName))
	}
	if f.SiteName != "" {
		add(`LOWER(s.name) LIKE ? ESCAPE '\'`, likePattern(f.SiteName))
	}
	return strings.Join(where, " AND "), args
}

// Cameras lists org's cameras by recorder then number.
func (db *DB) Cameras(ctx context.Context, orgID string, f CameraFilter, p cam2drive.Page) ([]cam2drive.Camera, int, error) {
	cond, args := f.where(orgID)
	out, total, err := countedPage(ctx, db.read(), `SELECT COUNT(*)`+cameraFrom+` WHERE `+cond,
		`SELECT `+cameraCols+cameraFrom+` WHERE `+cond+` ORDER BY LOWER(r.name), r.id, c.number`, args, p, scanCamera)
	if err != nil {
		return nil, 0, err
	}
	return out, total, db.loadAllowed(ctx, out)
}

func (db *DB) loadAllowed(ctx context.Context, cams []cam2drive.Camera) error {
	for i := range cams {
		ids, err := cameraUsers(ctx, db.read(), cams[i].ID)
		if err != nil {
			return err
		}
		cams[i].AllowedUsers = ids
	}
	return nil
}

func cameraUsers(ctx context.Context, q q, cameraID string) ([]string, error) {
	rs, err := q.query(ctx, `SELECT user_id FROM camera_users WHERE camera_id = ? ORDER BY user_id`, cameraID)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	ids := []string{}
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rs.Err()
}

// Camera returns a camera of org.
func (db *DB) Camera(ctx context.Context, orgID, id string) (cam2drive.Camera, error) {
	c, err := scanCamera(db.read().queryRow(ctx, `SELECT `+cameraCols+cameraFrom+` WHERE c.org_id = ? AND c.id = ?`, orgID, id))
	if err != nil {
		return c, err
	}
	c.AllowedUsers, err = cameraUsers(ctx, db.read(), c.ID)
	return c, err
}

// UpdateCamera saves name, cloud recording, AI, HOLO4 with its algorithms
// and allowed users. Turning cloud recording on needs an attached virtual
// disk with room under its camera limit ("no_disk", "camera_limit"); AI and
// HOLO4 follow the client's AI subscription (see checkAI).
func (db *DB) UpdateCamera(ctx context.Context, c cam2drive.Camera) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if c.CloudRecording {
			if err := checkCameraLimit(ctx, tx, c); err != nil {
				return err
			}
		}
		if err := checkAI(ctx, tx, c); err != nil {
			return err
		}
		n, err := tx.q.exec(ctx, `UPDATE cameras SET name = ?, cloud_recording = ?, ai_enabled = ?, holo4 = ?, algorithms = ? WHERE org_id = ? AND id = ?`,
			c.Name, boolInt(c.CloudRecording), boolInt(c.AIEnabled), boolInt(c.HOLO4), strings.Join(c.Algorithms, ","), c.OrgID, c.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return cam2drive.ErrNotFound
		}
		return setCameraUsers(ctx, tx, c)
	})
}

func checkCameraLimit(ctx context.Context, tx *Tx, c cam2drive.Camera) error {
	var limit, enabled int
	err := tx.q.queryRow(ctx, `SELECT d.camera_limit FROM virtual_disks d JOIN cameras c ON c.recorder_id = d.recorder_id
		WHERE c.id = ? AND c.org_id = ?`, c.ID, c.OrgID).Scan(&limit)
	if cam2drive.IsNotFound(err) {
		return cam2drive.Errorf(cam2drive.CodeConflict, "no_disk")
	}
	if err != nil {
		return err
	}
	err = tx.q.queryRow(ctx, `SELECT COUNT(*) FROM cameras WHERE recorder_id = (SELECT recorder_id FROM cameras WHERE id = ?)
		AND cloud_recording = 1 AND id <> ?`, c.ID, c.ID).Scan(&enabled)
	if err != nil {
		return err
	}
	if enabled >= limit {
		return cam2drive.Errorf(cam2drive.CodeConflict, "camera_limit")
	}
	return nil
}

func setCameraUsers(ctx context.Context, tx *Tx, c cam2drive.Camera) error {
	if c.AllowedUsers == nil {
		return nil
	}
	if _, err := tx.q.exec(ctx, `DELETE FROM camera_users WHERE camera_id = ?`, c.ID); err != nil {
		return err
	}
	for _, uid := range c.AllowedUsers {
		n, err := tx.q.exec(ctx, `INSERT INTO camera_users (camera_id, user_id) SELECT ?, id FROM users WHERE id = ? AND org_id = ?`,
			c.ID, uid, c.OrgID)
		if err != nil {
			return err
		}
		if n == 0 {
			return cam2drive.Invalid(map[string]string{"allowed_users": "unknown_user"})
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// UploadTarget is where an upload of one channel goes.
type UploadTarget struct {
	Camera    cam2drive.Camera
	DiskID    string // "" when the recorder has no virtual disk
	SecretMAC string // the recorder's current password hash: a session of old credentials stops here
}

// UploadTarget finds the camera of a recorder by number (0: the recorder's
// only camera) and the recorder's current virtual disk.
func (db *DB) UploadTarget(ctx context.Context, recorderID string, number int) (UploadTarget, error) {
	var t UploadTarget
	cond, args := `c.recorder_id = ? AND c.number = ?`, []any{recorderID, number}
	if number == 0 {
		cond, args = `c.recorder_id = ? AND (SELECT COUNT(*) FROM cameras x WHERE x.recorder_id = c.recorder_id) = 1`, []any{recorderID}
	}
	var cloud, ai, h4 int
	var algs string
	var created int64
	c := &t.Camera
	err := db.read().queryRow(ctx, `SELECT `+cameraCols+`, COALESCE(d.id, ''), r.secret_mac`+cameraFrom+
		` LEFT JOIN virtual_disks d ON d.recorder_id = c.recorder_id WHERE `+cond, args...).
		Scan(&c.ID, &c.OrgID, &c.RecorderID, &c.RecorderName, &c.SiteID, &c.SiteName, &c.Number, &c.Name, &cloud, &ai, &h4, &algs, &created,
			&t.DiskID, &t.SecretMAC)
	c.CloudRecording, c.AIEnabled, c.HOLO4, c.Algorithms, c.CreatedAt = cloud == 1, ai == 1, h4 == 1, splitList(algs), fromMS(created)
	return t, err
}
