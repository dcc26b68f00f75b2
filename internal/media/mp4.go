package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// An MP4 from a recorder is described from its boxes, in Go: running ffprobe
// costs a process start (about 0.2 s of CPU with Debian's build), more than
// the rest of the work on a clip that browsers play as it is.

// ErrTruncated says a file ends inside one of its boxes: a cut upload.
var ErrTruncated = errors.New("truncated: the file ends inside a box")

// MP4Header is what an MP4's boxes say.
type MP4Header struct {
	Info
	FastStart  bool // the index (moov) comes before the media data: playback starts at once
	Fragmented bool // movie fragments (Reolink): durations are not in the header
}

// Complete tells whether the header says everything Probe would: otherwise
// ask ffprobe.
func (h MP4Header) Complete() bool {
	return !h.Fragmented && h.Codec != "" && h.Width > 0 && h.Height > 0 && h.Duration > 0 && h.PixFmt != ""
}

// maxMoov bounds the index read in memory (an hour at 30 fps is well under 2 MB).
const maxMoov = 64 << 20

// ReadMP4 walks the top-level boxes of an MP4 of size bytes, checks they
// fill the file exactly (ErrTruncated when the last one is cut) and reads
// the index.
func ReadMP4(r io.ReaderAt, size int64) (MP4Header, error) {
	var h MP4Header
	var moovAt, moovLen int64 = -1, 0
	mdat := false
	for off := int64(0); off < size; {
		typ, hlen, blen, err := boxAt(r, off, size)
		if err != nil {
			return h, err
		}
		switch typ {
		case "moov":
			moovAt, moovLen, h.FastStart = off+hlen, blen-hlen, !mdat
		case "mdat":
			mdat = true
		case "moof":
			h.Fragmented = true
		}
		off += blen
	}
	if moovAt < 0 {
		return h, errors.New("no moov box")
	}
	if moovLen > maxMoov {
		return h, fmt.Errorf("moov box of %d bytes", moovLen)
	}
	moov := make([]byte, moovLen)
	if _, err := r.ReadAt(moov, moovAt); err != nil {
		return h, err
	}
	return h, h.readMoov(moov, size)
}

// boxAt reads the header of the box at off: its type, header length and
// total length (a size of 0 means "to the end of the file").
func boxAt(r io.ReaderAt, off, size int64) (string, int64, int64, error) {
	var b [16]byte
	n, err := r.ReadAt(b[:], off)
	if n < 8 {
		if err == nil || err == io.EOF {
			err = ErrTruncated
		}
		return "", 0, 0, err
	}
	typ, blen, hlen := string(b[4:8]), int64(binary.BigEndian.Uint32(b[:4])), int64(8)
	switch blen {
	case 0:
		blen = size - off
	case 1:
		if n < 16 {
			return "", 0, 0, ErrTruncated
		}
		blen, hlen = int64(binary.BigEndian.Uint64(b[8:16])), 16
	}
	if blen < hlen {
		return "", 0, 0, fmt.Errorf("box %q at %d: invalid size %d", typ, off, blen)
	}
	if off+blen > size {
		return "", 0, 0, fmt.Errorf("%w (%q box at %d needs %d bytes, %d left)", ErrTruncated, typ, off, blen, size-off)
	}
	return typ, hlen, blen, nil
}

// children splits a box body into its child boxes, by type (first of each).
func children(body []byte) map[string][]byte {
	out := map[string][]byte{}
	each(body, func(typ string, b []byte) {
		if _, ok := out[typ]; !ok {
			out[typ] = b
		}
	})
	return out
}

// each calls fn for every well-formed child box of body, in order.
func each(body []byte, fn func(typ string, b []byte)) {
	for len(body) >= 8 {
		n := int(binary.BigEndian.Uint32(body[:4]))
		if n < 8 || n > len(body) {
			return
		}
		fn(string(body[4:8]), body[8:n])
		body = body[n:]
	}
}

func (h *MP4Header) readMoov(moov []byte, size int64) error {
	c := children(moov)
	if _, ok := c["mvex"]; ok {
		h.Fragmented = true
	}
	if d, ok := fullDuration(c["mvhd"]); ok {
		h.Duration = d
	}
	var err error
	each(moov, func(typ string, b []byte) {
		if typ == "trak" && err == nil {
			err = h.readTrak(b, size)
		}
	})
	if err == nil && h.Codec == "" {
		err = errors.New("no video track")
	}
	return err
}

