package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/media/av"
	"github.com/cam2drive/cam2drive/internal/store"
)

// TestMain lets a test run the real command in a child process (so it can
// be killed with SIGKILL): the child gets its arguments from the environment.
// It also answers as an AV worker, as the cam2drive binary does.
func TestMain(m *testing.M) {
	if os.Getenv(media.AVWorkerEnv) == "1" {
		os.Exit(av.Main()) // serve's AV workers are this binary too
	}
	os.Setenv(media.AVSelfEnv, "1") //nolint:errcheck // as cmd/cam2drive does
	if raw := os.Getenv("CAM2DRIVE_CLI_ARGS"); raw != "" {
		var args []string
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			panic(err)
		}
		os.Exit(Main(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// world is a data dir with a client, a recorder and a disk, made through
// the same wiring as `serve`.
type world struct {
	dir, user, pass string
}

func newWorld(t testing.TB) world {
	t.Helper()
	ctx := context.Background()
	cfg := config.Config{DataDir: t.TempDir(), HTTPAddr: ":0"}
	a, err := build(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	org := cam2drive.Org{Kind: cam2drive.KindClient, Name: "Crash Test"}
	must(t, a.db.InTx(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, &org) }))
	site := cam2drive.Site{OrgID: org.ID, Name: "HQ", Timezone: "UTC"}
	must(t, a.db.CreateSite(ctx, &site))
	rec := cam2drive.Recorder{OrgID: org.ID, SiteID: site.ID, Name: "NVR", Manufacturer: "dahua", Kind: "nvr", CameraCount: 1, RetentionDays: 0}
	must(t, a.ingest.CreateRecorder(ctx, &rec))
	must(t, a.db.CreateDisk(ctx, &cam2drive.VirtualDisk{OrgID: org.ID, RecorderID: rec.ID, CapacityBytes: 100 * cam2drive.GB, CameraLimit: 1, Overwrite: true}))
	cams, _, err := a.db.Cameras(ctx, org.ID, store.CameraFilter{}, cam2drive.Page{Limit: 10})
	must(t, err)
	cams[0].CloudRecording = true
	must(t, a.db.UpdateCamera(ctx, cams[0]))
	user, pass, err := a.ingest.Credentials(rec)
	must(t, err)
	return world{dir: cfg.DataDir, user: user, pass: pass}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs `cam2drive serve` with the FTP role in a child process.
func startServer(t *testing.T, w world, ftpAddr string) *exec.Cmd {
	t.Helper()
	args, _ := json.Marshal([]string{"serve", "--data-dir", w.dir, "--roles", "ftp", "--ftp-addr", ftpAddr, "--log-level", "warn"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CAM2DRIVE_CLI_ARGS="+string(args))
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", ftpAddr); err == nil {
			c.Close()
			return cmd
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A SIGKILL during 50 concurrent uploads loses no upload that was
// acknowledged, shows no partial one, and the restart cleans leftovers.
func TestKillDuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server three times")
	}
	w := newWorld(t)
	addr := freePort(t)
	srv := startServer(t, w, addr)
	var mu sync.Mutex
	acked := map[string]string{} // path → sha256 of the bytes the server acknowledged
	ackc := make(chan struct{}, 50)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf("SN/2024-03-01/001/jpg/10/%02d/%02d[M][0@0][0].jpg", i/60, i%60)
			data := fakeJPEG(512<<10 + i*8192)
			pause := time.Duration(0) // half the uploads are fast, half crawl
			if i%2 == 1 {
				pause = 200 * time.Millisecond
			}
			if err := ftpUpload(addr, w.user, w.pass, path, data, 64<<10, pause); err == nil {
				sum := sha256.Sum256(data)
				mu.Lock()
				acked[path] = hex.EncodeToString(sum[:])
				mu.Unlock()
				ackc <- struct{}{}
			}
		}()
	}
	// Kill once some uploads are acknowledged while the slow ones are mid-file.
	timeout := time.After(60 * time.Second)
	for n := 0; n < 10; n++ {
		select {
		case <-ackc:
		case <-timeout:
			t.Fatalf("only %d uploads acknowledged in 60 s", n)
		}
	}
	must(t, srv.Process.Signal(syscall.SIGKILL))
	srv.Wait()
	wg.Wait()
	mu.Lock()
	t.Logf("%d of 50 uploads acknowledged before the kill", len(acked))
	if len(acked) == 50 {
		t.Fatal("every upload finished before the kill: the test proves nothing")
	}
	mu.Unlock()

	// Restart: start-up cleans what the killed process left half-written.
	srv = startServer(t, w, addr)
	must(t, srv.Process.Signal(syscall.SIGTERM))
	srv.Wait()
	checkAfterCrash(t, w, acked)
}

func checkAfterCrash(t *testing.T, w world, acked map[string]string) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", w.dir)
	must(t, err)
	defer db.Close()
	org, err := firstClient(ctx, db)
	must(t, err)
	recs, _, err := db.Recordings(ctx, org, store.RecordingFilter{}, cam2drive.Page{Limit: 500})
	must(t, err)
	indexed := map[string]cam2drive.Recording{}
	for _, r := range recs {
		indexed[r.SourcePath] = r
		b, err := os.ReadFile(filepath.Join(w.dir, "media", filepath.FromSlash(r.ObjectKey)))
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != r.SHA256 || int64(len(b)) != r.Size {
			t.Errorf("recording %s: stored object missing or different (%v)", r.SourcePath, err)
		}
	}
	for path, sum := range acked {
		if r, ok := indexed[path]; !ok || r.SHA256 != sum {
			t.Errorf("acknowledged upload %s lost after the crash", path)
		}
	}
	leftovers := 0
	filepath.WalkDir(filepath.Join(w.dir, "media", ".tmp"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			leftovers++
		}
		return nil
	})
	if leftovers > 0 {
		t.Errorf("%d interrupted writes left in the media store after restart", leftovers)
	}
}

