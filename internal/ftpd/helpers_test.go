package ftpd_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"image"
	"image/jpeg"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// server starts an FTP server for the fixture on 127.0.0.1:0 and stops it
// when the test ends, failing the test if Run does not return cleanly.
func server(t testing.TB, f *ingesttest.Fixture, cfg ftpd.Config) *ftpd.Server {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Logger == nil && os.Getenv("FTPD_TEST_LOG") != "" {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := ftpd.New(f.Service, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after its context ended")
		}
	})
	return s
}

// tlsConfig is an FTPS configuration with a certificate made the way
// production makes it.
func tlsConfig(t testing.TB) *tls.Config {
	t.Helper()
	cert, err := ftpd.LoadOrCreateCert(t.TempDir(), "", "", []string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}

func port(s *ftpd.Server) string {
	return strings.TrimPrefix(s.Addr().String(), "127.0.0.1:")
}

// needTool skips a test whose client is not installed, except in CI where
// a missing client is a failure.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (run scripts/install-deps.sh test)", name)
		}
		t.Skipf("%s is not installed (run scripts/install-deps.sh test)", name)
	}
	return p
}

// run runs an external client with a deadline and returns its output.
func run(t testing.TB, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, needTool(t, name), args...)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// writeTemp writes data to a file of the test's temporary directory.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// jpegOf returns a real JPEG of at least size bytes: an encoded image, with
// APP15 segments of padding that hold CR, LF and NUL bytes so that any line
// ending conversion shows.
func jpegOf(t testing.TB, seed, size int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i*seed + seed)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	enc := b.Bytes()
	out := append([]byte{}, enc[:2]...) // SOI
	for missing := size - len(enc); missing > 0; {
		n := min(missing, 65533-2)
		seg := make([]byte, 4+n)
		seg[0], seg[1] = 0xFF, 0xEF
		binary.BigEndian.PutUint16(seg[2:], uint16(n+2))
		for i := range n {
			seg[4+i] = "\r\n\x00\n\r"[(i+seed)%5]
		}
		out = append(out, seg...)
		missing -= len(seg)
	}
	return append(out, enc[2:]...)
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// A Dahua snapshot path: channel 2, 2019-05-09 06:07:27 site time, motion.
const dahuaDir = "cam2drive/4K0A5B3PAG12345/2019-05-09/002/jpg/06/07"
const dahuaSnap = dahuaDir + "/27[M][0@0][0].jpg"

var dahuaTime = time.Date(2019, 5, 9, 6, 7, 27, 0, paris())

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}

// oneRecording asserts the fixture holds exactly one recording, of camera
// channel, at start, with event, whose stored bytes are data.
func oneRecording(t testing.TB, f *ingesttest.Fixture, channel int, start time.Time, event string, data []byte) cam2drive.Recording {
	t.Helper()
	recs := f.Recordings(t)
	if len(recs) != 1 {
		t.Fatalf("got %d recordings, want 1", len(recs))
	}
	r := recs[0]
	cam, err := f.DB.Camera(context.Background(), f.Org.ID, r.CameraID)
	if err != nil || cam.Number != channel {
		t.Errorf("camera = %d (%v), want channel %d", cam.Number, err, channel)
	}
	if !r.Start.Equal(start) {
		t.Errorf("start = %v, want %v", r.Start, start)
	}
	if r.EventType != event {
		t.Errorf("event = %q, want %q", r.EventType, event)
	}
	if got := f.Object(t, r.ObjectKey); !bytes.Equal(got, data) {
		t.Errorf("stored %d bytes, not the %d uploaded byte for byte", len(got), len(data))
	}
	return r
}

// noRecording asserts nothing became visible.
func noRecording(t testing.TB, f *ingesttest.Fixture) {
	t.Helper()
	if recs := f.Recordings(t); len(recs) != 0 {
		t.Fatalf("%d recordings visible, want none (first: %s)", len(recs), recs[0].SourcePath)
	}
}
