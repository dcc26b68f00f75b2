package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/blob/blobtest"
)

const (
	testAccess = blobtest.S3Access
	testSecret = blobtest.S3Secret
)

// TestS3 runs the conformance suite and the S3-only tests against a real
// S3 server: versitygw with its posix backend, on loopback.
func TestS3(t *testing.T) {
	endpoint := blobtest.StartVersityGW(t)
	ctx := context.Background()
	cfg := func(bucket, prefix string) blob.S3Config {
		return blob.S3Config{Endpoint: endpoint, Bucket: bucket, Prefix: prefix,
			AccessKey: testAccess, SecretKey: testSecret, Region: "us-east-1"}
	}
	newS3 := func(t *testing.T, c blob.S3Config) *blob.S3 {
		t.Helper()
		s, err := blob.NewS3(ctx, c)
		if err != nil {
			t.Fatalf("NewS3(%v): %v", c, err)
		}
		return s
	}
	var mu sync.Mutex
	n := 0
	next := func() int { mu.Lock(); defer mu.Unlock(); n++; return n }

	t.Run("ConformanceBucket", func(t *testing.T) {
		blobtest.Run(t, func(t *testing.T) blob.Store {
			return newS3(t, cfg(fmt.Sprintf("bucket-%03d", next()), ""))
		})
	})
	t.Run("ConformancePrefix", func(t *testing.T) {
		// All stores share one bucket: each must only ever see its own prefix.
		blobtest.Run(t, func(t *testing.T) blob.Store {
			return newS3(t, cfg("shared", fmt.Sprintf("tenants/t%03d/media", next())))
		})
	})
	t.Run("CleanTempAbortsOldUploads", func(t *testing.T) {
		testS3CleanTemp(t, endpoint, newS3(t, cfg("clean", "p")))
	})
	t.Run("NoSecretInStrings", func(t *testing.T) {
		c := cfg("secrets", "a/b")
		s := newS3(t, c)
		for _, str := range []string{s.String(), c.String(), fmt.Sprintf("%v %+v %s", c, c, c)} {
			if strings.Contains(str, testSecret) || strings.Contains(str, "s3cr3t") {
				t.Errorf("secret printed: %q", str)
			}
		}
		if got, want := s.String(), "s3://secrets/a/b"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
		if got, want := newS3(t, cfg("secrets", "")).String(), "s3://secrets"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	})
	t.Run("BadCredentials", func(t *testing.T) {
		c := cfg("creds", "")
		c.SecretKey = "wrong-" + testSecret
		_, err := blob.NewS3(ctx, c)
		if err == nil {
			t.Fatal("NewS3 with a wrong secret succeeded")
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error shows the secret: %v", err)
		}
	})
}

// testS3CleanTemp leaves a multipart upload unfinished, as a killed process
// would, and checks that it is invisible and that CleanTemp aborts it by age.
func testS3CleanTemp(t *testing.T, endpoint string, s *blob.S3) {
	ctx := context.Background()
	client, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(testAccess, testSecret, ""), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	core := minio.Core{Client: client}
	start := func(name string) {
		t.Helper()
		id, err := core.NewMultipartUpload(ctx, "clean", name, minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		part := bytes.Repeat([]byte{'p'}, 5<<20)
		if _, err := core.PutObjectPart(ctx, "clean", name, id, 1, bytes.NewReader(part), int64(len(part)), minio.PutObjectPartOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	start("p/org/o1/killed.dav")
	start("elsewhere/killed.dav") // outside the store's prefix: not its business
	if _, err := s.Stat(ctx, "org/o1/killed.dav"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat of an unfinished upload: %v, want ErrNotFound", err)
	}
	if list, err := s.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List = %+v, %v; want empty", list, err)
	}
	if n, err := s.CleanTemp(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("CleanTemp(1h) = %d, %v; want 0 (the upload is new)", n, err)
	}
	if n, err := s.CleanTemp(ctx, 0); err != nil || n != 1 {
		t.Errorf("CleanTemp(0) = %d, %v; want 1", n, err)
	}
	var left []string
	for up := range client.ListIncompleteUploads(ctx, "clean", "", true) {
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		left = append(left, up.Key)
	}
	if len(left) != 1 || left[0] != "elsewhere/killed.dav" {
		t.Errorf("incomplete uploads left = %q, want only elsewhere/killed.dav", left)
	}
}
