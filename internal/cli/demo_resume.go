package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/store"
)

// demoState is what a demo run keeps in the data dir once its client is
// set up, so that a run whose upload was cut (Ctrl-C, a full disk) is
// finished by the next one: the same plan, uploaded again (the store keeps
// one recording per recorder, path and content), and the login, which
// was never printed, printed then.
type demoState struct {
	Email    string    `json:"email"`
	Password string    `json:"password"` // the demo login, as demo-login.txt keeps it
	Now      time.Time `json:"now"`
	Events   int       `json:"events"`
	Pictures string    `json:"pictures"`
	AI       bool      `json:"ai"`
	Done     bool      `json:"done"`
}

func demoStatePath(dataDir string) string { return filepath.Join(dataDir, "demo-state.json") }

func readDemoState(dataDir string) (demoState, bool, error) {
	var s demoState
	b, err := os.ReadFile(demoStatePath(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return s, false, nil
	}
	if err != nil {
		return s, false, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, false, fmt.Errorf("%s: %w", demoStatePath(dataDir), err)
	}
	return s, true, nil
}

func writeDemoState(dataDir string, s demoState) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := demoStatePath(dataDir) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, demoStatePath(dataDir))
}

// unfinishedDemo is the state of a demo of this e-mail whose upload did not
// end, if there is one.
func (a *app) unfinishedDemo(email string) (demoState, bool, error) {
	s, ok, err := readDemoState(a.cfg.DataDir)
	if err != nil || !ok || s.Done || !strings.EqualFold(s.Email, email) {
		return s, false, err
	}
	return s, true, nil
}

// resumeDemo uploads the plan of an unfinished demo again, with the
// recorders it created.
func (a *app) resumeDemo(ctx context.Context, s demoState, o demoOptions, stdout, stderr io.Writer) error {
	u, err := a.db.UserByEmail(ctx, s.Email)
	if err != nil {
		return err
	}
	recs, err := a.demoRecordersOf(ctx, u.OrgID)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "the last demo upload did not finish: uploading its footage again")
	media, err := a.demoFootage(ctx, s.Pictures, stderr)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(demoTimezone)
	if err != nil {
		return err
	}
	plan := demoPlan(s.Now.In(loc), loc, s.Events)
	if err := a.demoUpload(ctx, o.FTPAddr, recs, plan, media, stderr); err != nil {
		return fmt.Errorf("the demo upload failed again (run `cam2drive demo` once more to finish it): %w", err)
	}
	s.Done = true
	if err := writeDemoState(a.cfg.DataDir, s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "uploaded %d files over FTP; `cam2drive serve` processes them\n", len(plan))
	printDemoLogin(stdout, s.Email, s.Password)
	return nil
}

// demoRecordersOf are the client's demo recorders in demoRecorders' order
// (the plan names them by index).
func (a *app) demoRecordersOf(ctx context.Context, orgID string) ([]cam2drive.Recorder, error) {
	all, _, err := a.db.Recorders(ctx, orgID, store.RecorderFilter{}, cam2drive.Page{Limit: 256})
	if err != nil {
		return nil, err
	}
	var recs []cam2drive.Recorder
	for _, dr := range demoRecorders {
		i := slices.IndexFunc(all, func(r cam2drive.Recorder) bool { return r.Name == dr.Name })
		if i < 0 {
			return nil, fmt.Errorf("the demo recorder %q is gone: delete the demo client to start again", dr.Name)
		}
		recs = append(recs, all[i])
	}
	return recs, nil
}
