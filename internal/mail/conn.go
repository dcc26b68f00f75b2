package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// connect opens an SMTP session, in TLS when the URL asks or the server
// offers it. secure reports whether the session is encrypted.
func (s *SMTP) connect(ctx context.Context) (c *smtp.Client, secure bool, err error) {
	if s.implicitTLS {
		c, err = s.dial(ctx, true)
		return c, true, err
	}
	if s.startTLS == startTLSNever {
		c, err = s.dial(ctx, false)
		return c, false, err
	}
	if s.startTLS == startTLSAuto {
		plain, offered, err := s.probeStartTLS(ctx)
		if err != nil || !offered {
			return plain, false, err
		}
	}
	c, err = s.dialStartTLS(ctx)
	return c, err == nil, err
}

// probeStartTLS asks the server whether it offers STARTTLS. go-smtp only
// upgrades a connection while creating the client, so when it does, this
// connection is dropped and a second one upgrades; when it does not, the
// returned client carries on in clear.
func (s *SMTP) probeStartTLS(ctx context.Context) (c *smtp.Client, offered bool, err error) {
	c, err = s.dial(ctx, false)
	if err != nil {
		return nil, false, err
	}
	if err := c.Hello("localhost"); err != nil {
		c.Close()
		return nil, false, fmt.Errorf("hello: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return c, false, nil
	}
	_ = c.Quit() // polite; the upgrade happens on a fresh connection
	c.Close()
	return nil, true, nil
}

func (s *SMTP) dialStartTLS(ctx context.Context) (*smtp.Client, error) {
	conn, err := s.dialConn(ctx, false)
	if err != nil {
		return nil, err
	}
	c, err := smtp.NewClientStartTLS(conn, s.tlsConfig)
	if err != nil {
		return nil, fmt.Errorf("starttls: %w", err)
	}
	return c, nil
}

func (s *SMTP) dial(ctx context.Context, implicitTLS bool) (*smtp.Client, error) {
	conn, err := s.dialConn(ctx, implicitTLS)
	if err != nil {
		return nil, err
	}
	return smtp.NewClient(conn), nil
}

// dialConn connects within ctx and returns a connection that ctx bounds for
// its whole life: its deadline never goes past ctx's, and cancelling ctx
// closes it.
func (s *SMTP) dialConn(ctx context.Context, implicitTLS bool) (net.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	deadline, _ := ctx.Deadline()
	var conn net.Conn = &deadlineConn{Conn: raw, limit: deadline}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	conn = &stopConn{Conn: conn, stop: stop}
	if implicitTLS {
		tc := tls.Client(conn, s.tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("tls handshake: %w", err)
		}
		conn = tc
	}
	if err := conn.SetDeadline(time.Time{}); err != nil { // i.e. ctx's deadline
		conn.Close()
		return nil, fmt.Errorf("set deadline: %w", err)
	}
	return conn, nil
}

// deadlineConn caps every deadline at limit: go-smtp sets its own (minutes
// long) deadlines around each command and clears them after, which would
// otherwise override the caller's.
type deadlineConn struct {
	net.Conn
	limit time.Time
}

func (c *deadlineConn) clamp(t time.Time) time.Time {
	if !c.limit.IsZero() && (t.IsZero() || t.After(c.limit)) {
		return c.limit
	}
	return t
}

func (c *deadlineConn) SetDeadline(t time.Time) error     { return c.Conn.SetDeadline(c.clamp(t)) }
func (c *deadlineConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.clamp(t)) }
func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t))
}

// stopConn releases the close-on-cancel hook when the connection is closed.
type stopConn struct {
	net.Conn
	stop func() bool
}

func (c *stopConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
