// Package sftpd receives recorders' uploads over SFTP: an x/crypto/ssh
// server with password logins, and pkg/sftp request handlers over an
// ingest session.
package sftpd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// Config tunes the server.
type Config struct {
	Addr         string        // e.g. ":2222"
	LegacyAddr   string        // opt-in listener also offering old key exchanges, ciphers and MACs; "" = off
	HostKeyDir   string        // host keys are generated once here and never change
	IdleTimeout  time.Duration // a connection with no traffic for this long is closed; default 5 min
	MaxAuthTries int           // password attempts per connection; default 3
	Logger       *slog.Logger
}

// handshakeTimeout bounds the SSH handshake and login, so that a client
// trickling bytes can't hold a connection slot forever.
const handshakeTimeout = 30 * time.Second

// Server is the SFTP ingest server.
type Server struct {
	svc    *ingest.Service
	cfg    Config
	log    *slog.Logger
	strict []ssh.Signer // host keys for the main listener (no SHA-1 signatures)
	legacy []ssh.Signer // the same keys, every signature algorithm

	mu       sync.Mutex
	ln       net.Listener
	legacyLn net.Listener
}

// New builds the server, loading its host keys or creating them once.
func New(svc *ingest.Service, cfg Config) (*Server, error) {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.MaxAuthTries <= 0 {
		cfg.MaxAuthTries = 3
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	keys, err := loadHostKeys(cfg.HostKeyDir)
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Logger.With("proto", "sftp"), legacy: keys}
	for _, k := range keys {
		sk, err := strictSigner(k)
		if err != nil {
			return nil, err
		}
		s.strict = append(s.strict, sk)
	}
	return s, nil
}

// HostKeyFingerprints lists the host keys' SHA-256 fingerprints, to show
// operators what a camera should pin.
func (s *Server) HostKeyFingerprints() []string {
	var fps []string
	for _, k := range s.legacy {
		fps = append(fps, fingerprint(k.PublicKey()))
	}
	return fps
}

// Listen binds the listeners; Run serves them.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return errors.New("sftpd: already listening")
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("sftp listen: %w", err)
	}
	if s.cfg.LegacyAddr != "" {
		if s.legacyLn, err = net.Listen("tcp", s.cfg.LegacyAddr); err != nil {
			ln.Close()
			return fmt.Errorf("sftp legacy listen: %w", err)
		}
	}
	s.ln = ln
	return nil
}

// Addr is the main listener's address (nil before Listen).
func (s *Server) Addr() net.Addr { return addrOf(&s.mu, &s.ln) }

// LegacyAddr is the legacy listener's address (nil when off).
func (s *Server) LegacyAddr() net.Addr { return addrOf(&s.mu, &s.legacyLn) }

func addrOf(mu *sync.Mutex, ln *net.Listener) net.Addr {
	mu.Lock()
	defer mu.Unlock()
	if *ln == nil {
		return nil
	}
	return (*ln).Addr()
}

// Run serves until ctx ends, then closes the listeners and every
// connection, and returns once all of them are done. Uploads not closed
// by then are left for a resume.
func (s *Server) Run(ctx context.Context) error {
	if s.Addr() == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.mu.Lock()
	listeners := map[net.Listener]bool{s.ln: false}
	if s.legacyLn != nil {
		listeners[s.legacyLn] = true
	}
	s.mu.Unlock()
	var conns sync.WaitGroup
	defer conns.Wait()
	g, ctx := errgroup.WithContext(ctx)
	for ln, legacy := range listeners {
		g.Go(func() error { return s.accept(ctx, ln, legacy, &conns) })
	}
	g.Go(func() error {
		<-ctx.Done()
		for ln := range listeners {
			ln.Close()
		}
		return nil
	})
	return g.Wait()
}

func (s *Server) accept(ctx context.Context, ln net.Listener, legacy bool, conns *sync.WaitGroup) error {
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if ctx.Err() != nil {
			if c != nil {
				c.Close()
			}
			return nil
		}
		if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
			// Out of file descriptors: wait for connections to end rather than spin.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("sftp accept", "err", err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
				continue
			case <-ctx.Done():
				return nil
			}
		}
		if err != nil {
			return fmt.Errorf("sftp accept: %w", err)
		}
		backoff = 0
		conns.Go(func() { s.serveConn(ctx, c, legacy) })
	}
}
