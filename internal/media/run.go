package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Reasons a file is refused, kept on the recording for the client (the
// API words them in French and English by key).
const (
	ReasonTruncated  = "truncated"
	ReasonUnreadable = "unreadable_media"
	ReasonNoVideo    = "no_video"
)

// Error says the file itself is at fault: running again will not help.
// Other errors (a timeout, a missing binary, a full disk) may pass.
type Error struct {
	Key string // one of the Reason… constants
	Err error
}

func (e *Error) Error() string { return e.Key + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// FileFault returns the *Error in err's chain, if the file is at fault.
func FileFault(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// DefaultTimeout bounds one tool run when Tools.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// run executes a tool within the timeout (plus extra, for work that grows
// with the clip); its stderr explains a failure.
func (t Tools) run(ctx context.Context, bin string, args []string, extra time.Duration) ([]byte, error) {
	timeout := t.timeout()
	rctx, cancel := context.WithTimeout(ctx, timeout+extra)
	defer cancel()
	cmd := exec.CommandContext(rctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	name, msg := filepath.Base(bin), scrub(stderr.String(), args)
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s: %w", name, ctx.Err())
	case rctx.Err() != nil:
		return nil, fmt.Errorf("%s timed out after %v: %s", name, timeout+extra, msg)
	case errors.As(err, &exit) && exit.Exited() && !strings.Contains(msg, "No space left"):
		return nil, &Error{Key: ReasonUnreadable, Err: fmt.Errorf("%s: %w: %s", name, err, msg)}
	}
	return nil, fmt.Errorf("%s: %w: %s", name, err, msg)
}

func (t Tools) timeout() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return t.Timeout
}

// scrub keeps the end of stderr (where the cause is) and replaces the
// absolute paths of the command line by their base names: the message is
// shown to clients, who have no business with server paths.
func scrub(stderr string, args []string) string {
	for _, a := range args {
		if p := strings.TrimPrefix(a, "file:"); filepath.IsAbs(p) {
			stderr = strings.ReplaceAll(stderr, p, filepath.Base(p))
		}
	}
	stderr = strings.TrimSpace(stderr)
	if len(stderr) > 400 {
		stderr = "…" + strings.ToValidUTF8(stderr[len(stderr)-400:], "")
	}
	return stderr
}
