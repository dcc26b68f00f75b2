package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
)

// The read side of recordings: browsing lists, one recording, the calendar
// of days with recordings, a histogram of a period and the last recording.
// Queries are shaped for the indexes of migrations 0002 and 0005: ranges on
// (camera_id, start_ms) or (org_id, site_id, start_ms), a keyset on
// (start_ms, id), and detections probed by (recording_id, type).

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
	From, To  time.Time // From inclusive, To exclusive; zero: unbounded
	// Types keeps recordings with at least one detection of these types
	// (motion, person, vehicle, animal, HOLO4 algorithm ids).
	Types []string
	// TopLevel leaves out snapshots folded into the clip of their event
	// (browsing shows the clip only).
	TopLevel bool
	// ViewerID, when set, hides recordings of cameras restricted to other
	// users (REC4: a camera with an allowed-users list is seen by them only).
	ViewerID string
}

// hiddenCameras is the condition that leaves out cameras restricted to
// users other than the viewer; it takes the viewer's id as its argument.
const hiddenCameras = `camera_id NOT IN (SELECT camera_id FROM camera_users GROUP BY camera_id
	HAVING SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END) = 0)`

// cond is the WHERE of f without its period, for org.
func (f RecordingFilter) cond(orgID string) ([]string, []any) {
	where, args := []string{"org_id = ?"}, []any{orgID}
	if f.SiteID != "" {
		where, args = append(where, "site_id = ?"), append(args, f.SiteID)
	}
	if len(f.CameraIDs) > 0 {
		where = append(where, "camera_id IN ("+marks(len(f.CameraIDs))+")")
		for _, id := range f.CameraIDs {
			args = append(args, id)
		}
	}
	if f.TopLevel {
		where = append(where, "parent_id = ''")
	}
	if f.ViewerID != "" {
		where, args = append(where, hiddenCameras), append(args, f.ViewerID)
	}
	if len(f.Types) > 0 {
		cond, targs := typesCond(f.Types)
		where, args = append(where, cond), append(args, targs...)
	}
	return where, args
}

// detectionBits are the basic detection types kept as bits of
// recordings.detection_mask (migration 0005 backfills with the same values).
var detectionBits = []struct {
	typ string
	bit int
}{{"motion", 1}, {"person", 2}, {"vehicle", 4}, {"animal", 8}}

