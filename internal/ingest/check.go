package ingest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cam2drive/cam2drive"
)

var (
	jpegStart = []byte{0xFF, 0xD8}
	jpegEnd   = []byte{0xFF, 0xD9}
	pngStart  = []byte("\x89PNG\r\n\x1a\n")
	pngEnd    = []byte("IEND\xaeB`\x82")
)

// checkImage verifies a snapshot has both ends of its format: a JPEG its
// SOI and EOI markers (cameras sometimes pad after EOI with zeros), a PNG
// its signature and IEND chunk.
func checkImage(f *os.File, size int64, name string) error {
	head := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil && err != io.EOF {
		return err
	}
	tailLen := min(size, 4096)
	tail := make([]byte, tailLen)
	if _, err := f.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return err
	}
	tail = bytes.TrimRight(tail, "\x00")
	incomplete := cam2drive.Errorf(cam2drive.CodeInvalid, "incomplete_file")
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", "":
		if !bytes.HasPrefix(head, jpegStart) || !bytes.HasSuffix(tail, jpegEnd) {
			return incomplete
		}
	case ".png":
		if !bytes.HasPrefix(head, pngStart) || !bytes.HasSuffix(tail, pngEnd) {
			return incomplete
		}
	}
	return nil
}
