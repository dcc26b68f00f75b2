package httpapi

import (
	"cmp"
	"encoding/base64"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/authz"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Recordings: the list with its filters (client guide §2), the calendar of
// days with recordings, an hourly histogram, one recording with its
// detections, and signed media URLs (media.go serves them).

type recordingJSON struct {
	ID             string          `json:"id"`
	CameraID       string          `json:"camera_id"`
	CameraName     string          `json:"camera_name"`
	SiteID         string          `json:"site_id"`
	SiteName       string          `json:"site_name"`
	RecorderID     string          `json:"recorder_id"`
	Start          string          `json:"start" format:"date-time"`
	End            string          `json:"end" format:"date-time"`
	Kind           string          `json:"kind" enum:"clip,snapshot"`
	EventType      string          `json:"event_type"`
	Status         string          `json:"status" enum:"ready,processing,failed"`
	StatusReason   string          `json:"status_reason,omitempty"` // why it failed, in the caller's language
	Size           int64           `json:"size"`
	SourcePath     string          `json:"source_path"`
	DurationMS     int64           `json:"duration_ms"`
	Width          int             `json:"width"`
	Height         int             `json:"height"`
	DetectionTypes []string        `json:"detection_types"`
	Media          mediaJSON       `json:"media"`
	Detections     []detectionJSON `json:"detections"`
	// The contract names these at the top level; media holds them
	// all, with the poster, strip and expiry.
	ThumbnailURL string `json:"thumbnail_url"`
	MediaURL     string `json:"media_url"`
	DownloadURL  string `json:"download_url"`
}

// mediaJSON holds the signed URLs of a recording ("" when there is no such
// object yet), valid until expires_at.
type mediaJSON struct {
	VideoURL         string `json:"video_url"`
	ImageURL         string `json:"image_url"`
	ThumbnailURL     string `json:"thumbnail_url"`
	PosterURL        string `json:"poster_url"`
	StripURL         string `json:"strip_url"`
	DownloadURL      string `json:"download_url"`
	DownloadFilename string `json:"download_filename"`
	ExpiresAt        string `json:"expires_at" format:"date-time"`
	// ExpiresIn is how many seconds after this answer the URLs stop working:
	// a client times its refresh by it, whatever its own clock says.
	ExpiresIn int64 `json:"expires_in"`
}

type detectionJSON struct {
	Type          string    `json:"type"`
	Label         string    `json:"label"`
	Source        string    `json:"source" enum:"recorder,model,rule,holo4"`
	Score         float64   `json:"score"`
	Box           []float64 `json:"box"`      // x, y, w, h as fractions of the frame; null when not located
	StartMS       int64     `json:"start_ms"` // offset from the recording's start
	EndMS         int64     `json:"end_ms"`
	StartOffsetMS int64     `json:"start_offset_ms"` // same as start_ms (first name, kept)
	EndOffsetMS   int64     `json:"end_offset_ms"`
}

type calendarJSON struct {
	Month    string   `json:"month"`
	Timezone string   `json:"timezone"`
	Days     []string `json:"days"`
	LastDay  string   `json:"last_day"`
}

type histogramJSON struct {
	Date     string       `json:"date"`
	Timezone string       `json:"timezone"`
	Buckets  []bucketJSON `json:"buckets"`
}

type bucketJSON struct {
	Start string `json:"start" format:"date-time"`
	Count int    `json:"count"`
}

// detectionType is a detection type in a filter: motion, person, vehicle,
// animal, or a HOLO4 algorithm id.
var detectionType = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// maxFilterIDs bounds the cameras and types of one filter.
const maxFilterIDs = 256

// viewer is the user whose camera restrictions apply to what this call
// sees: everyone but those who manage cameras (they set the restrictions).
func (c *call) viewer() string {
	if hasPerm(c.who, authz.CamerasManage) {
		return ""
	}
	return c.who.User.ID
}

// multi reads a query parameter given as a comma-separated list, repeated,
// or both.
func (c *call) multi(name string) []string {
	var out []string
	for _, v := range c.r.URL.Query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// recordingFilter reads the filters shared by the list, the calendar and
// the histogram, and the time zone they are read in: the site's, UTC
// without a site. A site of another organisation matches nothing.
func (s *Server) recordingFilter(c *call) (store.RecordingFilter, *time.Location, error) {
	f := store.RecordingFilter{SiteID: c.query("site_id"), CameraIDs: c.multi("camera_ids"), Types: append(c.multi("detections"), c.multi("types")...),
		TopLevel: true, ViewerID: c.viewer()}
	bad := map[string]string{}
	if len(f.CameraIDs) > maxFilterIDs {
		bad["camera_ids"] = "too_many"
	}
	for _, id := range f.CameraIDs {
		if !cam2drive.ValidID(id) {
			bad["camera_ids"] = "invalid_value"
		}
	}
	if len(f.Types) > maxFilterIDs {
		bad["detections"] = "too_many"
	}
	for _, t := range f.Types {
		if !detectionType.MatchString(t) {
			bad["detections"] = "invalid_value"
		}
	}
	if len(bad) > 0 {
		return f, nil, cam2drive.Invalid(bad)
	}
	loc := time.UTC
	if f.SiteID != "" {
		site, err := s.DB.Site(c.r.Context(), c.org.ID, f.SiteID)
		if err != nil && !cam2drive.IsNotFound(err) {
			return f, nil, err
		}
		loc = location(site.Timezone)
	}
	return f, loc, nil
}

// parseTime reads a period bound: RFC 3339, or a wall-clock time
// ("2026-02-05T08:30", "…:15") or a date in loc. A date as the end of a
// period means the end of that day.
func parseTime(v string, loc *time.Location, end bool) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return t, false
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, true
}

func readPeriod(c *call, f *store.RecordingFilter, loc *time.Location) error {
	bad := map[string]string{}
	for _, b := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		v := c.query(b.name)
		if v == "" {
			continue
		}
		t, ok := parseTime(v, loc, b.name == "to")
		if !ok {
			bad[b.name] = "invalid_time"
			continue
		}
		*b.dst = t
	}
	if len(bad) == 0 && !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		bad["to"] = "period_order"
	}
	if len(bad) > 0 {
		return cam2drive.Invalid(bad)
	}
	return nil
}

