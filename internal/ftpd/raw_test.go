package ftpd_test

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// TestCameraNeverSendsType plays a Dahua firmware: it never sends TYPE,
// sends ALLO (202 makes some loop reconnecting), MKDs folders that exist,
// and still gets a byte-exact file (the content holds CR, LF and NUL).
func TestCameraNeverSendsType(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, ingesttest.Options{Dialect: d})
			c := dial(t, server(t, f, ftpd.Config{}).Addr())
			c.login(f.Username, f.Password)
			c.want(200, "OPTS UTF8 ON")
			data := jpegOf(t, 7, 120_000)
			c.want(200, "ALLO "+strconv.Itoa(len(data)))
			dir := ""
			for _, level := range strings.Split(dahuaDir, "/") {
				dir += "/" + level
				c.want(257, "MKD "+dir)
				c.want(257, "MKD "+dir) // again: every upload does it
			}
			c.want(250, "CWD /"+dahuaDir)
			if code, msg := c.stor("STOR", "27[M][0@0][0].jpg", data); code != 226 {
				t.Fatalf("STOR: %d %s", code, msg)
			}
			oneRecording(t, f, 2, dahuaTime, "motion", data)

			// Nothing can be listed or read back.
			d := c.pasv()
			c.want(150, "LIST")
			if b, _ := io.ReadAll(d); len(b) != 0 {
				t.Errorf("LIST sent %q, want an empty list", b)
			}
			c.reply()
			if code, msg := c.cmd("RETR 27[M][0@0][0].jpg"); code != 550 || !strings.Contains(msg, "downloads are not available") {
				t.Errorf("RETR: %d %s", code, msg)
			}
			c.close()
		})
	}
}

// TestResume interrupts an upload and completes it the ways clients do:
// REST + STOR, APPE, and curl -C -; each gives one complete recording.
func TestResume(t *testing.T) {
	t.Parallel()
	data := jpegOf(t, 3, 600_000)
	cases := []struct {
		name      string
		interrupt func(t *testing.T, c *ftpClient, d net.Conn)
		resume    func(t *testing.T, c *ftpClient, s *ftpd.Server, f *ingesttest.Fixture, n int)
	}{
		{"drop then REST and STOR", dropData, func(t *testing.T, c *ftpClient, _ *ftpd.Server, _ *ingesttest.Fixture, n int) {
			c.want(350, "REST "+strconv.Itoa(n))
			if code, msg := c.stor("STOR", dahuaSnap, data[n:]); code != 226 {
				t.Fatalf("resumed STOR: %d %s", code, msg)
			}
		}},
		{"ABOR then APPE", abortData, func(t *testing.T, c *ftpClient, _ *ftpd.Server, _ *ingesttest.Fixture, n int) {
			if code, msg := c.stor("APPE", dahuaSnap, data[n:]); code != 226 {
				t.Fatalf("APPE: %d %s", code, msg)
			}
		}},
		{"drop then curl -C -", dropData, func(t *testing.T, c *ftpClient, s *ftpd.Server, f *ingesttest.Fixture, _ int) {
			c.close()
			out, err := run(t, "curl", "-sS", "-g", "-C", "-", "-u", f.Username+":"+f.Password,
				"-T", writeTemp(t, "snap.jpg", data), "ftp://127.0.0.1:"+port(s)+"/"+dahuaSnap)
			if err != nil {
				t.Fatalf("curl -C -: %v\n%s", err, out)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, ingesttest.Options{})
			s := server(t, f, ftpd.Config{})
			c := dial(t, s.Addr())
			c.login(f.Username, f.Password)
			c.want(200, "TYPE I")
			d := c.pasv()
			c.want(150, "STOR "+dahuaSnap)
			if _, err := d.Write(data[:len(data)/2]); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond) // let the server read what was sent
			tc.interrupt(t, c, d)
			noRecording(t, f)
			n := atoi(c.want(213, "SIZE "+dahuaSnap))
			if n <= 0 || n > len(data)/2 {
				t.Fatalf("SIZE after the interruption = %d, want 1..%d", n, len(data)/2)
			}
			tc.resume(t, c, s, f, n)
			oneRecording(t, f, 2, dahuaTime, "motion", data)
		})
	}
}

// dropData resets the data connection mid-file, like a recorder that
// crashes or loses its network.
func dropData(t *testing.T, c *ftpClient, d net.Conn) {
	reset(d)
	if code, msg := c.reply(); code < 400 {
		t.Fatalf("after a dropped data connection: %d %s, want a failure", code, msg)
	}
}

// abortData sends ABOR mid-file.
func abortData(t *testing.T, c *ftpClient, d net.Conn) {
	defer d.Close()
	c.want(426, "ABOR")
	if code, msg := c.reply(); code != 226 {
		t.Fatalf("ABOR: %d %s", code, msg)
	}
}

// TestHikvisionFoldersWithDots: Hikvision names folders by the device IP;
// CWD into such a folder must work like any other.
func TestHikvisionFoldersWithDots(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{Manufacturer: "hikvision"})
	c := dial(t, server(t, f, ftpd.Config{}).Addr())
	c.login(f.Username, f.Password)
	for _, dir := range []string{"NVR.Site-2", "192.168.1.64", "Camera 01"} {
		c.want(257, "MKD "+dir)
		c.want(250, "CWD "+dir)
	}
	data := jpegOf(t, 9, 30_000)
	const name = "192.168.1.64_01_20190827095800502_MOTION_DETECTION.jpg"
	if code, msg := c.stor("STOR", name, data); code != 226 {
		t.Fatalf("STOR: %d %s", code, msg)
	}
	want := time.Date(2019, 8, 27, 9, 58, 0, 502_000_000, paris())
	if r := oneRecording(t, f, 1, want, "motion", data); r.SourcePath != "NVR.Site-2/192.168.1.64/Camera 01/"+name {
		t.Errorf("source path = %q", r.SourcePath)
	}
}
