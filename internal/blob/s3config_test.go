package blob_test

import (
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/blob"
)

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		raw     string
		want    blob.S3Config
		wantErr string // substring of the error; "" means success
	}{
		{
			raw: "s3://ACCESS:SECRET@host:9000/bucket/prefix?region=us-east-1&secure=false",
			want: blob.S3Config{Endpoint: "host:9000", Bucket: "bucket", Prefix: "prefix",
				AccessKey: "ACCESS", SecretKey: "SECRET", Region: "us-east-1", Secure: false},
		},
		{
			raw:  "s3://AK:SK@s3.example.com/media",
			want: blob.S3Config{Endpoint: "s3.example.com", Bucket: "media", AccessKey: "AK", SecretKey: "SK", Secure: true},
		},
		{
			raw: "s3://AK:SK@127.0.0.1:7070/media/a/b/?secure=0&region=eu-west-3",
			want: blob.S3Config{Endpoint: "127.0.0.1:7070", Bucket: "media", Prefix: "a/b",
				AccessKey: "AK", SecretKey: "SK", Region: "eu-west-3"},
		},
		{
			// Special characters of the secret are percent-encoded.
			raw:  "s3://AK:wJal%2FrXU%2BtnF%40%3A%25@host/b",
			want: blob.S3Config{Endpoint: "host", Bucket: "b", AccessKey: "AK", SecretKey: "wJal/rXU+tnF@:%", Secure: true},
		},
		{
			raw:  "s3://minio:9000/public",
			want: blob.S3Config{Endpoint: "minio:9000", Bucket: "public", Secure: true},
		},
		{raw: "http://AK:SK@host/b", wantErr: "scheme"},
		{raw: "s3://AK:SK@/b", wantErr: "missing host"},
		{raw: "s3://AK:SK@host", wantErr: "missing bucket"},
		{raw: "s3://AK:SK@host/", wantErr: "missing bucket"},
		{raw: "s3://AK@host/b", wantErr: "both"},
		{raw: "s3://:SK@host/b", wantErr: "both"},
		{raw: "s3://AK:SK@host/b?secure=maybe", wantErr: "secure"},
		{raw: "s3://AK:SK@host/b?regoin=x", wantErr: "unknown parameter"},
		{raw: "s3://AK:SK@host/b/a/../c", wantErr: "prefix"},
		{raw: "s3://AK:SK@host/b/a//c", wantErr: "prefix"},
		{raw: "s3://AK:SECRET@host:port/b", wantErr: "invalid S3 URL"},
		{raw: "s3://AK:SE/CRET@host/b", wantErr: "invalid S3 URL"},
		{raw: "::not a url", wantErr: "invalid S3 URL"},
	}
	for _, tc := range tests {
		got, err := blob.ParseS3URL(tc.raw)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseS3URL(%q) error = %v, want one containing %q", tc.raw, err, tc.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "CRET")) {
				t.Errorf("ParseS3URL(%q) error shows the secret: %v", tc.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseS3URL(%q): %v", tc.raw, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseS3URL(%q) =\n  %#v\nwant\n  %#v", tc.raw, got, tc.want)
		}
	}
}

func TestS3ConfigStringRedacts(t *testing.T) {
	c, err := blob.ParseS3URL("s3://AK:topsecret@host:9000/bucket/p?region=r&secure=false")
	if err != nil {
		t.Fatal(err)
	}
	got := c.String()
	if strings.Contains(got, "topsecret") {
		t.Errorf("String() = %q shows the secret", got)
	}
	// The redacted form still parses to the same place (not the same secret).
	back, err := blob.ParseS3URL(got)
	if err != nil {
		t.Fatalf("ParseS3URL(String()): %v", err)
	}
	back.SecretKey = c.SecretKey
	if back != c {
		t.Errorf("round trip = %#v, want %#v", back, c)
	}
}
