package ftpd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// listener takes an ingest connection slot for every connection it
// accepts, answering 421 itself when the address is banned or holds too
// many (ftpserverlib could only answer 500 from ClientConnected), and keeps
// the open connections so that Run can close them.
type listener struct {
	net.Listener
	svc *ingest.Service
	log *slog.Logger

	mu     sync.Mutex
	conns  map[*conn]struct{}
	closed bool
}

func newListener(inner net.Listener, svc *ingest.Service, log *slog.Logger) *listener {
	return &listener{Listener: inner, svc: svc, log: log, conns: map[*conn]struct{}{}}
}

// Accept returns the next connection the ingest service lets in. The
// error of the inner listener is returned as it is: the library recognises
// a closed listener by it.
func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := hostOf(c.RemoteAddr())
		if err := l.svc.Connect(ip); err != nil {
			code, msg := reply(err)
			l.log.Info("ftp connection refused", "ip", ip, "err", err)
			c.SetWriteDeadline(time.Now().Add(time.Second)) //nolint:errcheck // best effort before closing
			fmt.Fprintf(c, "%d %s\r\n", code, msg)
			c.Close()
			continue
		}
		tc := &conn{Conn: c, l: l, ip: ip}
		l.mu.Lock()
		closed := l.closed
		if !closed {
			l.conns[tc] = struct{}{}
		}
		l.mu.Unlock()
		if closed {
			tc.Close()
			continue
		}
		return tc, nil
	}
}

// closeConns closes every connection and refuses those still to come.
func (l *listener) closeConns() {
	l.mu.Lock()
	l.closed = true
	conns := make([]*conn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// conn gives its ingest slot back when closed, however it is closed (the
// library, a TLS wrapper over it, or a shutdown). Closing it again is a
// no-op, so the library does not warn after a shutdown closed it.
type conn struct {
	net.Conn
	l    *listener
	ip   string
	once sync.Once
}

func (c *conn) Close() error {
	var err error
	c.once.Do(func() {
		err = c.Conn.Close()
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
		c.l.svc.Disconnect(c.ip)
	})
	return err
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// publicHost finds the IPv4 address a PASV reply announces: the host name
// configured (resolved at most once a minute, so a dynamic DNS name
// follows its address), or the local address of the control connection.
type publicHost struct {
	name string

	mu sync.Mutex
	ip string
	at time.Time
}

func (p *publicHost) resolve(cc ftpserver.ClientContext) (string, error) {
	if p.name == "" {
		if a, ok := cc.LocalAddr().(*net.TCPAddr); ok && a.IP.To4() != nil {
			return a.IP.To4().String(), nil
		}
		return "", errors.New("no IPv4 address to announce: use EPSV")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ip != "" && time.Since(p.at) < time.Minute {
		return p.ip, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", p.name)
	if err != nil || len(ips) == 0 {
		if p.ip != "" {
			return p.ip, nil // keep the last known address while DNS fails
		}
		return "", fmt.Errorf("cannot resolve the public host name %s", p.name)
	}
	p.ip, p.at = ips[0].String(), time.Now()
	return p.ip, nil
}
