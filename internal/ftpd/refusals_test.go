package ftpd_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// TestRefusals checks that each refused upload gets a 5xx reply that says
// why in plain words, and that nothing becomes visible.
func TestRefusals(t *testing.T) {
	t.Parallel()
	good := jpegOf(t, 5, 20_000)
	cases := []struct {
		name string
		opts ingesttest.Options
		verb string
		path string
		data []byte
		code int
		text string
	}{
		{"disabled channel", ingesttest.Options{CloudOff: []int{3}}, "STOR", "SN/2019-05-09/003/jpg/06/07/27[M][0@0][0].jpg", good,
			550, "upload refused: channel 3 has cloud recording off"},
		{"unknown channel", ingesttest.Options{}, "STOR", "SN/2019-05-09/009/jpg/06/07/27[M][0@0][0].jpg", good,
			550, "channel 9 is not a camera of this recorder"},
		{"recorder without disk", ingesttest.Options{NoDisk: true}, "STOR", dahuaSnap, good,
			550, "this recorder has no cloud disk"},
		{"escaping the root with ../", ingesttest.Options{}, "STOR", "../../../../etc/passwd", good,
			553, "not a camera recording"},
		{`escaping the root with ..\`, ingesttest.Options{}, "STOR", `..\..\etc\2019-05-09\001\jpg\06\07\27[M][0@0][0].jpg`, good,
			553, "invalid path"},
		{"not a recording", ingesttest.Options{}, "STOR", "notes/readme.txt", good,
			553, "not a camera recording"},
		{"empty file", ingesttest.Options{}, "STOR", dahuaSnap, nil,
			550, "the file is empty"},
		{"truncated JPEG", ingesttest.Options{}, "STOR", dahuaSnap, good[:len(good)/2],
			550, "the file is incomplete"},
		{"larger than the disk", ingesttest.Options{DiskBytes: 1000}, "STOR", dahuaSnap, good,
			552, "larger than the cloud disk"},
		{"download", ingesttest.Options{}, "RETR", dahuaSnap, nil,
			550, "downloads are not available"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, c.opts)
			cl := dial(t, server(t, f, ftpd.Config{}).Addr())
			cl.login(f.Username, f.Password)
			code, msg := cl.stor(c.verb, c.path, c.data)
			if code != c.code || !strings.Contains(msg, c.text) {
				t.Fatalf("%s %s: %d %s; want %d ...%s", c.verb, c.path, code, msg, c.code, c.text)
			}
			for _, leak := range []string{"sqlite", "SQL", "spool", "cam2drive.Error", "invalid:", "forbidden:"} {
				if strings.Contains(msg, leak) {
					t.Errorf("reply %q leaks internal text %q", msg, leak)
				}
			}
			noRecording(t, f)
		})
	}
}

// TestConfinedToRoot: ftpserverlib resolves ".." against the recorder's
// root, so a path climbing out lands inside the recorder's own tree.
func TestConfinedToRoot(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, server(t, f, ftpd.Config{}).Addr())
	c.login(f.Username, f.Password)
	c.want(250, "CWD ../../..")
	if msg := c.want(257, "PWD"); !strings.HasPrefix(msg, `"/"`) {
		t.Errorf("PWD after CWD ../../.. = %s, want the root", msg)
	}
	data := jpegOf(t, 2, 5000)
	if code, msg := c.stor("STOR", "../../"+dahuaSnap, data); code != 226 {
		t.Fatalf("STOR: %d %s", code, msg)
	}
	if r := oneRecording(t, f, 2, dahuaTime, "motion", data); r.SourcePath != dahuaSnap {
		t.Errorf("source path = %q, want %q", r.SourcePath, dahuaSnap)
	}
}

// TestDroppedDataConnection: a data connection that breaks mid-file (TCP
// reset, or closed early as if complete) indexes nothing, and the session
// goes on working.
func TestDroppedDataConnection(t *testing.T) {
	t.Parallel()
	data := jpegOf(t, 8, 400_000)
	for _, reset := range []bool{true, false} {
		t.Run(map[bool]string{true: "reset", false: "closed early"}[reset], func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, ingesttest.Options{})
			c := dial(t, server(t, f, ftpd.Config{}).Addr())
			c.login(f.Username, f.Password)
			if reset {
				d := c.pasv()
				c.want(150, "STOR "+dahuaSnap)
				d.Write(data[:len(data)/3]) //nolint:errcheck // the reset is the point
				time.Sleep(20 * time.Millisecond)
				dropData(t, c, d)
			} else if code, msg := c.stor("STOR", dahuaSnap, data[:len(data)/3]); code != 550 || !strings.Contains(msg, "incomplete") {
				t.Fatalf("early close: %d %s, want 550 incomplete", code, msg)
			}
			noRecording(t, f)
			other := strings.Replace(dahuaSnap, "27[M]", "28[M]", 1)
			if code, msg := c.stor("STOR", other, data); code != 226 {
				t.Fatalf("next upload: %d %s", code, msg)
			}
			oneRecording(t, f, 2, dahuaTime.Add(time.Second), "motion", data)
		})
	}
}
