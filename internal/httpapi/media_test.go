package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/storetest"
)

// fetch GETs (or HEADs) a media URL as a browser's <video> or <img> would:
// no credentials, the signed URL is the permission.
func (e *env) fetch(t testing.TB, method, rawURL string, opts ...opt) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.HTTP.URL+rawURL, nil)
	if err != nil {
		t.Fatalf("request %s: %v", rawURL, err)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := e.HTTP.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", rawURL, err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: body, resp: resp}
}

// TestMediaRanges: the playable clip is served whole and by byte ranges
// (first, middle, last, suffix, several), with its content type; HEAD
// gives the size; a range past the end is refused with 416.
func TestMediaRanges(t *testing.T) {
	f := newFixture(t, storetest.Dialects(t)[0])
	b := newBrowseSite(t, f)
	r := b.addRecording(t, f, 1, "2026-02-05 08:00:00", "person")
	var got recordingFull
	f.as(t, f.Viewer, "GET", "/orgs/"+f.C1.Org.ID+"/recordings/"+r.ID, nil).want(t, 200, "recording").decode(t, &got)
	clip := b.clip

	whole := checkRanges(t, f.env, got.Media.VideoURL, clip)
	if cd := whole.Header.Get("Content-Disposition"); cd != "inline" {
		t.Errorf("video Content-Disposition %q, want inline", cd)
	}

	dl := f.fetch(t, "GET", got.Media.DownloadURL).want(t, 200, "download")
	_, params, err := mime.ParseMediaType(dl.Header.Get("Content-Disposition"))
	if err != nil || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") ||
		params["filename"] != "Entrepôt-Nord_Entrée-1_2026-02-05_08-00-00.mp4" || !bytes.Equal(dl.Body, clip) ||
		dl.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("download: Content-Disposition %q (%v), %q", dl.Header.Get("Content-Disposition"), err, dl.Header.Get("Content-Type"))
	}
	th := f.fetch(t, "GET", got.Media.ThumbnailURL).want(t, 200, "thumbnail")
	if th.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(th.Body, b.thumb) {
		t.Errorf("thumbnail: %q, %d bytes", th.Header.Get("Content-Type"), len(th.Body))
	}

	// The snapshot uploaded by the fixture's recorder: its picture, also as
	// thumbnail until the pipeline makes one.
	var snap recordingFull
	f.as(t, f.Viewer, "GET", "/orgs/"+f.C1.Org.ID+"/recordings/"+f.C1.RecordingID, nil).want(t, 200, "snapshot").decode(t, &snap)
	for _, u := range []string{snap.Media.ImageURL, snap.Media.ThumbnailURL} {
		img := f.fetch(t, "GET", u).want(t, 200, "snapshot picture")
		if img.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(img.Body, testJPEG(t, 1)) {
			t.Errorf("snapshot picture %s: %q", u, img.Header.Get("Content-Type"))
		}
	}
}

// TestMediaIsolation: a signed URL opens its own object only, for its
// time, as long as its viewer may still see the camera.
func TestMediaIsolation(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			c1, c2 := f.C1, f.C2
			mediaOf := func(who account, org, id string) recordingFull {
				var r recordingFull
				f.as(t, who, "GET", "/orgs/"+org+"/recordings/"+id, nil).want(t, 200, "recording "+id).decode(t, &r)
				return r
			}
			mine := mediaOf(c2.Admin, c2.Org.ID, c2.RecordingID).Media.ImageURL
			theirs := mediaOf(c1.Admin, c1.Org.ID, c1.RecordingID).Media.ImageURL
			f.fetch(t, "GET", mine).want(t, 200, "C2's own picture")
			f.fetch(t, "GET", theirs).want(t, 200, "C1's own picture")

			u, err := url.Parse(mine)
			if err != nil {
				t.Fatal(err)
			}
			swap := func(old, new string) string { return strings.Replace(mine, old, new, 1) }
			q := u.Query()
			sig := q.Get("sig")
			flipped := string(sig[0]^1) + sig[1:]
			later := fmt.Sprint(time.Now().Add(24 * time.Hour).Unix())
			for _, c := range []struct{ name, url string }{
				{"C1's org in C2's URL", swap(c2.Org.ID, c1.Org.ID)},
				{"C1's recording in C2's URL", swap(c2.RecordingID, c1.RecordingID)},
				{"C1's org and recording in C2's URL", swap("/"+c2.Org.ID+"/"+c2.RecordingID+"/", "/"+c1.Org.ID+"/"+c1.RecordingID+"/")},
				{"another variant", swap("/image?", "/download?")},
				{"tampered signature", swap("sig="+sig, "sig="+flipped)},
				{"no signature", swap("sig="+sig, "sig=")},
				{"longer life", swap("exp="+q.Get("exp"), "exp="+later)},
				{"unknown variant", swap("/image?", "/original?")},
				{"C1's signature on C2's path", "/media/" + c2.Org.ID + "/" + c2.RecordingID + "/image?" + strings.SplitN(theirs, "?", 2)[1]},
			} {
				rep := f.fetch(t, "GET", c.url)
				if rep.Status != 404 || rep.err(t).Code != "not_found" || bytes.Contains(rep.Body, testJPEG(t, 1)[:50]) {
					t.Errorf("%s (%s): %s, want 404 not_found", c.name, c.url, rep)
				}
			}

			// Expired: refused with a message to reload, in the viewer's language.
			f.later.Store(int64(time.Hour + time.Second))
			rep := f.fetch(t, "GET", mine, header("Accept-Language", "fr-FR,fr;q=0.9"))
			if e := rep.err(t); rep.Status != 403 || e.Code != "forbidden" || !strings.Contains(e.Message, "expiré") {
				t.Errorf("expired URL: %s", rep)
			}
			f.fetch(t, "GET", mediaOf(c2.Admin, c2.Org.ID, c2.RecordingID).Media.ImageURL).want(t, 200, "a fresh URL after the old one expired")
			f.later.Store(0)

			// REC4: a camera restricted to someone else closes the viewer's URLs
			// at once; the admin's (who manages cameras) keep working.
			viewers := mediaOf(f.Viewer, c1.Org.ID, c1.RecordingID).Media.ImageURL
			admins := mediaOf(c1.Admin, c1.Org.ID, c1.RecordingID).Media.ImageURL
			f.fetch(t, "GET", viewers).want(t, 200, "viewer's URL before the restriction")
			f.as(t, c1.Admin, "PATCH", "/orgs/"+c1.Org.ID+"/cameras/"+c1.CameraID, map[string]any{"allowed_users": []string{f.Tech.User.ID}}).
				want(t, 200, "restrict the camera to the technician")
			if rep := f.fetch(t, "GET", viewers); rep.Status != 404 {
				t.Errorf("viewer's URL of a camera restricted to another user: %s, want 404", rep)
			}
			f.fetch(t, "GET", admins).want(t, 200, "admin's URL after the restriction")
			// Another viewer on the list: the URL carries their id, which is no
			// key for the first viewer.
			other := f.addPerson(t, c1, "viewer2@c1.test", c1.Roles["viewer"])
			f.as(t, c1.Admin, "PATCH", "/orgs/"+c1.Org.ID+"/cameras/"+c1.CameraID, map[string]any{"allowed_users": []string{other.User.ID}}).
				want(t, 200, "restrict the camera to the second viewer")
			allowed := mediaOf(other, c1.Org.ID, c1.RecordingID).Media.ImageURL
			f.fetch(t, "GET", allowed).want(t, 200, "the allowed viewer's URL")
			if !strings.Contains(allowed, "u="+other.User.ID) {
				t.Fatalf("a restricted viewer's URL %s does not name the viewer", allowed)
			}
			if rep := f.fetch(t, "GET", strings.Replace(allowed, "u="+other.User.ID, "u="+f.Viewer.User.ID, 1)); rep.Status != 404 {
				t.Errorf("someone else's user id in a URL: %s", rep)
			}
		})
	}
}

