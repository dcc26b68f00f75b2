package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// tlsMode is how a plain smtp:// connection is upgraded with STARTTLS.
type tlsMode string

const (
	startTLSAuto   tlsMode = "auto"   // when the server offers it
	startTLSAlways tlsMode = "always" // fail rather than send in clear
	startTLSNever  tlsMode = "never"  // lab servers with broken TLS
)

// defaultTimeout bounds a send whose context has no deadline, so a hung
// server cannot block a worker forever.
const defaultTimeout = time.Minute

// SMTP sends mail through one SMTP server.
type SMTP struct {
	url         *url.URL
	addr, host  string
	implicitTLS bool
	startTLS    tlsMode
	user, pass  string
	hasAuth     bool
	from        *netmail.Address
	tlsConfig   *tls.Config
	logger      *slog.Logger
}

// NewSMTP parses an SMTP URL:
//
//	smtp://[user:pass@]host[:port][?from=addr&starttls=auto|always|never&insecure_skip_verify=1]
//	smtps://[user:pass@]host[:port][?from=addr&insecure_skip_verify=1]
//
// smtp:// defaults to port 587 and upgrades with STARTTLS when the server
// offers it (starttls=auto); smtps:// uses implicit TLS, port 465.
// from defaults to "Cam2Drive <no-reply@HOST>".
func NewSMTP(rawURL string, logger *slog.Logger) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: smtp url: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &SMTP{url: u, host: u.Hostname(), startTLS: startTLSAuto, logger: logger}
	port := "587"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS, port = true, "465"
	default:
		return nil, fmt.Errorf("mail: smtp url %s: scheme must be smtp or smtps", u.Redacted())
	}
	if s.host == "" {
		return nil, fmt.Errorf("mail: smtp url %s: missing host", u.Redacted())
	}
	if u.Port() != "" {
		port = u.Port()
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user, s.hasAuth = u.User.Username(), true
		s.pass, _ = u.User.Password()
	}
	if err := s.parseQuery(u.Query()); err != nil {
		return nil, fmt.Errorf("mail: smtp url %s: %w", u.Redacted(), err)
	}
	return s, nil
}

// parseQuery reads the options; unknown ones are errors so that a typo in
// the configuration does not silently weaken TLS.
func (s *SMTP) parseQuery(q url.Values) error {
	skipVerify := false
	for key, values := range q {
		value := values[len(values)-1]
		var err error
		switch key {
		case "from":
			s.from, err = netmail.ParseAddress(value)
		case "starttls":
			s.startTLS = tlsMode(value)
			if s.startTLS != startTLSAuto && s.startTLS != startTLSAlways && s.startTLS != startTLSNever {
				err = fmt.Errorf("want auto, always or never, got %q", value)
			}
		case "insecure_skip_verify":
			skipVerify, err = strconv.ParseBool(value)
		default:
			err = fmt.Errorf("unknown option %q", key)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	if s.from == nil {
		s.from = &netmail.Address{Name: "Cam2Drive", Address: "no-reply@" + s.host}
	}
	s.tlsConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: skipVerify}
	return nil
}

// String is the URL with the password redacted, safe to log.
func (s *SMTP) String() string { return s.url.Redacted() }

// Send delivers m. It gives up when ctx is done or its deadline passes,
// whatever stage the SMTP exchange is at.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	data, rcpt, err := compose(m, s.from, time.Now())
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	if err := s.deliver(ctx, rcpt, data); err != nil {
		if cause := ctxCause(ctx); cause != nil {
			return fmt.Errorf("mail: send to %s via %s: %w (%w)", rcpt, s.addr, err, cause)
		}
		return fmt.Errorf("mail: send to %s via %s: %w", rcpt, s.addr, err)
	}
	s.logger.InfoContext(ctx, "mail sent", "to", rcpt, "subject", m.Subject, "server", s.addr)
	return nil
}

// ctxCause says why ctx ended. The connection's deadline is ctx's deadline,
// and the socket's timer can fire a moment before the context's own: a
// passed deadline counts as ctx's even when ctx.Err is not set yet.
func ctxCause(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

func (s *SMTP) deliver(ctx context.Context, rcpt string, data []byte) error {
	c, secure, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if s.hasAuth {
		if err := s.auth(c, secure); err != nil {
			return err
		}
	}
	if err := c.SendMail(s.from.Address, []string{rcpt}, bytes.NewReader(data)); err != nil {
		return err
	}
	// The mail is accepted once DATA is; a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}

// auth sends the credentials with PLAIN, which carries the password as is:
// only over TLS, or to a relay on this very machine.
func (s *SMTP) auth(c *smtp.Client, secure bool) error {
	if !secure && !s.loopback() {
		return fmt.Errorf("refusing to send the SMTP password without TLS to %s", s.addr)
	}
	if err := c.Auth(sasl.NewPlainClient("", s.user, s.pass)); err != nil {
		return fmt.Errorf("auth as %s: %w", s.user, err)
	}
	return nil
}

func (s *SMTP) loopback() bool {
	if s.host == "localhost" {
		return true
	}
	ip := net.ParseIP(s.host)
	return ip != nil && ip.IsLoopback()
}