func firstClient(ctx context.Context, db *store.DB) (string, error) {
	var id string
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var e error
		id, e = tx.FirstOrgOfKind(ctx, cam2drive.KindClient)
		return e
	})
	return id, err
}

// fakeJPEG has a JPEG's start and end markers around random bytes: what the
// completeness check looks at.
func fakeJPEG(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	copy(b, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	b[n-2], b[n-1] = 0xFF, 0xD9
	return b
}

// ftpUpload is a minimal passive-mode FTP client that writes slowly, so a
// kill finds uploads in every state. It returns nil only on a 226.
func ftpUpload(addr, user, pass, path string, data []byte, chunk int, pause time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	r := bufio.NewReader(c)
	cmd := func(line string, want string) (string, error) {
		if line != "" {
			if _, err := fmt.Fprintf(c, "%s\r\n", line); err != nil {
				return "", err
			}
		}
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return "", err
			}
			if len(l) >= 4 && l[3] == ' ' {
				if !strings.HasPrefix(l, want) {
					return l, fmt.Errorf("%q → %q", line, strings.TrimSpace(l))
				}
				return l, nil
			}
		}
	}
	steps := [][2]string{{"", "220"}, {"USER " + user, "331"}, {"PASS " + pass, "230"}, {"TYPE I", "200"}}
	for _, s := range steps {
		if _, err := cmd(s[0], s[1]); err != nil {
			return err
		}
	}
	l, err := cmd("PASV", "227")
	if err != nil {
		return err
	}
	dataAddr, err := pasvAddr(l)
	if err != nil {
		return err
	}
	d, err := net.DialTimeout("tcp", dataAddr, 5*time.Second)
	if err != nil {
		return err
	}
	if _, err := cmd("STOR "+path, "150"); err != nil {
		d.Close()
		return err
	}
	for off := 0; off < len(data); off += chunk {
		if _, err := d.Write(data[off:min(off+chunk, len(data))]); err != nil {
			d.Close()
			return err
		}
		time.Sleep(pause)
	}
	d.Close()
	_, err = cmd("", "226")
	return err
}

func pasvAddr(line string) (string, error) {
	open, end := strings.Index(line, "("), strings.Index(line, ")")
	if open < 0 || end < open {
		return "", fmt.Errorf("bad PASV reply %q", line)
	}
	var h1, h2, h3, h4, p1, p2 int
	if _, err := fmt.Sscanf(line[open+1:end], "%d,%d,%d,%d,%d,%d", &h1, &h2, &h3, &h4, &p1, &p2); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d.%d:%d", h1, h2, h3, h4, p1*256+p2), nil
}