// checkRanges fetches the clip at u whole, by byte ranges (first, middle,
// last, suffix, several), with HEAD and If-Range, and past its end; it
// returns the whole answer.
func checkRanges(t *testing.T, e *env, u string, clip []byte) reply {
	t.Helper()
	n := len(clip)
	whole := e.fetch(t, "GET", u).want(t, 200, "whole clip")
	if !bytes.Equal(whole.Body, clip) || whole.Header.Get("Content-Type") != "video/mp4" || whole.Header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("whole clip: %d bytes, %q, Accept-Ranges %q", len(whole.Body), whole.Header.Get("Content-Type"), whole.Header.Get("Accept-Ranges"))
	}
	for _, c := range []struct {
		name, rng  string
		start, end int // inclusive
	}{
		{"first bytes", "bytes=0-99", 0, 99},
		{"first byte", "bytes=0-0", 0, 0},
		{"middle", fmt.Sprintf("bytes=%d-%d", n/2, n/2+999), n / 2, n/2 + 999},
		{"last bytes", fmt.Sprintf("bytes=%d-%d", n-100, n-1), n - 100, n - 1},
		{"last byte", fmt.Sprintf("bytes=%d-", n-1), n - 1, n - 1},
		{"suffix", "bytes=-500", n - 500, n - 1},
		{"open end", fmt.Sprintf("bytes=%d-", n-1234), n - 1234, n - 1},
		{"end past the size", fmt.Sprintf("bytes=%d-%d", n-10, n+5000), n - 10, n - 1},
	} {
		rep := e.fetch(t, "GET", u, header("Range", c.rng))
		wantRange := fmt.Sprintf("bytes %d-%d/%d", c.start, c.end, n)
		if rep.Status != 206 || !bytes.Equal(rep.Body, clip[c.start:c.end+1]) || rep.Header.Get("Content-Range") != wantRange ||
			rep.Header.Get("Content-Type") != "video/mp4" {
			t.Errorf("%s (%s): %d, %d bytes, Content-Range %q (want %q), %q", c.name, c.rng, rep.Status, len(rep.Body),
				rep.Header.Get("Content-Range"), wantRange, rep.Header.Get("Content-Type"))
		}
	}
	multi := e.fetch(t, "GET", u, header("Range", "bytes=0-9,100-109")).want(t, 206, "two ranges")
	if mt, _, _ := mime.ParseMediaType(multi.Header.Get("Content-Type")); mt != "multipart/byteranges" ||
		!bytes.Contains(multi.Body, clip[0:10]) || !bytes.Contains(multi.Body, clip[100:110]) {
		t.Errorf("two ranges: %q", multi.Header.Get("Content-Type"))
	}
	e.fetch(t, "GET", u, header("Range", fmt.Sprintf("bytes=%d-", n))).want(t, 416, "range past the end")
	head := e.fetch(t, "HEAD", u).want(t, 200, "HEAD")
	if head.Header.Get("Content-Length") != fmt.Sprint(n) || len(head.Body) != 0 {
		t.Errorf("HEAD: Content-Length %q, %d bytes of body", head.Header.Get("Content-Length"), len(head.Body))
	}
	// A player resuming with If-Range and the ETag gets the range.
	resumed := e.fetch(t, "GET", u, header("Range", "bytes=10-19"), header("If-Range", whole.Header.Get("ETag")))
	if resumed.Status != 206 || !bytes.Equal(resumed.Body, clip[10:20]) {
		t.Errorf("If-Range with the ETag: %d", resumed.Status)
	}

	return whole
}
