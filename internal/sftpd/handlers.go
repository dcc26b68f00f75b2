package sftpd

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/pkg/sftp"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// handlers serve one SFTP subsystem over the recorder's ingest session.
// Paths reach them already cleaned by pkg/sftp: absolute, with ".."
// resolved against "/", so no path can climb above the recorder's root —
// which also means ingest's own ".." refusal never triggers over SFTP.
type handlers struct {
	ctx context.Context // the connection's: ends when the server stops
	se  *ingest.Session
	log *slog.Logger
}

func (h *handlers) sftpHandlers() sftp.Handlers {
	return sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
}

// Fileread refuses downloads: recorders only push files.
func (h *handlers) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	return nil, status(h.log, "read", r.Filepath, errNoDownload)
}

// Filewrite opens an upload. Policy (path, channel, disk) is checked here,
// before any byte is accepted, except for a plain (neither truncating nor
// appending) open of a partly received file, where it waits for the first
// write to say whether the client restarts or resumes.
func (h *handlers) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	f := r.Pflags()
	w := &fileWriter{h: h, path: r.Filepath, starts: []int64{0}, appending: f.Append && !f.Trunc, ahead: map[int64][]byte{}}
	var received int64
	if !f.Trunc {
		if fi, err := h.se.Stat(r.Filepath); err == nil && !fi.Dir {
			received = fi.Size
		}
	}
	if received > 0 {
		w.starts = append(w.starts, received)
	}
	if f.Trunc || f.Append || received == 0 {
		up, err := h.se.Create(h.ctx, r.Filepath, 0, w.appending)
		if err != nil {
			return nil, status(h.log, "open", r.Filepath, err)
		}
		w.up = up
		if len(w.starts) == 1 {
			w.decided = true
		}
	}
	return w, nil
}

// Filecmd: folders are implied by the paths of files, so making or
// removing one always succeeds (recorders make every level before every
// upload), as does setting attributes.
func (h *handlers) Filecmd(r *sftp.Request) error {
	var err error
	switch r.Method {
	case "Mkdir", "Rmdir", "Setstat":
	case "Rename":
		err = h.se.Rename(h.ctx, r.Filepath, r.Target)
	case "Remove":
		err = h.se.Remove(r.Filepath)
	default: // Link, Symlink
		err = sftp.ErrSSHFxOpUnsupported
	}
	return status(h.log, r.Method, r.Filepath, err)
}

// PosixRename (posix-rename@openssh.com, what OpenSSH's rename uses)
// renames the same way.
func (h *handlers) PosixRename(r *sftp.Request) error {
	return status(h.log, "rename", r.Filepath, h.se.Rename(h.ctx, r.Filepath, r.Target))
}

// Filelist answers stats from the session and lists every folder empty:
// received files are not the recorder's to browse.
func (h *handlers) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if r.Method == "List" {
		return listerAt(nil), nil
	}
	fi, err := h.se.Stat(r.Filepath)
	if err != nil {
		return nil, status(h.log, "stat", r.Filepath, err)
	}
	return listerAt{fi.OS()}, nil
}

type listerAt []os.FileInfo

func (l listerAt) ListAt(dst []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[off:])
	if n < len(dst) {
		return n, io.EOF
	}
	return n, nil
}