// recordingPage reads limit, and a keyset cursor ("k:" + the store's) or
// an offset.
func recordingPage(c *call) (cam2drive.Page, error) {
	p, cursor, err := c.limitOffset()
	if err != nil || cursor == "" {
		return p, err
	}
	cur, ok := strings.CutPrefix(cursor, "k:")
	if !ok {
		return p, cam2drive.Invalid(map[string]string{"cursor": "invalid"})
	}
	p.Cursor = cur
	return p, nil
}

func (s *Server) listRecordings(c *call) error {
	f, loc, err := s.recordingFilter(c)
	if err != nil {
		return err
	}
	if err := readPeriod(c, &f, loc); err != nil {
		return err
	}
	p, err := recordingPage(c)
	if err != nil {
		return err
	}
	want := p.Limit
	p.Limit++ // one more tells whether a next page exists
	recs, total, err := s.DB.Recordings(c.r.Context(), c.org.ID, f, p)
	if err != nil {
		return err
	}
	out := list[recordingJSON]{Total: total}
	if len(recs) > want {
		recs = recs[:want]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("k:" + store.RecordingCursor(recs[len(recs)-1])))
	}
	if out.Items, err = s.recordingItems(c, recs); err != nil {
		return err
	}
	return c.json(http.StatusOK, out)
}

