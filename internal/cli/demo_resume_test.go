package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// A demo whose upload was cut is finished by the next run, which prints
// the login the first run never got to print; the run after that changes
// nothing.
func TestDemoResumesACutUpload(t *testing.T) {
	ctx := context.Background()
	a, dir := bootstrappedApp(t)
	var out bytes.Buffer
	// An FTP address where nothing listens: the upload fails after the setup.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	closed := ln.Addr().String()
	ln.Close()
	o := demoOptions{Email: "demo@example.com", Events: 2, Now: time.Now().Add(-time.Hour), FTPAddr: closed}
	out.Reset()
	if err := a.runDemo(ctx, o, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "run `cam2drive demo` again") {
		t.Fatalf("cut upload: %v", err)
	}
	if strings.Contains(out.String(), "password:") {
		t.Fatalf("a login was printed though the demo is not there:\n%s", out.String())
	}
	u, err := a.db.UserByEmail(ctx, o.Email)
	must(t, err)
	if n := countRecordings(t, a, u.OrgID); n != 0 {
		t.Fatalf("%d recordings after a cut upload", n)
	}

	o2 := demoOptions{Email: "DEMO@example.com", Events: 30, Now: time.Now()} // what `make run` passes the next time
	out.Reset()
	must(t, a.runDemo(ctx, o2, &out, io.Discard))
	s, ok, err := readDemoState(dir)
	must(t, err)
	if !ok || !s.Done || s.Password == "" {
		t.Fatalf("state after the resumed upload: %+v (found %v)", s, ok)
	}
	if !strings.Contains(out.String(), "did not finish") || !strings.Contains(out.String(), "password: "+s.Password+"\n") {
		t.Errorf("resumed run said:\n%s", out.String())
	}
	if _, err := a.auth.Login(ctx, o.Email, s.Password, "127.0.0.1", "test"); err != nil {
		t.Errorf("the printed login does not work: %v", err)
	}
	loc := paris(t)
	checkDemoRecordings(t, a, u.OrgID, demoPlan(o.Now.In(loc), loc, o.Events)) // the first run's plan, whole

	before := countRecordings(t, a, u.OrgID)
	out.Reset()
	must(t, a.runDemo(ctx, o2, &out, io.Discard))
	if !strings.Contains(out.String(), "already exists") || countRecordings(t, a, u.OrgID) != before {
		t.Errorf("third run said:\n%s", out.String())
	}
}
