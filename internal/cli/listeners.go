package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

// startIngest binds the FTP and SFTP servers of the configured roles and
// runs them in g. Leftovers of a previous run are cleaned first.
func (a *app) startIngest(ctx context.Context, g *errgroup.Group) error {
	if !a.cfg.HasRole("ftp") && !a.cfg.HasRole("sftp") {
		return nil
	}
	if err := a.ingest.CleanLeftovers(ctx); err != nil {
		a.log.Warn("clean ingest leftovers", "err", err)
	}
	g.Go(func() error { return a.ingest.Run(ctx) })
	if a.cfg.HasRole("ftp") {
		srv, err := a.ftpServer()
		if err != nil {
			return err
		}
		a.log.Info("FTP/FTPS ingest ready", "listen", srv.Addr().String())
		g.Go(func() error { return srv.Run(ctx) })
	}
	if a.cfg.HasRole("sftp") {
		srv, err := sftpd.New(a.ingest, sftpd.Config{Addr: a.cfg.SFTPAddr, LegacyAddr: a.cfg.LegacySFTPAddr,
			HostKeyDir: filepath.Join(a.cfg.DataDir, "ssh"), Logger: a.log})
		if err != nil {
			return fmt.Errorf("sftp: %w", err)
		}
		if err := srv.Listen(); err != nil {
			return fmt.Errorf("sftp listen %s: %w", a.cfg.SFTPAddr, err)
		}
		a.sftpKeys = srv.HostKeyFingerprints()
		a.log.Info("SFTP ingest ready", "listen", srv.Addr().String(), "host_keys", a.sftpKeys)
		g.Go(func() error { return srv.Run(ctx) })
	}
	return nil
}

func (a *app) ftpServer() (*ftpd.Server, error) {
	cert, err := ftpd.LoadOrCreateCert(a.cfg.DataDir, a.cfg.FTPSCert, a.cfg.FTPSKey, []string{a.cfg.IngestHost()})
	if err != nil {
		return nil, fmt.Errorf("ftps certificate: %w", err)
	}
	lo, hi, err := a.cfg.PortRange()
	if err != nil {
		return nil, err
	}
	srv, err := ftpd.New(a.ingest, ftpd.Config{Addr: a.cfg.FTPAddr, PublicHost: a.cfg.PublicHost, PassivePorts: [2]int{lo, hi},
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, LegacyAddr: a.cfg.LegacyFTPAddr, Logger: a.log})
	if err != nil {
		return nil, fmt.Errorf("ftp: %w", err)
	}
	if err := srv.Listen(); err != nil {
		return nil, fmt.Errorf("ftp listen %s: %w", a.cfg.FTPAddr, err)
	}
	return srv, nil
}