// recordingItems turns recordings into their JSON with detection types,
// names and freshly signed media URLs.
func (s *Server) recordingItems(c *call, recs []cam2drive.Recording) ([]recordingJSON, error) {
	ids := make([]string, len(recs))
	var cams, sites []string
	for i, r := range recs {
		ids[i] = r.ID
		cams, sites = appendNew(cams, r.CameraID), appendNew(sites, r.SiteID)
	}
	found, err := s.DB.Detections(c.r.Context(), c.org.ID, ids)
	if err != nil {
		return nil, err
	}
	camNames, siteInfo, err := s.DB.RecordingPlaces(c.r.Context(), c.org.ID, cams, sites)
	if err != nil {
		return nil, err
	}
	now := s.Media.now()
	exp := now.Add(s.Media.ttl()).Truncate(time.Second)
	out := make([]recordingJSON, len(recs))
	for i, r := range recs {
		out[i] = toRecording(r)
		out[i].StatusReason = failureReason(c.lang, r)
		out[i].CameraName, out[i].SiteName = camNames[r.CameraID], siteInfo[r.SiteID].Name
		out[i].DetectionTypes = detectionTypes(found[r.ID])
		out[i].Media = s.mediaURLs(c, r, siteInfo[r.SiteID], camNames[r.CameraID], exp)
		out[i].Media.ExpiresIn = int64(exp.Sub(now) / time.Second)
		out[i].Detections = detectionsJSON(found[r.ID])
		out[i].ThumbnailURL, out[i].DownloadURL = out[i].Media.ThumbnailURL, out[i].Media.DownloadURL
		out[i].MediaURL = cmp.Or(out[i].Media.VideoURL, out[i].Media.ImageURL)
	}
	return out, nil
}

// failureReason words why a recording failed: the pipeline keeps a key,
// then ": " and details for the log.
func failureReason(lang string, r cam2drive.Recording) string {
	if r.Status != "failed" {
		return ""
	}
	key, _, _ := strings.Cut(r.StatusReason, ":")
	if _, ok := messages[key]; !ok {
		key = "processing_error"
	}
	return message(lang, key)
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func toRecording(r cam2drive.Recording) recordingJSON {
	return recordingJSON{ID: r.ID, CameraID: r.CameraID, SiteID: r.SiteID, RecorderID: r.RecorderID, Start: rfc(r.Start), End: rfc(r.End),
		Kind: r.Kind, EventType: r.EventType, Status: r.Status, Size: r.Size, SourcePath: r.SourcePath,
		DurationMS: r.Duration.Milliseconds(), Width: r.Width, Height: r.Height, DetectionTypes: []string{}}
}

// mediaURLs signs a URL for each object the recording has.
func (s *Server) mediaURLs(c *call, r cam2drive.Recording, site cam2drive.Site, camera string, exp time.Time) mediaJSON {
	m := mediaJSON{ExpiresAt: rfc(exp)}
	link := func(variant string) string {
		if _, ok := mediaObject(r, variant); !ok || len(s.Media.Key) == 0 {
			return ""
		}
		return s.Media.url(mediaLink{org: r.OrgID, recording: r.ID, variant: variant, viewer: c.viewer(), exp: exp.Unix()})
	}
	m.VideoURL, m.ImageURL, m.ThumbnailURL = link(variantVideo), link(variantImage), link(variantThumbnail)
	m.PosterURL, m.StripURL = link(variantPoster), link(variantStrip)
	if o, ok := mediaObject(r, variantDownload); ok && hasPerm(c.who, authz.RecordingsDownload) {
		m.DownloadURL, m.DownloadFilename = link(variantDownload), fileName(site, camera, r.Start, o.ext)
	}
	return m
}

func (s *Server) getRecording(c *call) error {
	r, err := s.DB.Recording(c.r.Context(), c.org.ID, c.r.PathValue("recording_id"), c.viewer())
	if err != nil {
		return err
	}
	items, err := s.recordingItems(c, []cam2drive.Recording{r})
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, items[0])
}

