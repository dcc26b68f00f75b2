package sftpd

import (
	"slices"
	"sync"

	"github.com/cam2drive/cam2drive/internal/ingest"
)

// maxAhead bounds the bytes one handle holds in memory while it waits for
// an earlier write. Clients keep at most about 64 requests of 32 KiB in
// flight, so a gap wider than this is a random write, not a reordering.
const maxAhead = 8 << 20

// fileWriter is the io.WriterAt pkg/sftp writes an open file through: the
// ingest Upload is a stream, so writes are put back in order here.
//
// pkg/sftp hands WRITE requests to 8 workers, so even a strictly
// sequential client (OpenSSH, pkg/sftp's own client, every camera) is seen
// slightly out of order: writes ahead of the next expected offset wait in
// memory until the gap is filled; a write behind it is a random write and
// fails the upload.
//
// Where the stream starts is known at open for a truncating open (0). For
// an append (OpenSSH reput) or a plain write open of a file partly
// received, it is either 0 or the size received, and the first write at
// one of those decides: an append then continues after the received bytes
// whichever convention the client's offsets follow (absolute like OpenSSH,
// relative to the handle like pkg/sftp's client), and a plain write
// restarts (0) or resumes (the size, after a client-side Seek).
type fileWriter struct {
	h         *handlers
	path      string
	starts    []int64 // offsets the first write may have
	appending bool    // an append open: the stream continues after what was received

	mu      sync.Mutex
	up      *ingest.Upload // nil until the start is decided, for plain opens
	decided bool
	next    int64            // the client offset the stream continues at
	ahead   map[int64][]byte // writes waiting for a gap to be filled
	held    int              // bytes in ahead
	failed  error            // the status every later call reports
	broken  bool             // the session ended before the close
	closed  bool
}

// WriteAt takes one WRITE request.
func (w *fileWriter) WriteAt(p []byte, off int64) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed != nil {
		return 0, w.failed
	}
	if !w.decided && slices.Contains(w.starts, off) {
		if err := w.decide(off); err != nil {
			return 0, w.fail("write", err)
		}
	}
	switch {
	case !w.decided || off > w.next:
		if _, dup := w.ahead[off]; dup || w.held+len(p) > maxAhead {
			return 0, w.fail("write", errRandomWrite)
		}
		w.ahead[off] = slices.Clone(p) // pkg/sftp may reuse p once we return
		w.held += len(p)
		return len(p), nil
	case off < w.next:
		return 0, w.fail("write", errRandomWrite)
	}
	if err := w.write(p); err != nil {
		return 0, w.fail("write", err)
	}
	return len(p), nil
}

// decide fixes where the stream starts, opening the upload if the open
// could not.
func (w *fileWriter) decide(off int64) error {
	if w.up == nil {
		up, err := w.h.se.Create(w.h.ctx, w.path, off, false)
		if err != nil {
			return err
		}
		w.up = up
	}
	w.decided, w.next = true, off
	from := off
	if w.appending {
		from = w.starts[len(w.starts)-1]
	}
	if from > 0 {
		w.h.log.Debug("sftp upload resumed", "path", w.path, "from", from)
	}
	return nil
}

// write appends p at w.next, then whatever waited for it.
func (w *fileWriter) write(p []byte) error {
	for {
		if _, err := w.up.Write(p); err != nil {
			return err
		}
		w.next += int64(len(p))
		var ok bool
		if p, ok = w.ahead[w.next]; !ok {
			break
		}
		delete(w.ahead, w.next)
		w.held -= len(p)
	}
	for off := range w.ahead {
		if off < w.next { // overlaps what was written: not a stream
			return errRandomWrite
		}
	}
	return nil
}

func (w *fileWriter) fail(op string, err error) error {
	w.failed = status(w.h.log, op, w.path, err)
	return w.failed
}

// TransferError tells that the session ended with the file still open:
// the close that follows must not make a recording of a part.
func (w *fileWriter) TransferError(error) {
	w.mu.Lock()
	w.broken = true
	w.mu.Unlock()
}

// Close answers the client's CLOSE: the upload is committed (checked,
// stored, indexed) before the status is sent, and its refusal is the
// status. A session that broke first leaves the bytes for a resume.
func (w *fileWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if !w.decided && len(w.ahead) == 0 && !w.broken && w.failed == nil {
		// Opened without truncating and closed without a write: what was
		// received before is the whole file.
		if err := w.decide(w.starts[len(w.starts)-1]); err != nil {
			return w.fail("close", err)
		}
	}
	switch {
	case w.broken || w.failed != nil || len(w.ahead) > 0:
		if w.up != nil {
			w.up.Abort()
		}
		if w.broken {
			w.h.log.Info("sftp upload interrupted: its bytes wait for a resume", "path", w.path)
		}
		if !w.broken && w.failed == nil && len(w.ahead) > 0 {
			w.fail("close", errMissingData)
		}
		w.ahead = nil
		return w.failed
	}
	return status(w.h.log, "close", w.path, w.up.Commit(w.h.ctx))
}
