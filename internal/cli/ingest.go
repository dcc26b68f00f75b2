package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cam2drive/cam2drive/internal/auth"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/media"
)

// serverKey is the 32-byte key that encrypts recorder passwords: from
// --secret-key, else <data-dir>/secret.key, created once. Every node of a
// deployment must share it.
func serverKey(cfg config.Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cfg.SecretKey))
		if err != nil || len(key) < 32 {
			return nil, errors.New("--secret-key must be at least 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)")
		}
		return key, nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return serverKey(cfg) // another process created it first
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return nil, err
	}
	return key, nil
}

// blobStore opens the media storage: local directory or S3.
func blobStore(ctx context.Context, cfg config.Config) (blob.Store, error) {
	if cfg.StorageURL == "" {
		return blob.NewLocal(filepath.Join(cfg.DataDir, "media"))
	}
	s3cfg, err := blob.ParseS3URL(cfg.StorageURL)
	if err != nil {
		return nil, fmt.Errorf("--storage-url: %w", err)
	}
	return blob.NewS3(ctx, s3cfg)
}

// avFallbacks registers cam2drive_av_fallbacks_total and returns what
// counts one.
func avFallbacks(reg prometheus.Registerer) func() {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "cam2drive_av_fallbacks_total",
		Help: "Renders and inspections the ffmpeg command line took over from a failed AV worker."})
	reg.MustRegister(c)
	return c.Inc
}

// wireIngest builds the storage and the ingest service.
func (a *app) wireIngest(ctx context.Context) error {
	key, err := serverKey(a.cfg)
	if err != nil {
		return err
	}
	secrets, err := auth.NewRecorderSecrets(key)
	if err != nil {
		return err
	}
	if a.blobs, err = blobStore(ctx, a.cfg); err != nil {
		return err
	}
	// Workers keep the FFmpeg libraries loaded: inspections at upload and
	// stream-copy renders skip a process start each (transcodes and
	// fallbacks run the command line).
	a.tools = media.Tools{AV: media.SelfAVPool(a.cfg.Workers + 2)}
	fallbacks := avFallbacks(a.registry)
	if a.tools.AV != nil {
		a.tools.AV.Log, a.tools.AV.Fallback = a.log, fallbacks
	}
	tempAge := time.Duration(0)
	if a.cfg.StorageURL != "" {
		tempAge = 24 * time.Hour // other nodes may be mid-upload to the same bucket
	}
	a.ingest, err = ingest.New(a.db, a.blobs, a.queue, secrets, a.tools, a.log, ingest.Config{
		SpoolDir: filepath.Join(a.cfg.DataDir, "spool"), MaxConns: a.cfg.MaxConnsPerIP, ProbeVideo: true, TempAge: tempAge,
	})
	return err
}
