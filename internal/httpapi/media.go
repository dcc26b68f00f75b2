package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
)

// MediaDeps is what the API needs to hand out and serve recordings' media.
type MediaDeps struct {
	Blobs blob.Store
	// Key signs media URLs; the server key (every node shares it), from
	// which a key of its own is derived.
	Key []byte
	// TTL is how long a signed URL works (default 1 hour). Lists hand out
	// fresh URLs each time, so a shared link stops working after TTL.
	TTL time.Duration
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// defaultMediaTTL is the life of a signed media URL when none is set.
const defaultMediaTTL = time.Hour

func (m MediaDeps) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return defaultMediaTTL
}

func (m MediaDeps) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Media variants: what /media serves of a recording.
const (
	variantVideo     = "video"     // the browser-playable clip (MP4)
	variantImage     = "image"     // a snapshot's picture
	variantThumbnail = "thumbnail" // small picture for lists
	variantPoster    = "poster"    // full-size still of a clip
	variantStrip     = "strip"     // preview frames of a clip
	variantDownload  = "download"  // the clip (or picture) as an attachment with a readable name
)

// mediaLink is what a signed media URL grants: one variant of one
// recording of one organisation, until exp, seen as viewer ("" for people
// who manage cameras: no camera restriction applies to them).
type mediaLink struct {
	org, recording, variant, viewer string
	exp                             int64 // Unix seconds
}

func (l mediaLink) payload() []byte {
	return []byte("cam2drive-media-v1\n" + l.org + "\n" + l.recording + "\n" + l.variant + "\n" + l.viewer + "\n" + strconv.FormatInt(l.exp, 10))
}

// mediaKey derives the signing key from the server key, so a signature
// can't be replayed against another use of the same key.
func (m MediaDeps) mediaKey() []byte {
	h := hmac.New(sha256.New, m.Key)
	h.Write([]byte("media-url-signing"))
	return h.Sum(nil)
}

func (m MediaDeps) sign(l mediaLink) string {
	h := hmac.New(sha256.New, m.mediaKey())
	h.Write(l.payload())
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// url is the signed, relative URL of a link.
func (m MediaDeps) url(l mediaLink) string {
	q := url.Values{"exp": {strconv.FormatInt(l.exp, 10)}, "sig": {m.sign(l)}}
	if l.viewer != "" {
		q.Set("u", l.viewer)
	}
	return "/media/" + l.org + "/" + l.recording + "/" + l.variant + "?" + q.Encode()
}

// verify reads and checks the link of a /media request: a wrong signature
// is "not found" (nothing is disclosed), a right but expired one
// "link_expired" (the page only has to reload).
func (m MediaDeps) verify(r *http.Request) (mediaLink, error) {
	q := r.URL.Query()
	l := mediaLink{org: r.PathValue("org_id"), recording: r.PathValue("recording_id"), variant: r.PathValue("variant"), viewer: q.Get("u")}
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	if err != nil || len(m.Key) == 0 {
		return l, cam2drive.ErrNotFound
	}
	l.exp = exp
	want := m.sign(l)
	if subtle.ConstantTimeCompare([]byte(want), []byte(q.Get("sig"))) != 1 {
		return l, cam2drive.ErrNotFound
	}
	if m.now().Unix() >= exp {
		return l, cam2drive.Errorf(cam2drive.CodeForbidden, "link_expired")
	}
	return l, nil
}

// serveMedia answers GET/HEAD /media/{org_id}/{recording_id}/{variant}:
// the object behind a signed link, with Range support (206) on every store.
// The recording is read again, so a recording deleted or a camera
// restricted since the link was made is refused at once.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	c := s.newCall(w, r)
	if err := s.mediaFile(c); err != nil {
		c.writeError(err)
	}
}

func (s *Server) mediaFile(c *call) error {
	if err := checkURLText(c.r); err != nil {
		return err
	}
	l, err := s.Media.verify(c.r)
	if err != nil {
		return err
	}
	rec, err := s.DB.Recording(c.r.Context(), l.org, l.recording, l.viewer)
	if err != nil {
		return err
	}
	obj, ok := mediaObject(rec, l.variant)
	if !ok {
		return cam2drive.ErrNotFound
	}
	info, err := s.Media.Blobs.Stat(c.r.Context(), obj.key)
	if errors.Is(err, blob.ErrNotFound) {
		return cam2drive.ErrNotFound
	}
	if err != nil {
		return err
	}
	h := c.w.Header()
	if obj.contentType != "" {
		h.Set("Content-Type", obj.contentType)
	}
	name := path.Base(obj.key)
	if l.variant == variantDownload {
		if name, err = s.downloadName(c.r.Context(), rec, obj.ext); err != nil {
			return err
		}
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	} else {
		h.Set("Content-Disposition", "inline")
	}
	h.Set("ETag", fmt.Sprintf(`"%s-%s-%d"`, rec.ID, l.variant, info.Size))
	h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d", max(0, l.exp-s.Media.now().Unix())))
	content := &blobReader{ctx: c.r.Context(), store: s.Media.Blobs, key: obj.key, size: info.Size}
	defer content.Close()
	http.ServeContent(c.w, c.r, name, info.ModTime, content)
	return nil
}

