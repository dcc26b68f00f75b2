package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// streamPartSize is the multipart part size for Put of unknown length: it
// bounds the memory a Put buffers (minio's default for unknown sizes is
// ~500 MiB) and still allows objects of 10,000 × 16 MiB = 160 GiB.
const streamPartSize = 16 << 20

// S3 stores objects in a bucket of an S3-compatible server. Atomicity comes
// from S3 itself: an object appears only when its PUT or multipart upload
// completes.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ends with "/"
}

var _ Store = (*S3)(nil)

// NewS3 connects with minio-go and creates the bucket if it is missing.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.Endpoint == "" || c.Bucket == "" {
		return nil, errors.New("blob: s3: endpoint and bucket are required")
	}
	prefix := strings.Trim(c.Prefix, "/")
	if prefix != "" {
		if err := checkPath(prefix); err != nil {
			return nil, fmt.Errorf("blob: s3: prefix %q: %v", prefix, err)
		}
		prefix += "/"
	}
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: c.Secure,
		Region: c.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s: %w", c.Endpoint, err)
	}
	s := &S3{client: client, bucket: c.Bucket, prefix: prefix}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: %s: bucket exists: %w", s, err)
	}
	if !ok {
		err := client.MakeBucket(ctx, c.Bucket, minio.MakeBucketOptions{Region: c.Region})
		if err != nil && !isCode(err, "BucketAlreadyOwnedByYou") {
			return nil, fmt.Errorf("blob: %s: make bucket: %w", s, err)
		}
	}
	return s, nil
}

// String returns "s3://bucket" or "s3://bucket/prefix".
func (s *S3) String() string {
	if s.prefix == "" {
		return "s3://" + s.bucket
	}
	return "s3://" + s.bucket + "/" + strings.TrimSuffix(s.prefix, "/")
}

func (s *S3) name(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

func isCode(err error, code string) bool { return minio.ToErrorResponse(err).Code == code }

// isNotFound: a missing key, but not a missing bucket (that is a real fault).
func isNotFound(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == minio.NoSuchKey || (r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket)
}

// PutFile uploads the file with FPutObject (multipart for big files).
func (s *S3) PutFile(ctx context.Context, key, path string) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	// Checked here because minio-go would retry a failing read ten times.
	if fi, err := os.Stat(path); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("blob: put %q: %s is not a regular file", key, path)
	}
	err = s.retry(ctx, nil, func() error {
		_, err := s.client.FPutObject(ctx, s.bucket, name, path, minio.PutObjectOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return nil
}

// Put uploads r; with an unknown size it is sent in parts of streamPartSize.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{}
	if size < 0 {
		size = -1
		opts.PartSize = streamPartSize
	}
	var info minio.UploadInfo
	err = s.retry(ctx, r, func() (err error) {
		info, err = s.client.PutObject(ctx, s.bucket, name, r, size, opts)
		return err
	})
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if size >= 0 && info.Size != size {
		return fmt.Errorf("blob: put %q: stored %d bytes, expected %d", key, info.Size, size)
	}
	return nil
}

// lostParentRace is the error code versitygw's posix backend (v1.8.0) gives
// when a concurrent delete pruned the new object's empty parent directory
// under it (its mkdir or final link then fails); the same upload succeeds
// when sent again. It also means "the key is a directory there", which no
// retry fixes: hence a bounded number of tries.
const lostParentRace = "ExistingObjectIsDirectory"

const putTries = 8

// retry runs put, and again after a lostParentRace when the source can be
// sent again: a file (r == nil) or an io.Seeker, rewound.
func (s *S3) retry(ctx context.Context, r io.Reader, put func() error) error {
	seeker, _ := r.(io.Seeker)
	var start int64
	if seeker != nil {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seeker = nil
		}
	}
	for try := 1; ; try++ {
		err := put()
		if err == nil || !isCode(err, lostParentRace) || try == putTries || (r != nil && seeker == nil) {
			return err
		}
		if seeker != nil {
			if _, serr := seeker.Seek(start, io.SeekStart); serr != nil {
				return err
			}
		}
		// Jitter so that two writers racing the same deleter drift apart.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(try)*5*time.Millisecond + rand.N(5*time.Millisecond)):
		}
	}
}

// Open issues one GET, with a Range header for partial reads. Only an
// unsatisfiable range or a zero length costs an extra HEAD.
func (s *S3) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	name, err := s.name(key)
	if err != nil {
		return nil, err
	}
	if err := checkRangeArgs(offset, length); err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	if length == 0 {
		return s.openEmpty(ctx, key, offset, length)
	}
	opts := minio.GetObjectOptions{}
	switch {
	case length > 0:
		err = opts.SetRange(offset, offset+length-1)
	case offset > 0:
		err = opts.SetRange(offset, 0) // "bytes=N-"
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, name, opts)
	switch {
	case err == nil:
		return body, nil
	case isNotFound(err):
		return nil, fmt.Errorf("blob: open %q: %w", key, ErrNotFound)
	case isCode(err, minio.InvalidRange):
		return s.openEmpty(ctx, key, offset, length)
	}
	return nil, fmt.Errorf("blob: open %q: %w", key, err)
}

// openEmpty answers reads that yield no bytes, or the error the package rule
// gives, from the object's size.
func (s *S3) openEmpty(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	if _, err := clampRange(offset, length, info.Size); err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	return io.NopCloser(strings.NewReader("")), nil
}

// Stat issues a HEAD.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	name, err := s.name(key)
	if err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if isNotFound(err) {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, ErrNotFound)
	} else if err != nil {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, err)
	}
	return Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}, nil
}

// Delete removes the object; S3 does not report missing keys.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	err = s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	return nil
}
