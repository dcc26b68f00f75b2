package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/httpapi"
	"github.com/cam2drive/cam2drive/internal/web"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	config.BindServe(fs, &cfg)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg)
	start := time.Now()
	a, err := build(ctx, cfg, log, cfg.HasRole("worker"))
	if err != nil {
		return err
	}
	defer a.close()
	log.Info("starting cam2drive", "version", cam2drive.Version, "roles", cfg.Roles, "database", a.db.Dialect(),
		"config", fmt.Sprintf("%+v", cfg.Redacted()))
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.queue.Run(gctx) })
	if err := a.startIngest(gctx, g); err != nil {
		return err
	}
	if cfg.HasRole("web") {
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
		}
		log.Info("web app and API ready", "url", cfg.BaseURL(), "listen", ln.Addr().String(), "startup", time.Since(start).Round(time.Millisecond))
		g.Go(func() error { return a.serveHTTP(gctx, ln) })
	}
	err = g.Wait()
	log.Info("stopped")
	return err
}

func (a *app) ftpPort() int {
	if a.cfg.PublicFTPPort > 0 {
		return a.cfg.PublicFTPPort
	}
	return config.ListenPort(a.cfg.FTPAddr)
}

func (a *app) sftpPort() int {
	if a.cfg.PublicSFTPPort > 0 {
		return a.cfg.PublicSFTPPort
	}
	return config.ListenPort(a.cfg.SFTPAddr)
}

func (a *app) apiServer() *httpapi.Server {
	return httpapi.New(httpapi.Deps{
		DB: a.db, Auth: a.auth, Tenancy: a.tenancy, Log: a.log, Registry: a.registry, Web: web.Handler(),
		Ingest: httpapi.IngestDeps{Service: a.ingest, Host: a.cfg.IngestHost(), FTPPort: a.ftpPort(), SFTPPort: a.sftpPort(),
			OfflineAfter: a.cfg.OfflineAfter, SFTPHostKeys: a.sftpKeys},
		Media:         httpapi.MediaDeps{Blobs: a.blobs, Key: a.mediaKey, TTL: a.cfg.MediaURLTTL},
		SecureCookies: len(a.cfg.BaseURL()) > 5 && a.cfg.BaseURL()[:5] == "https",
		Ready:         a.db.Ping,
		AIStatus:      a.aiStatus,
	})
}

// serveHTTP serves until ctx ends, then lets running requests finish.
func (a *app) serveHTTP(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.apiServer().Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownIn)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
