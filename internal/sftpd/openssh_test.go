package sftpd_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

// needBinaries skips a test whose client is not installed, except in CI
// (CI=true), where scripts/install-deps.sh test must have installed it.
func needBinaries(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed (scripts/install-deps.sh test installs it)", n)
			}
			t.Skipf("%s is not installed (scripts/install-deps.sh test installs it)", n)
		}
	}
}

// openSSH runs OpenSSH's sftp in batch mode, logging in with sshpass.
// Lines of the batch starting with "-" may fail without stopping it.
func openSSH(t *testing.T, s *server, f *ingesttest.Fixture, batch ...string) (string, error) {
	t.Helper()
	needBinaries(t, "sftp", "sshpass")
	file := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(file, []byte(strings.Join(batch, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(s.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sshpass", "-e", "sftp", "-oBatchMode=no", "-oStrictHostKeyChecking=no",
		"-oUserKnownHostsFile=/dev/null", "-oPubkeyAuthentication=no", "-oPreferredAuthentications=password",
		"-oLogLevel=ERROR", "-P", port, "-b", file, f.Username+"@127.0.0.1")
	cmd.Env = append(os.Environ(), "SSHPASS="+f.Password)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// localFile writes data to a file for sftp to send.
func localFile(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "upload.bin")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// mkdirs lists the "-mkdir" of every folder level of path, as Dahua does.
func mkdirs(path string) []string {
	var lines []string
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		lines = append(lines, fmt.Sprintf("-mkdir %q", strings.Join(parts[:i], "/")))
	}
	return lines
}

func TestOpenSSHDahuaSnapshot(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	data := snapshot(t, 11, 100_000)
	batch := append(mkdirs(snapPath), fmt.Sprintf("put %q %q", localFile(t, data), "/"+snapPath))
	if out, err := openSSH(t, s, f, batch...); err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	r := onlyRecording(t, f, snapPath, data)
	paris, _ := time.LoadLocation("Europe/Paris")
	if want := time.Date(2019, 5, 9, 6, 7, 27, 0, paris); !r.Start.Equal(want) || r.Kind != "snapshot" || r.EventType != "motion" {
		t.Errorf("start/kind/event = %v/%s/%s, want %v/snapshot/motion", r.Start, r.Kind, r.EventType, want)
	}
	cam, err := f.DB.Camera(context.Background(), f.Org.ID, r.CameraID)
	if err != nil || cam.Number != 2 {
		t.Errorf("camera = %d (%v), want channel 2", cam.Number, err)
	}
}

func TestOpenSSHTemporaryNameThenRename(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{Manufacturer: "axis"})
	s := start(t, f, sftpd.Config{})
	data := snapshot(t, 12, 0)
	final := "axis/image24-03-01_10-15-30-12_#1.jpg"
	out, err := openSSH(t, s, f, "-mkdir axis",
		fmt.Sprintf("put %q %q", localFile(t, data), final+".tmp"),
		fmt.Sprintf("rename %q %q", final+".tmp", final))
	if err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	r := onlyRecording(t, f, final, data)
	paris, _ := time.LoadLocation("Europe/Paris")
	if want := time.Date(2024, 3, 1, 10, 15, 30, 120_000_000, paris); !r.Start.Equal(want) {
		t.Errorf("start = %v, want %v", r.Start, want)
	}
}

// OpenSSH's reput stats the remote file, then opens it for appending and
// writes from the remote size on.
func TestOpenSSHReputResumes(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	data := snapshot(t, 13, 400_000)
	half := sendHalfThenDrop(t, s, f, snapPath, data)
	out, err := openSSH(t, s, f, fmt.Sprintf("reput %q %q", localFile(t, data), snapPath))
	if err != nil {
		t.Fatalf("sftp: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("from=%d", half); !strings.Contains(s.logs.String(), want) {
		t.Errorf("the upload was not resumed %s; server log:\n%s", want, s.logs.String())
	}
	onlyRecording(t, f, snapPath, data)
}

func TestOpenSSHRefusedUploadFails(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{CloudOff: []int{2}})
	s := start(t, f, sftpd.Config{})
	out, err := openSSH(t, s, f, fmt.Sprintf("put %q %q", localFile(t, snapshot(t, 14, 0)), snapPath))
	if err == nil || !strings.Contains(out, "Permission denied") {
		t.Fatalf("sftp: %v\n%s\nwant a failure saying permission denied", err, out)
	}
	t.Logf("OpenSSH sftp shows:\n%s", out)
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings, want 0", n)
	}
}
