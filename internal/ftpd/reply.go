package ftpd

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/layout"
)

// Errors of this adapter itself, classified so reply can map them.
var (
	errNoDownload = &cam2drive.Error{Code: cam2drive.CodeForbidden, Key: "no_download"}
	errNoTLS      = &cam2drive.Error{Code: cam2drive.CodeUnavailable, Key: "no_tls"}
	errClosing    = &cam2drive.Error{Code: cam2drive.CodeUnavailable, Key: "shutting_down"}
)

// pathError carries the client path an error is about, so that reply can
// name the channel in its message.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// reply maps an error to the FTP reply a client sees: the one place where
// codes and texts are chosen. Texts are plain English sentences; internal
// error text never reaches the client. ftpserverlib writes its own code for
// most commands (550 after a transfer or a file command); it honours 552
// and 553 through the errors replyError matches, so a 4xx chosen here is
// only sent where this package writes the code itself (login, connection).
func reply(err error) (int, string) {
	var e *cam2drive.Error
	if !errors.As(err, &e) {
		return 451, "internal server error, please try again later"
	}
	switch e.Key {
	case "invalid_credentials":
		return 530, "login incorrect: wrong user name or password"
	case "banned": // 421 at connection; the library answers 530 to PASS
		return 421, fmt.Sprintf("too many failed logins, try later (in %s)", roundUp(e.Retry))
	case "too_many_connections":
		return 421, "too many connections from your address, try later"
	case "channel_disabled":
		return 550, "upload refused: " + channelName(err) + " has cloud recording off"
	case "unknown_channel":
		return 550, "upload refused: " + channelName(err) + " is not a camera of this recorder"
	case "no_disk":
		return 550, "upload refused: this recorder has no cloud disk assigned"
	case "unknown_path":
		return 553, "upload refused: this file name or folder layout is not a camera recording"
	case "invalid_path":
		return 553, "upload refused: invalid path (it must stay inside your folder)"
	case "empty_file":
		return 550, "upload refused: the file is empty"
	case "incomplete_file":
		return 550, "upload refused: the file is incomplete or damaged, send it again"
	case "bad_resume_offset":
		return 550, "resume refused: the restart offset is past what was received"
	case "disk_full":
		return 552, "upload refused: the cloud disk is full and overwriting is off"
	case "file_too_large":
		return 552, "upload refused: the file is larger than the cloud disk"
	case "server_disk_full":
		return 452, "the server is out of space, try later"
	case "no_download":
		return 550, "downloads are not available on this server"
	case "no_tls":
		return 534, "FTPS is not enabled on this server"
	case "shutting_down":
		return 421, "the server is shutting down, try later"
	case "upload_in_progress":
		return 450, "this file is being uploaded on another connection, try later"
	case "credentials_changed":
		return 530, "the recorder's credentials were regenerated: log in again with the new ones"
	}
	switch e.Code {
	case cam2drive.CodeNotFound:
		return 550, "no such file"
	case cam2drive.CodeInvalidCredentials:
		return 530, "login incorrect: wrong user name or password"
	case cam2drive.CodeInvalid:
		return 553, "upload refused: invalid file name"
	case cam2drive.CodeForbidden:
		return 550, "permission denied"
	case cam2drive.CodeQuota:
		return 552, "upload refused: storage quota exceeded"
	case cam2drive.CodeThrottled:
		return 421, "too many requests, try later"
	}
	return 451, "internal server error, please try again later"
}

// channelName names the camera channel a refused path is about.
func channelName(err error) string {
	var pe *pathError
	if errors.As(err, &pe) {
		if rel, err := ingest.CleanPath(pe.path); err == nil {
			if info, err := layout.Parse(rel, time.UTC, time.Time{}); err == nil && info.Channel > 0 {
				return fmt.Sprintf("channel %d", info.Channel)
			}
		}
	}
	return "this channel"
}

func roundUp(d time.Duration) string {
	if d <= time.Minute {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
}

// replyError is what the library receives: its text is the client message,
// and it matches the library's sentinels so the library sends 552 or 553.
type replyError struct {
	code     int
	msg      string
	notFound bool
}

func newReplyError(err error) *replyError {
	code, msg := reply(err)
	return &replyError{code: code, msg: msg, notFound: cam2drive.IsNotFound(err)}
}

func (e *replyError) Error() string { return e.msg }

func (e *replyError) Is(target error) bool {
	switch target {
	case ftpserver.ErrStorageExceeded:
		return e.code == 552
	case ftpserver.ErrFileNameNotAllowed:
		return e.code == 553
	case fs.ErrNotExist:
		return e.notFound
	}
	return false
}
