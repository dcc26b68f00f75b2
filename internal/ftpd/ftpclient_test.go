package ftpd_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ftpClient is a raw FTP client: it sends exactly what a test says (no
// TYPE unless asked), like a camera's firmware.
type ftpClient struct {
	t       testing.TB
	conn    net.Conn
	buf     []byte      // read, not yet consumed
	dataTLS *tls.Config // wraps data connections after PROT P
}

// dial connects and expects the banner.
func dial(t testing.TB, addr net.Addr) *ftpClient {
	t.Helper()
	cl := dialRaw(t, addr)
	if code, msg := cl.reply(); code != 220 {
		t.Fatalf("banner: %d %s", code, msg)
	}
	return cl
}

// dialRaw connects without reading anything.
func dialRaw(t testing.TB, addr net.Addr) *ftpClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &ftpClient{t: t, conn: c}
}

// close ends the session politely.
func (c *ftpClient) close() {
	c.cmd("QUIT")
	c.conn.Close()
}

// reply reads one reply, multi-line ones included.
func (c *ftpClient) reply() (int, string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	line := c.line()
	if len(line) < 4 {
		c.t.Fatalf("short reply %q", line)
	}
	code := atoi(line[:3])
	if line[3] == '-' {
		end := line[:3] + " "
		for l := c.line(); !strings.HasPrefix(l, end); l = c.line() {
			line += "\n" + l
		}
	}
	return code, line[4:]
}

func (c *ftpClient) line() string {
	c.t.Helper()
	for {
		if i := bytes.Index(c.buf, []byte("\r\n")); i >= 0 {
			l := string(c.buf[:i])
			c.buf = c.buf[i+2:]
			return l
		}
		b := make([]byte, 4096)
		n, err := c.conn.Read(b)
		c.buf = append(c.buf, b[:n]...)
		if err != nil && n == 0 {
			c.t.Fatalf("read reply: %v (have %q)", err, c.buf)
		}
	}
}

// cmd sends a command and returns its reply.
func (c *ftpClient) cmd(line string) (int, string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, line+"\r\n"); err != nil {
		c.t.Fatalf("send %q: %v", line, err)
	}
	return c.reply()
}

// want sends a command and fails the test unless the reply has code.
func (c *ftpClient) want(code int, line string) string {
	c.t.Helper()
	got, msg := c.cmd(line)
	if got != code {
		c.t.Fatalf("%s: got %d %s, want %d", line, got, msg, code)
	}
	return msg
}

func (c *ftpClient) login(user, pass string) {
	c.t.Helper()
	c.want(331, "USER "+user)
	c.want(230, "PASS "+pass)
}

// startTLS upgrades the control connection (AUTH TLS) and protects data.
func (c *ftpClient) startTLS(cfg *tls.Config) error {
	c.t.Helper()
	c.want(234, "AUTH TLS")
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.conn = tc
	return nil
}

// pasv opens a passive data connection.
func (c *ftpClient) pasv() net.Conn {
	c.t.Helper()
	msg := c.want(227, "PASV")
	open, close := strings.Index(msg, "("), strings.Index(msg, ")")
	if open < 0 || close < open {
		c.t.Fatalf("PASV reply %q", msg)
	}
	f := strings.Split(msg[open+1:close], ",")
	addr := strings.Join(f[:4], ".") + ":" + strconv.Itoa(atoi(f[4])*256+atoi(f[5]))
	d, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.dataTLS != nil {
		return tls.Client(d, c.dataTLS)
	}
	return d
}

// stor uploads data over a passive connection and returns the final reply
// (or the refusal of STOR itself).
func (c *ftpClient) stor(verb, path string, data []byte) (int, string) {
	c.t.Helper()
	d := c.pasv()
	defer d.Close()
	if code, msg := c.cmd(verb + " " + path); code != 150 {
		return code, msg
	}
	if _, err := d.Write(data); err != nil {
		c.t.Fatalf("write data: %v", err)
	}
	if tc, ok := d.(*tls.Conn); ok {
		if len(data) == 0 {
			tc.Handshake() //nolint:errcheck // the reply tells
		}
		tc.CloseWrite() //nolint:errcheck // close_notify, then the socket
	}
	d.Close()
	return c.reply()
}

// reset closes a connection with a TCP RST, as a crashed client does.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
