package ftpd_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// escape percent-encodes each path element for a URL, keeping brackets
// and @ as cameras send them (curl -g leaves brackets alone).
func escape(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.NewReplacer("%5B", "[", "%5D", "]", "%40", "@").Replace(url.PathEscape(s))
	}
	return strings.Join(parts, "/")
}

// TestCurl uploads like a camera with curl: it creates the folders
// (CWD, MKD), and stores a bracketed Dahua name under a root with spaces,
// @ and UTF-8, in passive, active and explicit FTPS modes.
func TestCurl(t *testing.T) {
	t.Parallel()
	needTool(t, "curl")
	const root = "Entrée @ Hall 1/4K0A5B3PAG12345/2019-05-09/002/jpg/06/07/27[M][0@0][0].jpg"
	cases := []struct {
		name string
		tls  bool
		args []string
	}{
		{"passive", false, []string{"--disable-epsv"}},
		{"active", false, []string{"--ftp-port", "127.0.0.1"}},
		{"extended passive", false, nil},
		{"explicit FTPS", true, []string{"--ssl-reqd", "-k"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, ingesttest.Options{})
			cfg := ftpd.Config{}
			if c.tls {
				cfg.TLS = tlsConfig(t)
			}
			s := server(t, f, cfg)
			data := jpegOf(t, i+1, 300_000)
			args := append([]string{"-sS", "--ftp-create-dirs", "-g", "-u", f.Username + ":" + f.Password,
				"-T", writeTemp(t, "snap.jpg", data), "ftp://127.0.0.1:" + port(s) + "/" + escape(root)}, c.args...)
			if out, err := run(t, "curl", args...); err != nil {
				t.Fatalf("curl: %v\n%s", err, out)
			}
			r := oneRecording(t, f, 2, dahuaTime, "motion", data)
			if r.SourcePath != root {
				t.Errorf("source path = %q, want %q", r.SourcePath, root)
			}
		})
	}
}

// TestLftp uploads with lftp: mkdir -p twice (MKD of existing folders),
// OPTS UTF8, PASV, MFMT after the upload, in clear and over FTPS.
func TestLftp(t *testing.T) {
	t.Parallel()
	needTool(t, "lftp")
	for i, secure := range []bool{false, true} {
		name := map[bool]string{false: "clear", true: "FTPS"}[secure]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := ingesttest.New(t, ingesttest.Options{})
			cfg := ftpd.Config{}
			settings := "set ftp:ssl-allow no; "
			if secure {
				cfg.TLS = tlsConfig(t)
				settings = "set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ssl:verify-certificate no; "
			}
			s := server(t, f, cfg)
			data := jpegOf(t, 10+i, 150_000)
			local := writeTemp(t, "snap.jpg", data)
			script := settings + "set cmd:fail-exit yes; set net:max-retries 1; " +
				`mkdir -p "` + dahuaDir + `"; mkdir -p "` + dahuaDir + `"; ` +
				`put "` + local + `" -o "/` + dahuaSnap + `"; bye`
			out, err := run(t, "lftp", "-u", f.Username+","+f.Password, "-e", script, "ftp://127.0.0.1:"+port(s))
			if err != nil {
				t.Fatalf("lftp: %v\n%s", err, out)
			}
			oneRecording(t, f, 2, dahuaTime, "motion", data)
		})
	}
}

// TestCurlTemporaryNameThenRename uploads under a temporary name and
// renames it (RNFR/RNTO) after the transfer: one recording, final name.
func TestCurlTemporaryNameThenRename(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	s := server(t, f, ftpd.Config{})
	data := jpegOf(t, 4, 50_000)
	tmp := "27[M][0@0][0].jpg.part"
	out, err := run(t, "curl", "-sS", "--ftp-create-dirs", "-g", "-u", f.Username+":"+f.Password,
		"-T", writeTemp(t, "snap.jpg", data), "ftp://127.0.0.1:"+port(s)+"/"+dahuaDir+"/"+tmp,
		"-Q", "-RNFR "+tmp, "-Q", "-RNTO 27[M][0@0][0].jpg")
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	if r := oneRecording(t, f, 2, dahuaTime, "motion", data); r.SourcePath != dahuaSnap {
		t.Errorf("source path = %q, want the final name %q", r.SourcePath, dahuaSnap)
	}
}

// TestCurlRefusal shows what an installer sees in curl when a channel has
// cloud recording off: the transfer fails with the reason.
func TestCurlRefusal(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{CloudOff: []int{3}})
	s := server(t, f, ftpd.Config{})
	path := strings.Replace(dahuaSnap, "/002/", "/003/", 1)
	out, err := run(t, "curl", "-v", "--ftp-create-dirs", "-g", "-u", f.Username+":"+f.Password,
		"-T", writeTemp(t, "snap.jpg", jpegOf(t, 1, 10_000)), "ftp://127.0.0.1:"+port(s)+"/"+path)
	if err == nil || !strings.Contains(out, "< 550 ") || !strings.Contains(out, "channel 3 has cloud recording off") {
		t.Fatalf("curl: %v, output:\n%s\nwant a 550 naming channel 3", err, out)
	}
	t.Logf("curl shows: %s", strings.SplitN(out[strings.Index(out, "< 550"):], "\n", 2)[0])
	noRecording(t, f)
}