// fullDuration reads timescale and duration from an mvhd or mdhd body.
func fullDuration(b []byte) (time.Duration, bool) {
	if len(b) < 24 {
		return 0, false
	}
	var scale, dur uint64
	if b[0] == 1 {
		if len(b) < 32 {
			return 0, false
		}
		scale, dur = uint64(binary.BigEndian.Uint32(b[20:24])), binary.BigEndian.Uint64(b[24:32])
	} else {
		scale, dur = uint64(binary.BigEndian.Uint32(b[12:16])), uint64(binary.BigEndian.Uint32(b[16:20]))
	}
	if scale == 0 || dur == 0 || dur == 0xFFFFFFFF {
		return 0, false
	}
	return time.Duration(float64(dur) / float64(scale) * float64(time.Second)), true
}

func (h *MP4Header) readTrak(trak []byte, size int64) error {
	mdia := children(children(trak)["mdia"])
	hdlr := mdia["hdlr"]
	if len(hdlr) < 12 {
		return nil
	}
	stbl := children(children(mdia["minf"])["stbl"])
	if err := checkChunks(stbl, size); err != nil {
		return err
	}
	fourcc, entry := firstEntry(stbl["stsd"])
	switch string(hdlr[8:12]) {
	case "vide":
		if h.Codec != "" || len(entry) < 28 {
			return nil
		}
		h.Codec = codecName(fourcc)
		h.Width, h.Height = int(binary.BigEndian.Uint16(entry[24:26])), int(binary.BigEndian.Uint16(entry[26:28]))
		h.PixFmt = pixFmt(h.Codec, entry)
		if h.Duration == 0 {
			h.Duration, _ = fullDuration(mdia["mdhd"])
		}
	case "soun":
		if h.Audio == "" {
			h.Audio = codecName(fourcc)
		}
	}
	return nil
}

// firstEntry returns the fourcc and body of an stsd box's first sample entry.
func firstEntry(stsd []byte) (string, []byte) {
	if len(stsd) < 16 {
		return "", nil
	}
	n := int(binary.BigEndian.Uint32(stsd[8:12]))
	if n < 8 || 8+n > len(stsd) {
		return "", nil
	}
	return string(stsd[12:16]), stsd[16 : 8+n]
}

// checkChunks makes sure every chunk of media starts inside the file.
func checkChunks(stbl map[string][]byte, size int64) error {
	width, b := 4, stbl["stco"]
	if b == nil {
		width, b = 8, stbl["co64"]
	}
	if len(b) < 8 {
		return nil
	}
	n := int(binary.BigEndian.Uint32(b[4:8]))
	b = b[8:]
	if n*width > len(b) {
		return errors.New("chunk offset table cut short")
	}
	for i := 0; i < n; i++ {
		var off int64
		if width == 4 {
			off = int64(binary.BigEndian.Uint32(b[i*4:]))
		} else {
			off = int64(binary.BigEndian.Uint64(b[i*8:]))
		}
		if off >= size {
			return fmt.Errorf("%w (a chunk starts at %d, the file has %d bytes)", ErrTruncated, off, size)
		}
	}
	return nil
}

// codecName names a sample entry's codec as ffprobe does.
func codecName(fourcc string) string {
	switch fourcc {
	case "avc1", "avc3":
		return "h264"
	case "hvc1", "hev1":
		return "hevc"
	case "mp4v":
		return "mpeg4"
	case "mp4a":
		return "aac" // or MP3 in MP4: browsers play both
	case "alaw":
		return "pcm_alaw"
	case "ulaw":
		return "pcm_mulaw"
	case "Opus":
		return "opus"
	case "ac-3":
		return "ac3"
	case "jpeg":
		return "mjpeg"
	}
	return strings.ToLower(strings.TrimSpace(fourcc))
}

// pixFmt infers the pixel format from the profile in an H.264 entry's avcC
// (baseline, main, extended, high: 8-bit 4:2:0, what browsers decode) or an
// H.265 entry's hvcC (main). "" when unknown: ffprobe then says.
func pixFmt(codec string, entry []byte) string {
	if len(entry) < 78 {
		return ""
	}
	c := children(entry[78:])
	switch {
	case codec == "h264" && len(c["avcC"]) >= 2:
		switch c["avcC"][1] {
		case 66, 77, 88, 100:
			return "yuv420p"
		}
	case codec == "hevc" && len(c["hvcC"]) >= 2 && c["hvcC"][1]&0x1F == 1:
		return "yuv420p"
	}
	return ""
}
