package sftpd

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/pkg/sftp"

	"github.com/cam2drive/cam2drive"
)

// Errors of this adapter itself, classified so status can map them.
var (
	errNoDownload  = &cam2drive.Error{Code: cam2drive.CodeForbidden, Key: "no_download"}
	errRandomWrite = &cam2drive.Error{Code: cam2drive.CodeInvalid, Key: "random_write"}
	errMissingData = &cam2drive.Error{Code: cam2drive.CodeInvalid, Key: "incomplete_file"}
)

// statusError is what pkg/sftp receives: its text becomes the status
// message and the sftp error it wraps becomes the status code.
type statusError struct {
	msg  string
	code error
}

func (e *statusError) Error() string { return e.msg }
func (e *statusError) Unwrap() error { return e.code }

// status maps an error to the SFTP status a client sees: the one place
// where codes and texts are chosen. The protocol is SFTP v3 (what pkg/sftp
// and OpenSSH speak), whose codes stop at OP_UNSUPPORTED: a full disk is
// FAILURE with a message, never v5's NO_SPACE_ON_FILESYSTEM, which v3
// clients don't know. Texts end with the message key in brackets, so a
// recorder's log says exactly which rule refused the file; internal error
// text never reaches the client, it goes to the log.
func status(log *slog.Logger, op, path string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sftp.ErrSSHFxOpUnsupported) {
		return err
	}
	var e *cam2drive.Error
	if !errors.As(err, &e) {
		log.Error("sftp request failed", "op", op, "path", path, "err", err)
		return &statusError{"internal server error, please try again later", sftp.ErrSSHFxFailure}
	}
	if e.Code != cam2drive.CodeNotFound { // a stat before each upload is no news
		log.Info("sftp request refused", "op", op, "path", path, "err", err)
	}
	code := sftp.ErrSSHFxFailure
	switch e.Code {
	case cam2drive.CodeForbidden, cam2drive.CodeInvalidCredentials, cam2drive.CodeUnauthenticated:
		code = sftp.ErrSSHFxPermissionDenied
	case cam2drive.CodeNotFound:
		code = sftp.ErrSSHFxNoSuchFile
	}
	return &statusError{fmt.Sprintf("%s (%s)", message(e), e.Key), code}
}

func message(e *cam2drive.Error) string {
	switch e.Key {
	case "channel_disabled":
		return "upload refused: cloud recording is off for this channel"
	case "unknown_channel":
		return "upload refused: this channel is not a camera of this recorder"
	case "no_disk":
		return "upload refused: this recorder has no cloud disk assigned"
	case "unknown_path":
		return "upload refused: this file name or folder layout is not a camera recording"
	case "invalid_path":
		return "upload refused: invalid path"
	case "empty_file":
		return "upload refused: the file is empty"
	case "incomplete_file":
		return "upload refused: the file is incomplete or damaged, send it again"
	case "bad_resume_offset":
		return "resume refused: the offset is past what was received"
	case "random_write":
		return "write refused: files must be written in order, from the start or from where a transfer stopped"
	case "disk_full":
		return "upload refused: the cloud disk is full and overwriting is off"
	case "file_too_large":
		return "upload refused: the file is larger than the cloud disk"
	case "server_disk_full":
		return "the server is out of space, try again later"
	case "upload_in_progress":
		return "this file is being uploaded on another connection, try again later"
	case "credentials_changed":
		return "permission denied: the recorder's credentials were regenerated, log in again with the new ones"
	case "banned":
		return "too many failed logins from your address, try again later"
	case "too_many_connections":
		return "too many connections from your address, try again later"
	case "no_download":
		return "permission denied: this server only receives uploads"
	}
	switch e.Code {
	case cam2drive.CodeNotFound:
		return "no such file"
	case cam2drive.CodeForbidden:
		return "permission denied"
	case cam2drive.CodeQuota:
		return "upload refused: storage quota exceeded"
	case cam2drive.CodeThrottled:
		return "too many requests, try again later"
	case cam2drive.CodeInvalid:
		return "upload refused: invalid file"
	}
	return "the request failed, please try again later"
}
