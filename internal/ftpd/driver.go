package ftpd

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"

	ftpserver "github.com/fclairamb/ftpserverlib"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// mainDriver is the library's view of one listener: settings, TLS and
// logins. The per-IP connection slot is taken by the listener.
type mainDriver struct {
	s   *Server
	tls *tls.Config
	ln  net.Listener
}

var (
	_ ftpserver.MainDriver                         = (*mainDriver)(nil)
	_ ftpserver.MainDriverExtensionPostAuthMessage = (*mainDriver)(nil)
	_ ftpserver.MainDriverExtensionQuitMessage     = (*mainDriver)(nil)
)

func (d *mainDriver) GetSettings() (*ftpserver.Settings, error) { return d.s.settings(d.ln), nil }

func (d *mainDriver) GetTLSConfig() (*tls.Config, error) {
	if d.tls == nil {
		return nil, newReplyError(errNoTLS)
	}
	return d.tls, nil
}

// ClientConnected registers the connection so that Run waits for it.
func (d *mainDriver) ClientConnected(cc ftpserver.ClientContext) (string, error) {
	if !d.s.clients.add() {
		_, msg := reply(errClosing)
		return msg, errClosing
	}
	cc.SetExtra(&client{s: d.s, ip: hostOf(cc.RemoteAddr()), refs: 1})
	return banner, nil
}

// ClientDisconnected is called for every connection, even one refused by
// ClientConnected; an upload still being answered keeps the session open.
func (d *mainDriver) ClientDisconnected(cc ftpserver.ClientContext) {
	if cl, ok := cc.Extra().(*client); ok {
		cl.release()
	}
}

func (d *mainDriver) AuthUser(cc ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	cl, ok := cc.Extra().(*client)
	if !ok {
		return nil, newReplyError(errClosing)
	}
	se, err := d.s.svc.Login(d.s.base(), user, pass, cl.ip)
	if err != nil {
		d.s.log.Info("ftp login refused", "ip", cl.ip, "user", user, "err", err)
		return nil, newReplyError(err)
	}
	cl.setSession(se)
	rec := se.Recorder()
	d.s.log.Debug("ftp login", "recorder_id", rec.ID, "org_id", rec.OrgID, "ip", cl.ip)
	return &fsDriver{s: d.s, cl: cl, se: se, recorderID: rec.ID}, nil
}

// PostAuthMessage gives the text of the reply to PASS (530 on failure).
func (d *mainDriver) PostAuthMessage(_ ftpserver.ClientContext, _ string, authErr error) string {
	if authErr == nil {
		return "login ok, ready to receive"
	}
	var re *replyError
	if errors.As(authErr, &re) {
		return re.msg
	}
	_, msg := reply(authErr)
	return msg
}

func (d *mainDriver) QuitMessage() string { return "goodbye" }

// client is one control connection. The session closes when the
// connection has ended and its last upload has been answered.
type client struct {
	s  *Server
	ip string

	mu   sync.Mutex
	refs int // 1 for the control connection + 1 per upload in progress
	se   *ingest.Session
}

// acquire holds the client for an upload; false once it has ended.
func (c *client) acquire() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refs == 0 {
		return false
	}
	c.refs++
	return true
}

func (c *client) release() {
	c.mu.Lock()
	c.refs--
	last := c.refs == 0
	se := c.se
	if last {
		c.se = nil
	}
	c.mu.Unlock()
	if last {
		if se != nil {
			se.Close()
		}
		c.s.clients.done()
	}
}

// setSession keeps the session of a login; a second login on the same
// connection ends the first session.
func (c *client) setSession(se *ingest.Session) {
	c.mu.Lock()
	old := c.se
	c.se = se
	c.mu.Unlock()
	if old != nil {
		old.Close()
	}
}

// group counts the clients being handled so that Run can wait for them.
type group struct {
	mu     sync.Mutex
	n      int
	closed bool
	idle   chan struct{}
}

// add counts one more client; false once the server is stopping.
func (g *group) add() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.n++
	return true
}

func (g *group) done() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.n == 0 && g.idle != nil {
		close(g.idle)
		g.idle = nil
	}
}

// close refuses new clients.
func (g *group) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
}

// wait returns when no client is left.
func (g *group) wait() {
	g.mu.Lock()
	if g.n == 0 {
		g.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	g.idle = ch
	g.mu.Unlock()
	<-ch
}