// detectionTypes lists the distinct types of ds, sorted (the list's icons).
func detectionTypes(ds []cam2drive.Detection) []string {
	types := []string{}
	for _, d := range ds {
		types = appendNew(types, d.Type)
	}
	slices.Sort(types)
	return types
}

// detectionsJSON words a recording's detections; a detection that was not
// located (the recorder's own event) has a null box.
func detectionsJSON(found []cam2drive.Detection) []detectionJSON {
	ds := make([]detectionJSON, 0, len(found))
	for _, d := range found {
		var box []float64
		if d.Box != [4]float64{} {
			box = make([]float64, len(d.Box))
			for i, v := range d.Box {
				box[i] = round4(v)
			}
		}
		start, end := d.Start.Milliseconds(), d.End.Milliseconds()
		ds = append(ds, detectionJSON{Type: d.Type, Label: d.Label, Source: d.Source, Score: round4(d.Score), Box: box,
			StartMS: start, EndMS: end, StartOffsetMS: start, EndOffsetMS: end})
	}
	return ds
}

// round4 keeps 4 decimals: PostgreSQL stores scores and boxes as REAL
// (float4), so both engines answer the same figures.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// recordingCalendar answers the days of a month that have recordings
// matching the filters, and the last day that has any (where the page
// opens); month defaults to the last day's, else the current one.
func (s *Server) recordingCalendar(c *call) error {
	f, loc, err := s.recordingFilter(c)
	if err != nil {
		return err
	}
	last, err := s.DB.LastRecordingStart(c.r.Context(), c.org.ID, f)
	if err != nil {
		return err
	}
	month := s.Media.now().In(loc)
	if !last.IsZero() {
		month = last.In(loc)
	}
	if v := c.query("month"); v != "" {
		if month, err = time.ParseInLocation("2006-01", v, loc); err != nil || month.Year() < 1970 || month.Year() > 9999 {
			return cam2drive.Invalid(map[string]string{"month": "invalid_month"})
		}
	}
	days, err := s.DB.RecordingDays(c.r.Context(), c.org.ID, f, month.Year(), month.Month(), loc)
	if err != nil {
		return err
	}
	out := calendarJSON{Month: month.Format("2006-01"), Timezone: loc.String(), Days: make([]string, len(days))}
	for i, d := range days {
		out.Days[i] = time.Date(month.Year(), month.Month(), d, 0, 0, 0, 0, loc).Format(time.DateOnly)
	}
	if !last.IsZero() {
		out.LastDay = last.In(loc).Format(time.DateOnly)
	}
	return c.json(http.StatusOK, out)
}

// recordingHistogram counts the recordings matching the filters per hour
// of a day of the site (23 or 25 hours on daylight-saving days); the day
// defaults to the last one with recordings, else today.
func (s *Server) recordingHistogram(c *call) error {
	f, loc, err := s.recordingFilter(c)
	if err != nil {
		return err
	}
	day := s.Media.now().In(loc)
	if v := c.query("date"); v != "" {
		if day, err = time.ParseInLocation(time.DateOnly, v, loc); err != nil {
			return cam2drive.Invalid(map[string]string{"date": "invalid_date"})
		}
	} else if last, err := s.DB.LastRecordingStart(c.r.Context(), c.org.ID, f); err != nil {
		return err
	} else if !last.IsZero() {
		day = last.In(loc)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	hours := int(start.AddDate(0, 0, 1).Sub(start) / time.Hour)
	counts, err := s.DB.RecordingHistogram(c.r.Context(), c.org.ID, f, start, time.Hour, hours)
	if err != nil {
		return err
	}
	out := histogramJSON{Date: start.Format(time.DateOnly), Timezone: loc.String(), Buckets: make([]bucketJSON, hours)}
	for i, n := range counts {
		out.Buckets[i] = bucketJSON{Start: rfc(start.Add(time.Duration(i) * time.Hour)), Count: n}
	}
	return c.json(http.StatusOK, out)
}
