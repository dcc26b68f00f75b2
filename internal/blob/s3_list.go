package blob

import (
	"context"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// List pages through ListObjectsV2 under the store prefix.
func (s *S3) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx) // stops minio's lister if we return early
	defer cancel()
	var out []Info
	opts := minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}
	for oi := range s.client.ListObjects(ctx, s.bucket, opts) {
		if oi.Err != nil {
			return nil, fmt.Errorf("blob: list %q: %w", prefix, oi.Err)
		}
		key := strings.TrimPrefix(oi.Key, s.prefix)
		if checkKey(key) != nil {
			continue // written by something else (e.g. "dir/" markers): not ours
		}
		out = append(out, Info{Key: key, Size: oi.Size, ModTime: oi.LastModified})
	}
	// A closed channel can also mean ctx ended before the listing did.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	// S3 already sorts by UTF-8 bytes; sorting again is cheap insurance
	// against servers that do not.
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// CleanTemp aborts the incomplete multipart uploads under the store prefix
// that were started more than age ago. It aborts each by its upload ID, not
// with RemoveIncompleteUpload, which would also abort newer uploads of the
// same key that are still in progress.
func (s *S3) CleanTemp(ctx context.Context, age time.Duration) (int, error) {
	ctx, cancel := context.WithCancel(ctx) // stops minio's lister if we return early
	defer cancel()
	cutoff := time.Now().Add(-age)
	core := minio.Core{Client: s.client}
	removed := 0
	for up := range s.client.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		if up.Err != nil {
			return removed, fmt.Errorf("blob: clean temp: %w", up.Err)
		}
		if up.Initiated.After(cutoff) {
			continue
		}
		if err := core.AbortMultipartUpload(ctx, s.bucket, up.Key, up.UploadID); err != nil && !isCode(err, "NoSuchUpload") {
			return removed, fmt.Errorf("blob: clean temp: abort %q: %w", up.Key, err)
		}
		removed++
	}
	if err := ctx.Err(); err != nil {
		return removed, fmt.Errorf("blob: clean temp: %w", err)
	}
	return removed, nil
}

// SignedURL presigns a GET; with a filename the response is served as an
// attachment under that name (RFC 6266, UTF-8 names encoded per RFC 2231).
func (s *S3) SignedURL(ctx context.Context, key string, expiry time.Duration, filename string) (string, bool, error) {
	name, err := s.name(key)
	if err != nil {
		return "", false, err
	}
	params := url.Values{}
	if filename != "" {
		cd := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
		if cd == "" {
			return "", false, fmt.Errorf("blob: sign %q: unusable filename %q", key, filename)
		}
		params.Set("response-content-disposition", cd)
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, name, expiry, params)
	if err != nil {
		return "", false, fmt.Errorf("blob: sign %q: %w", key, err)
	}
	return u.String(), true, nil
}
