package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// envelope is one mail as the test SMTP server received it.
type envelope struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // whether the session was encrypted
	User string // who authenticated, if anyone
}

// backend is a real go-smtp backend that records what it receives. With
// user set, it demands PLAIN auth with user/pass before accepting mail.
type backend struct {
	user, pass string

	mu   sync.Mutex
	mail []envelope
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{b: b, env: envelope{TLS: isTLS}}, nil
}

func (b *backend) received() []envelope {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]envelope(nil), b.mail...)
}

type session struct {
	b   *backend
	env envelope
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.b.user || pass != s.b.pass {
			return errors.New("invalid username or password")
		}
		s.env.User = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.env.User == "" {
		return smtp.ErrAuthRequired
	}
	s.env.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.env.To = append(s.env.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	env := s.env
	env.Data = data
	s.b.mu.Lock()
	s.b.mail = append(s.b.mail, env)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.env.From, s.env.To = "", nil }
func (s *session) Logout() error { return nil }

// serverOpts shapes the test server: STARTTLS offered, implicit TLS.
type serverOpts struct {
	startTLS, implicitTLS bool
}

// startServer runs a go-smtp server on 127.0.0.1 and returns its port.
func startServer(t *testing.T, be *backend, opts serverOpts) string {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if opts.startTLS || opts.implicitTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	}
	if opts.implicitTLS {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// selfSigned makes a throwaway certificate for 127.0.0.1, like the one a
// lab SMTP server would have.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtp.test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// received is a mail as a mail client would show it.
type received struct {
	Header     netmail.Header
	Subject    string
	Text, HTML string
}

// parseMail decodes raw DATA the way a mail client does: headers, encoded
// subject, multipart/alternative parts and quoted-printable bodies.
func parseMail(t *testing.T, data []byte) received {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	var r received
	r.Header = msg.Header
	if r.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextRawPart() // raw: we check the transfer encoding ourselves
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Fatalf("Content-Transfer-Encoding = %q, want quoted-printable", cte)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatalf("decode part: %v", err)
		}
		switch ct := p.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			r.Text = string(body)
		case "text/html; charset=utf-8":
			r.HTML = string(body)
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	return r
}
