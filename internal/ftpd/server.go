// Package ftpd is the FTP/FTPS ingest server: an ftpserverlib driver over
// the protocol-neutral ingest service, tuned for what recorders do (MKD of
// every level on every upload, ALLO, no TYPE I, resume, temporary names).
package ftpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// Config tunes the server.
type Config struct {
	Addr         string        // e.g. ":2121" (the default)
	PublicHost   string        // address announced in PASV replies (behind NAT), IPv4 or host name; "" = the local address of the control connection
	PassivePorts [2]int        // inclusive range for passive data ports; zero = any free port
	TLS          *tls.Config   // explicit FTPS (AUTH TLS) when non-nil
	LegacyAddr   string        // optional second listener for old firmware: TLS 1.0 and legacy cipher suites; "" = off
	IdleTimeout  time.Duration // default 5 min
	Logger       *slog.Logger
}

// commitTimeout bounds how long the reply to an upload may wait for the
// ingest (store and index); it is not cut short by a shutdown.
const commitTimeout = 5 * time.Minute

// Server serves FTP and explicit FTPS on one or two listeners.
type Server struct {
	svc      *ingest.Service
	cfg      Config
	log      *slog.Logger
	public   *publicHost
	points   []*endpoint // [0] the main listener, [1] the legacy one if any
	clients  group       // connections still being handled, uploads included
	ctx      context.Context
	mu       sync.Mutex
	bound    bool
	runCalls int
}

// endpoint is one listener with its own TLS settings.
type endpoint struct {
	addr string
	tls  *tls.Config
	ln   *listener
	ftp  *ftpserver.FtpServer
}

// New checks the configuration and builds the server; Listen binds it.
func New(svc *ingest.Service, cfg Config) (*Server, error) {
	if svc == nil {
		return nil, errors.New("ftpd: no ingest service")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Addr == "" {
		cfg.Addr = ":2121"
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if p := cfg.PassivePorts; p != [2]int{} && (p[0] < 1 || p[1] < p[0] || p[1] > 65535) {
		return nil, fmt.Errorf("ftpd: invalid passive port range %d-%d", p[0], p[1])
	}
	if ip := net.ParseIP(cfg.PublicHost); ip != nil && ip.To4() == nil {
		return nil, fmt.Errorf("ftpd: public host %s: PASV announces IPv4 only, use an IPv4 address or a host name", cfg.PublicHost)
	}
	if cfg.LegacyAddr != "" && cfg.TLS == nil {
		return nil, errors.New("ftpd: the legacy listener needs a TLS configuration")
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Logger, public: &publicHost{name: cfg.PublicHost}, ctx: context.Background()}
	s.points = append(s.points, &endpoint{addr: cfg.Addr, tls: cfg.TLS})
	if cfg.LegacyAddr != "" {
		s.points = append(s.points, &endpoint{addr: cfg.LegacyAddr, tls: legacyTLS(cfg.TLS)})
	}
	return s, nil
}

// legacyTLS allows what old recorder firmware speaks: TLS 1.0 and 1.1, and
// the CBC and RSA key-exchange suites that Go leaves out by default.
func legacyTLS(base *tls.Config) *tls.Config {
	c := base.Clone()
	c.MinVersion = tls.VersionTLS10
	c.CipherSuites = nil
	for _, cs := range tls.CipherSuites() {
		c.CipherSuites = append(c.CipherSuites, cs.ID)
	}
	for _, cs := range tls.InsecureCipherSuites() {
		if cs.ID != tls.TLS_RSA_WITH_RC4_128_SHA && cs.ID != tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA &&
			cs.ID != tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA && cs.ID != tls.TLS_RSA_WITH_AES_128_CBC_SHA256 {
			c.CipherSuites = append(c.CipherSuites, cs.ID)
		}
	}
	return c
}

// Listen binds the listeners, so a caller that asked for port 0 can read
// Addr before Run.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bound {
		return nil
	}
	for i, ep := range s.points {
		inner, err := net.Listen("tcp", ep.addr)
		if err != nil {
			s.closeListeners(i)
			return fmt.Errorf("ftpd: listen on %s: %w", ep.addr, err)
		}
		ep.ln = newListener(inner, s.svc, s.log)
		ep.ftp = ftpserver.NewFtpServer(&mainDriver{s: s, tls: ep.tls, ln: ep.ln})
		ep.ftp.Logger = s.log.With("listener", inner.Addr().String())
		if err := ep.ftp.Listen(); err != nil {
			s.closeListeners(i + 1)
			return fmt.Errorf("ftpd: %w", err)
		}
	}
	s.bound = true
	return nil
}

func (s *Server) closeListeners(n int) {
	for _, ep := range s.points[:n] {
		if ep.ln != nil {
			ep.ln.Close()
		}
	}
}

// Addr is the address of the main listener (nil before Listen).
func (s *Server) Addr() net.Addr { return s.addrOf(0) }

// LegacyAddr is the address of the legacy TLS listener (nil when off).
func (s *Server) LegacyAddr() net.Addr { return s.addrOf(1) }

func (s *Server) addrOf(i int) net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i >= len(s.points) || s.points[i].ln == nil {
		return nil
	}
	return s.points[i].ln.Addr()
}

// Run serves until ctx ends, then closes the listeners and every
// connection and waits for the uploads in progress to be answered.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	s.mu.Lock()
	s.runCalls++
	if s.runCalls > 1 {
		s.mu.Unlock()
		return errors.New("ftpd: Run called twice")
	}
	// Uploads already accepted finish even when the server stops.
	s.ctx = context.WithoutCancel(ctx)
	s.mu.Unlock()

	errc := make(chan error, len(s.points))
	for _, ep := range s.points {
		go func() { errc <- ep.ftp.Serve() }()
	}
	var err error
	pending := len(s.points)
	select {
	case <-ctx.Done():
	case err = <-errc:
		pending--
	}
	for _, ep := range s.points {
		ep.ftp.Stop() //nolint:errcheck // the listener may be closed already
	}
	for ; pending > 0; pending-- {
		err = errors.Join(err, <-errc)
	}
	s.clients.close()
	for _, ep := range s.points {
		ep.ln.closeConns()
	}
	s.clients.wait()
	return err
}

// base is the context of ingest calls.
func (s *Server) base() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// settings are the library settings for one endpoint.
func (s *Server) settings(ln net.Listener) *ftpserver.Settings {
	st := &ftpserver.Settings{
		Listener:                ln,
		Banner:                  banner,
		IdleTimeout:             int(s.cfg.IdleTimeout / time.Second),
		ConnectionTimeout:       30,
		ActiveTransferPortNon20: true, // port 20 needs root; recorders don't care
		DefaultTransferType:     ftpserver.TransferTypeBinary,
		DisableASCIIConversion:  true, // a client that never sends TYPE I gets byte-exact files
		TLSRequired:             ftpserver.ClearOrEncrypted,
		PublicIPResolver:        s.public.resolve,
	}
	if st.IdleTimeout < 1 {
		st.IdleTimeout = 1
	}
	if ip := net.ParseIP(s.cfg.PublicHost); ip != nil {
		st.PublicHost = ip.String()
	}
	if p := s.cfg.PassivePorts; p != [2]int{} {
		st.PassiveTransferPortRange = ftpserver.PortRange{Start: p[0], End: p[1]}
	}
	return st
}

const banner = "Cam2Drive FTP ready"