// object is a stored object a variant resolves to.
type object struct {
	key, contentType, ext string
}

// mediaObject resolves a variant of a recording to its object: derived
// objects when the pipeline made them, the original when it is already
// what the browser needs (an MP4 clip, a JPEG snapshot).
func mediaObject(r cam2drive.Recording, variant string) (object, bool) {
	snapshot := r.Kind == "snapshot"
	original := originalObject(r)
	video := object{key: r.MediaKey, contentType: "video/mp4", ext: ".mp4"}
	if video.key == "" && r.Container == "mp4" && !snapshot {
		video = original
	}
	derived := func(key string) object { return object{key: key, contentType: typeByExt(key), ext: path.Ext(key)} }
	var o object
	switch variant {
	case variantVideo:
		o = video
		o.ok(!snapshot)
	case variantImage:
		o = original
		o.ok(snapshot && original.contentType != "")
	case variantThumbnail:
		o = derived(r.ThumbKey)
		if o.key == "" && snapshot && original.contentType != "" {
			o = original
		}
	case variantPoster:
		o = derived(r.PosterKey)
		if o.key == "" && snapshot && original.contentType != "" {
			o = original
		}
	case variantStrip:
		o = derived(r.StripKey)
	case variantDownload:
		o = video
		if snapshot {
			o = original
			o.ok(original.contentType != "")
		}
	}
	return o, o.key != ""
}

// originalObject is the uploaded object, with its content type when the
// browser can show it as it is: by the container its first bytes named, or
// for a snapshot not processed yet, by its extension (ingest only accepts
// complete JPEG and PNG pictures).
func originalObject(r cam2drive.Recording) object {
	o := object{key: r.ObjectKey, contentType: containerTypes[r.Container], ext: containerExt[r.Container]}
	if r.Container == "" && r.Kind == "snapshot" {
		if t := typeByExt(r.ObjectKey); strings.HasPrefix(t, "image/") {
			o.contentType, o.ext = t, strings.ToLower(path.Ext(r.ObjectKey))
		}
	}
	return o
}

// ok empties o unless cond.
func (o *object) ok(cond bool) {
	if !cond {
		*o = object{}
	}
}

// containerTypes are the content types of originals the browser shows as
// they are, by the container the first bytes named.
var containerTypes = map[string]string{"mp4": "video/mp4", "jpeg": "image/jpeg", "png": "image/png"}

var containerExt = map[string]string{"mp4": ".mp4", "jpeg": ".jpg", "png": ".png"}

// typeByExt names the content type of a derived object; "" lets
// http.ServeContent sniff it.
func typeByExt(key string) string {
	switch strings.ToLower(path.Ext(key)) {
	case ".mp4", ".m4v":
		return "video/mp4"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".webp":
		return "image/webp"
	}
	return ""
}

// downloadName is <site>_<camera>_<YYYY-MM-DD_HH-MM-SS><ext>, the start in
// the site's time zone.
func (s *Server) downloadName(ctx context.Context, r cam2drive.Recording, ext string) (string, error) {
	cams, sites, err := s.DB.RecordingPlaces(ctx, r.OrgID, []string{r.CameraID}, []string{r.SiteID})
	if err != nil {
		return "", err
	}
	return fileName(sites[r.SiteID], cams[r.CameraID], r.Start, ext), nil
}

func fileName(site cam2drive.Site, camera string, start time.Time, ext string) string {
	if ext == "" {
		ext = ".bin"
	}
	return fileWord(site.Name, "site") + "_" + fileWord(camera, "camera") + "_" + start.In(location(site.Timezone)).Format("2006-01-02_15-04-05") + ext
}

// fileWord makes a name safe in a file name on every system: no path
// separators, reserved or control characters, no "_" (it separates the
// parts), spaces as "-".
func fileWord(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		bad := r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|_ `, r)
		if bad {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return fallback
	}
	return out
}

// location loads a site's time zone, UTC when unknown.
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// blobReader is an io.ReadSeeker over a stored object, for
// http.ServeContent: a seek only moves the position, and the next read
// opens the object there (a ranged GET on S3), so a Range request reads
// only from its first byte.
type blobReader struct {
	ctx   context.Context
	store blob.Store
	key   string
	size  int64
	pos   int64
	rc    io.ReadCloser
}

func (b *blobReader) Read(p []byte) (int, error) {
	if b.pos >= b.size {
		return 0, io.EOF
	}
	if b.rc == nil {
		rc, err := b.store.Open(b.ctx, b.key, b.pos, -1)
		if err != nil {
			return 0, err
		}
		b.rc = rc
	}
	n, err := b.rc.Read(p)
	b.pos += int64(n)
	return n, err
}

func (b *blobReader) Seek(offset int64, whence int) (int64, error) {
	pos := offset
	switch whence {
	case io.SeekCurrent:
		pos += b.pos
	case io.SeekEnd:
		pos += b.size
	}
	if pos < 0 {
		return b.pos, errors.New("blob reader: negative position")
	}
	if pos != b.pos {
		b.Close()
		b.pos = pos
	}
	return pos, nil
}

func (b *blobReader) Close() error {
	if b.rc == nil {
		return nil
	}
	err := b.rc.Close()
	b.rc = nil
	return err
}
