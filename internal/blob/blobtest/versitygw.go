package blobtest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Credentials of the S3 server StartVersityGW runs (region us-east-1).
const (
	S3Access = "cam2drive-test-access"
	S3Secret = "s3cr3t-do-not-print/+="
)

// versityGW finds the versitygw binary: $CAM2DRIVE_VERSITYGW, else
// <repo>/.cache/bin/versitygw (scripts/install-versitygw.sh puts it there).
func versityGW(t testing.TB) string {
	if p := os.Getenv("CAM2DRIVE_VERSITYGW"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", "bin", "versitygw")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// StartVersityGW starts versitygw on a free loopback port with a posix
// backend in a temp dir, waits until it answers, and stops it at cleanup.
// Without the binary the test is skipped, except in CI (CI=true) where the
// S3 suite must always run.
func StartVersityGW(t testing.TB) string {
	bin := versityGW(t)
	if bin == "" {
		t.Fatal("cannot find the repository root")
	}
	if _, err := os.Stat(bin); err != nil {
		msg := fmt.Sprintf("versitygw not found at %s (run scripts/install-versitygw.sh or set CAM2DRIVE_VERSITYGW): S3 suite not run", bin)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var lastErr error
	for range 3 { // the free port may be taken between probe and bind
		addr, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if lastErr = runVersityGW(t, bin, addr); lastErr == nil {
			return addr
		}
	}
	t.Fatalf("versitygw did not start: %v", lastErr)
	return ""
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func runVersityGW(t testing.TB, bin, addr string) error {
	root, logDir := t.TempDir(), t.TempDir()
	logFile, err := os.Create(filepath.Join(logDir, "versitygw.log"))
	if err != nil {
		return err
	}
	defer logFile.Close() // the child keeps its own descriptor
	out := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	cmd := exec.Command(bin, "--access", S3Access, "--secret", S3Secret,
		"--port", addr, "--region", "us-east-1", "--quiet", "posix", root)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("exited: %v: %s", err, out())
		default:
		}
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close() // any answer (403 without credentials) means it serves
			t.Cleanup(stop)
			return nil
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("no answer on %s after 30s: %s", addr, out())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
