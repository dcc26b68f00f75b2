package blobtest

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/blob"
)

// testSignedURL fetches a presigned URL with a real HTTP client. Stores that
// do not sign (local) must say so with ok=false and an empty URL.
func testSignedURL(t *testing.T, s blob.Store) {
	ctx := context.Background()
	key := unusualKeys[0]
	data := Random(10, 10_000)
	mustPut(t, s, key, data)
	for _, filename := range []string{"", "caméra 1 [M].mp4"} {
		u, ok, err := s.SignedURL(ctx, key, time.Minute, filename)
		if err != nil {
			t.Fatalf("SignedURL: %v", err)
		}
		if !ok {
			if u != "" {
				t.Errorf("SignedURL = %q, false; want an empty URL when not ok", u)
			}
			return
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			t.Fatalf("SignedURL returned an unusable URL: %v", err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Fatalf("GET signed URL: %s, %d bytes, %v; want 200 and the object", resp.Status, len(body), err)
		}
		if filename == "" {
			continue
		}
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] != filename {
			t.Errorf("Content-Disposition = %q (%v), want filename %q", resp.Header.Get("Content-Disposition"), err, filename)
		}
	}
	// Expired: the server refuses.
	u, ok, err := s.SignedURL(ctx, key, time.Second, "")
	if err != nil || !ok {
		t.Fatalf("SignedURL(1s) = %v, %v", ok, err)
	}
	time.Sleep(2 * time.Second)
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET expired signed URL: %s, want 403", resp.Status)
	}
}