// typesCond keeps recordings with a detection of one of types: basic types
// by their bits (read from the browse indexes), others (HOLO4) by probing
// detections through their (recording_id, type) index.
func typesCond(types []string) (string, []any) {
	mask, others := 0, []any{}
	for _, t := range types {
		bit := 0
		for _, b := range detectionBits {
			if b.typ == t {
				bit = b.bit
			}
		}
		if bit == 0 {
			others = append(others, t)
		}
		mask |= bit
	}
	var conds []string
	var args []any
	if mask != 0 {
		conds, args = append(conds, "(detection_mask & ?) <> 0"), append(args, mask)
	}
	if len(others) > 0 {
		// The inner "recordings.id" is the row being filtered.
		conds = append(conds, "EXISTS (SELECT 1 FROM detections d WHERE d.recording_id = recordings.id AND d.type IN ("+marks(len(others))+"))")
		args = append(args, others...)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// setDetectionMask sets a recording's detection bits from its detections.
func (tx *Tx) setDetectionMask(ctx context.Context, recordingID string) error {
	var c strings.Builder
	c.WriteString("CASE type")
	for _, b := range detectionBits {
		c.WriteString(" WHEN '" + b.typ + "' THEN " + strconv.Itoa(b.bit))
	}
	c.WriteString(" ELSE 0 END")
	_, err := tx.q.exec(ctx, `UPDATE recordings SET detection_mask = COALESCE((SELECT SUM(DISTINCT `+c.String()+`)
		FROM detections WHERE recording_id = ?), 0) WHERE id = ?`, recordingID, recordingID)
	return err
}

// where is the full WHERE of f, period included.
func (f RecordingFilter) where(orgID string) (string, []any) {
	where, args := f.cond(orgID)
	if !f.From.IsZero() {
		where, args = append(where, "start_ms >= ?"), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "start_ms < ?"), append(args, ms(f.To))
	}
	return strings.Join(where, " AND "), args
}

// marks is n comma-separated placeholders.
func marks(n int) string { return "?" + strings.Repeat(", ?", n-1) }

// Recordings lists org's recordings, newest first, with the total count
// for the filter. p.Cursor, when set (from RecordingCursor), continues after
// that recording (keyset: no rows are skipped by an offset); otherwise
// p.Offset applies.
func (db *DB) Recordings(ctx context.Context, orgID string, f RecordingFilter, p cam2drive.Page) ([]cam2drive.Recording, int, error) {
	cond, args := f.where(orgID)
	var total int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM recordings WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, largs := `SELECT `+recordingCols+` FROM recordings WHERE `+cond, append([]any{}, args...)
	if p.Cursor != "" {
		start, id, err := parseRecordingCursor(p.Cursor)
		if err != nil {
			return nil, 0, err
		}
		// start_ms <= ? bounds the index range; the OR breaks ties by id.
		list += ` AND start_ms <= ? AND (start_ms < ? OR id < ?)`
		largs = append(largs, start, start, id)
		p.Offset = 0
	}
	rs, err := db.read().query(ctx, list+` ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?`, append(largs, p.Limit, p.Offset)...)
	items, err := collect(rs, err, scanRecording)
	return items, total, err
}

// RecordingCursor is the cursor of the page that follows r in Recordings.
func RecordingCursor(r cam2drive.Recording) string {
	return strconv.FormatInt(ms(r.Start), 10) + ":" + r.ID
}

func parseRecordingCursor(c string) (int64, string, error) {
	s, id, ok := strings.Cut(c, ":")
	start, err := strconv.ParseInt(s, 10, 64)
	if !ok || err != nil || !cam2drive.ValidID(id) {
		return 0, "", cam2drive.Invalid(map[string]string{"cursor": "invalid"})
	}
	return start, id, nil
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

// RecordingDays returns the days of a month (1…31) that have recordings
// matching f (its period is ignored), days being midnight to midnight in
// loc. One query of per-day EXISTS probes: each stops at the first row of
// its day, so a month costs at most ~31 index seeks, however many
// recordings it holds.
func (db *DB) RecordingDays(ctx context.Context, orgID string, f RecordingFilter, year int, month time.Month, loc *time.Location) ([]int, error) {
	where, args := f.cond(orgID)
	cond := strings.Join(where, " AND ") + " AND start_ms >= ? AND start_ms < ?"
	var q strings.Builder
	var all []any
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	for d := 1; first.AddDate(0, 0, d-1).Month() == month; d++ {
		if d > 1 {
			q.WriteString(" UNION ALL ")
		}
		// The day number is a literal: PostgreSQL can't type a bare parameter.
		q.WriteString("SELECT " + strconv.Itoa(d) + " WHERE EXISTS (SELECT 1 FROM recordings WHERE " + cond + ")")
		all = append(append(all, args...), ms(first.AddDate(0, 0, d-1)), ms(first.AddDate(0, 0, d)))
	}
	rs, err := db.read().query(ctx, q.String(), all...)
	days, err := collect(rs, err, func(r row) (int, error) {
		var d int
		return d, r.Scan(&d)
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(days)
	return days, nil
}

// LastRecordingStart returns when the newest recording matching f starts
// (zero time when there is none): where browsing opens by default.
func (db *DB) LastRecordingStart(ctx context.Context, orgID string, f RecordingFilter) (time.Time, error) {
	cond, args := f.where(orgID)
	var start int64
	err := db.read().queryRow(ctx, `SELECT start_ms FROM recordings WHERE `+cond+` ORDER BY start_ms DESC LIMIT 1`, args...).Scan(&start)
	if cam2drive.IsNotFound(err) {
		return time.Time{}, nil
	}
	return fromMS(start), err
}

// RecordingHistogram counts the recordings matching f (its period is
// ignored) in n buckets of step from start.
func (db *DB) RecordingHistogram(ctx context.Context, orgID string, f RecordingFilter, start time.Time, step time.Duration, n int) ([]int, error) {
	f.From, f.To = start, start.Add(time.Duration(n)*step)
	cond, args := f.where(orgID)
	rs, err := db.read().query(ctx, `SELECT b, COUNT(*) FROM (SELECT (start_ms - ?) / ? AS b FROM recordings WHERE `+cond+`) x GROUP BY b`,
		append([]any{ms(start), step.Milliseconds()}, args...)...)
	type bucket struct{ i, n int }
	got, err := collect(rs, err, func(r row) (bucket, error) {
		var b bucket
		return b, r.Scan(&b.i, &b.n)
	})
	if err != nil {
		return nil, err
	}
	out := make([]int, n)
	for _, b := range got {
		if b.i >= 0 && b.i < n {
			out[b.i] += b.n
		}
	}
	return out, nil
}

// RecordingPlaces names the cameras and sites of recordings of org: camera
// id → camera name, site id → site (name and time zone).
func (db *DB) RecordingPlaces(ctx context.Context, orgID string, cameraIDs, siteIDs []string) (map[string]string, map[string]cam2drive.Site, error) {
	cams, sites := map[string]string{}, map[string]cam2drive.Site{}
	if len(cameraIDs) > 0 {
		rs, err := db.read().query(ctx, `SELECT id, name FROM cameras WHERE org_id = ? AND id IN (`+marks(len(cameraIDs))+`)`,
			append([]any{orgID}, anys(cameraIDs)...)...)
		pairs, err := collect(rs, err, func(r row) ([2]string, error) {
			var p [2]string
			return p, r.Scan(&p[0], &p[1])
		})
		if err != nil {
			return nil, nil, err
		}
		for _, p := range pairs {
			cams[p[0]] = p[1]
		}
	}
	if len(siteIDs) > 0 {
		rs, err := db.read().query(ctx, `SELECT id, name, timezone FROM sites WHERE org_id = ? AND id IN (`+marks(len(siteIDs))+`)`,
			append([]any{orgID}, anys(siteIDs)...)...)
		list, err := collect(rs, err, func(r row) (cam2drive.Site, error) {
			s := cam2drive.Site{OrgID: orgID}
			return s, r.Scan(&s.ID, &s.Name, &s.Timezone)
		})
		if err != nil {
			return nil, nil, err
		}
		for _, s := range list {
			sites[s.ID] = s
		}
	}
	return cams, sites, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
