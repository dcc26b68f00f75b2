package sftpd

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
)

// serveConn runs one TCP connection: a slot from ingest, the SSH handshake
// with a password login, then the channels.
func (s *Server) serveConn(ctx context.Context, raw net.Conn, legacy bool) {
	defer raw.Close()
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	ip := remoteIP(raw.RemoteAddr())
	log := s.log.With("ip", ip)
	if err := s.svc.Connect(ip); err != nil {
		// RFC 4253 §4.2 lets a server send text lines before its version:
		// OpenSSH shows them to the user, better than a silent close.
		msg := status(log, "connect", "", err).Error()
		_ = raw.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = io.WriteString(raw, "cam2drive: "+msg+"\r\n")
		return
	}
	defer s.svc.Disconnect(ip)

	var se *ingest.Session
	cfg := s.sshConfig(ctx, legacy, ip, log, &se)
	handshake := time.AfterFunc(min(handshakeTimeout, s.cfg.IdleTimeout), func() { raw.Close() })
	conn, chans, reqs, err := ssh.NewServerConn(&idleConn{Conn: raw, idle: s.cfg.IdleTimeout}, cfg)
	handshake.Stop()
	if err != nil {
		if se != nil {
			se.Close()
		}
		log.Debug("ssh handshake failed", "err", err, "legacy", legacy)
		return
	}
	defer se.Close() // drops temporary-name uploads never renamed
	defer conn.Close()
	log = log.With("recorder_id", se.Recorder().ID)
	var wg sync.WaitGroup
	wg.Go(func() { ssh.DiscardRequests(reqs) }) // global requests (keepalives); ends with the connection
	serveChannels(ctx, se, log, chans)
	wg.Wait()
}

// sshConfig is built per connection so the login callback can hand the
// ingest session to this connection alone.
func (s *Server) sshConfig(ctx context.Context, legacy bool, ip string, log *slog.Logger, se **ingest.Session) *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{
		Config:        algorithms(legacy),
		MaxAuthTries:  s.cfg.MaxAuthTries,
		ServerVersion: "SSH-2.0-Cam2Drive",
		PasswordCallback: func(c ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
			sess, err := s.svc.Login(ctx, c.User(), string(password), ip)
			switch {
			case err == nil:
			case cam2drive.ErrorCode(err) == cam2drive.CodeInvalidCredentials:
				return nil, err
			case cam2drive.ErrorCode(err) == cam2drive.CodeThrottled:
				// Only a banner can tell an SSH client why it is refused.
				return nil, &ssh.BannerError{Err: err, Message: "cam2drive: " + status(log, "login", "", err).Error() + "\r\n"}
			default:
				return nil, status(log, "login", "", err)
			}
			if *se != nil { // not expected: authentication ends at the first success
				(*se).Close()
			}
			*se = sess
			return &ssh.Permissions{}, nil
		},
	}
	keys := s.strict
	if legacy {
		keys = s.legacy
	}
	for _, k := range keys {
		cfg.AddHostKey(k)
	}
	return cfg
}

// algorithms lists what a listener offers: x/crypto's secure set on the
// main listener (its defaults would add diffie-hellman-group14-sha1), plus
// every insecure algorithm it still implements on the legacy one, for old
// embedded clients.
func algorithms(legacy bool) ssh.Config {
	a := ssh.SupportedAlgorithms()
	if legacy {
		old := ssh.InsecureAlgorithms()
		a.KeyExchanges = append(a.KeyExchanges, old.KeyExchanges...)
		a.Ciphers = append(a.Ciphers, old.Ciphers...)
		a.MACs = append(a.MACs, old.MACs...)
	}
	return ssh.Config{KeyExchanges: a.KeyExchanges, Ciphers: a.Ciphers, MACs: a.MACs}
}

func remoteIP(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// idleConn closes a connection silent for too long: every read and write
// pushes its deadline back.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.idle)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}
