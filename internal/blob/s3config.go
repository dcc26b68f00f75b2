package blob

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// S3Config configures an S3-compatible store.
type S3Config struct {
	Endpoint  string // host:port
	Bucket    string
	Prefix    string // optional key prefix, without leading or trailing "/"
	AccessKey string
	SecretKey string
	Region    string // empty: asked from the server
	Secure    bool   // https
}

// String renders the config as a URL with the secret key redacted, so that
// printing a config (%v, logs) never shows it.
func (c S3Config) String() string {
	u := url.URL{Scheme: "s3", Host: c.Endpoint, Path: "/" + c.Bucket}
	if c.Prefix != "" {
		u.Path += "/" + c.Prefix
	}
	if c.AccessKey != "" || c.SecretKey != "" {
		u.User = url.UserPassword(c.AccessKey, "REDACTED")
	}
	q := url.Values{}
	if c.Region != "" {
		q.Set("region", c.Region)
	}
	q.Set("secure", strconv.FormatBool(c.Secure))
	u.RawQuery = q.Encode()
	return u.String()
}

// ParseS3URL parses "s3://ACCESS:SECRET@host:port/bucket/prefix?region=us-east-1&secure=false".
// Characters of the keys that are special in URLs ("/", "@", ":", "%"…) are
// percent-encoded. secure defaults to true (https); region defaults to empty,
// which lets the client ask the server. Errors never contain the secret.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's errors quote the URL or parts of it, secret included.
		return S3Config{}, errors.New("blob: invalid S3 URL (percent-encode special characters in the keys)")
	}
	if u.Scheme != "s3" {
		return S3Config{}, fmt.Errorf("blob: invalid S3 URL: scheme %q, want s3", u.Scheme)
	}
	c := S3Config{Endpoint: u.Host, Secure: true}
	if c.Endpoint == "" {
		return S3Config{}, errors.New("blob: invalid S3 URL: missing host")
	}
	if u.User != nil {
		c.AccessKey = u.User.Username()
		c.SecretKey, _ = u.User.Password()
	}
	if (c.AccessKey == "") != (c.SecretKey == "") {
		return S3Config{}, errors.New("blob: invalid S3 URL: give both access key and secret key, or neither")
	}
	path := strings.Trim(u.Path, "/")
	c.Bucket, c.Prefix, _ = strings.Cut(path, "/")
	if c.Bucket == "" {
		return S3Config{}, errors.New("blob: invalid S3 URL: missing bucket")
	}
	if c.Prefix != "" {
		if err := checkPath(c.Prefix); err != nil {
			return S3Config{}, fmt.Errorf("blob: invalid S3 URL: prefix %q: %v", c.Prefix, err)
		}
	}
	for name, vals := range u.Query() {
		v := vals[len(vals)-1]
		switch name {
		case "region":
			c.Region = v
		case "secure":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return S3Config{}, fmt.Errorf("blob: invalid S3 URL: secure=%q is not a boolean", v)
			}
			c.Secure = b
		default:
			return S3Config{}, fmt.Errorf("blob: invalid S3 URL: unknown parameter %q", name)
		}
	}
	return c, nil
}
