package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // snapshots
	_ "image/png"
	"io"
	"os"
	"strings"
)

// Media is what a file is: its container by its first bytes, its streams,
// and for an MP4 how its boxes are laid out.
type Media struct {
	Container Container
	Info
	FastStart  bool // MP4 with its index first
	Fragmented bool // fragmented MP4
}

// Inspect describes a file. An MP4 whose header says everything is read in
// Go; other files, and MP4s that leave something unsaid, go to ffprobe.
// A file at fault gives an *Error.
func (t Tools) Inspect(ctx context.Context, path string) (Media, error) {
	f, err := os.Open(path)
	if err != nil {
		return Media{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Media{}, err
	}
	head := make([]byte, SniffLen)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Media{}, err
	}
	m := Media{Container: Sniff(head[:n])}
	switch {
	case n == 0:
		return m, &Error{Key: ReasonUnreadable, Err: errors.New("empty file")}
	case m.Container.IsImage():
		return m, inspectImage(f, st.Size(), &m)
	case m.Container == MP4:
		h, err := ReadMP4(f, st.Size())
		if errors.Is(err, ErrTruncated) {
			return m, &Error{Key: ReasonTruncated, Err: err}
		}
		m.FastStart, m.Fragmented = h.FastStart, h.Fragmented
		if err == nil && h.Complete() {
			m.Info, m.Format = h.Info, "mov,mp4,m4a,3gp,3g2,mj2"
			return m, nil
		}
	}
	if m.Info, err = t.Probe(ctx, path); err != nil {
		return m, err
	}
	if m.Container == Unknown {
		m.Container = Container(strings.Split(m.Format, ",")[0])
	}
	return m, nil
}

// inspectImage checks a picture has its end marker (a cut upload has not)
// and reads its size.
func inspectImage(f *os.File, size int64, m *Media) error {
	tail := make([]byte, min(size, 4096))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return err
	}
	tail = bytes.TrimRight(tail, "\x00") // cameras pad after the end marker
	end := map[Container][]byte{JPEG: {0xFF, 0xD9}, PNG: []byte("IEND\xaeB`\x82")}[m.Container]
	if !bytes.HasSuffix(tail, end) {
		return &Error{Key: ReasonTruncated, Err: fmt.Errorf("the %s has no end marker", m.Container)}
	}
	cfg, format, err := image.DecodeConfig(io.NewSectionReader(f, 0, size))
	if err != nil {
		return &Error{Key: ReasonUnreadable, Err: fmt.Errorf("unreadable image: %w", err)}
	}
	m.Codec, m.Width, m.Height = format, cfg.Width, cfg.Height
	return nil
}
