package media

import "bytes"

// Container names what the first bytes of a file say it is, whatever its
// extension: recorders upload DHAV or MPEG-PS under ".mp4" names.
type Container string

const (
	Unknown Container = ""
	MP4     Container = "mp4" // ISO BMFF / QuickTime (fragmented or not)
	DHAV    Container = "dhav"
	MPEGPS  Container = "mpegps"
	IMKH    Container = "imkh" // Hikvision: a 40-byte header, then MPEG-PS
	MPEGTS  Container = "mpegts"
	MKV     Container = "mkv"
	WebM    Container = "webm"
	AVI     Container = "avi"
	JPEG    Container = "jpeg"
	PNG     Container = "png"
)

// SniffLen is how many leading bytes Sniff wants (fewer work for most formats).
const SniffLen = 512

// IsImage tells whether c is a still picture.
func (c Container) IsImage() bool { return c == JPEG || c == PNG }

// mp4Boxes are the box types an ISO BMFF file may start with.
var mp4Boxes = [][]byte{[]byte("ftyp"), []byte("moov"), []byte("mdat"), []byte("free"), []byte("skip"), []byte("wide"), []byte("styp"), []byte("sidx"), []byte("moof")}

// Sniff recognises a container from the first bytes of a file.
func Sniff(head []byte) Container {
	switch {
	case bytes.HasPrefix(head, []byte("DHAV")), bytes.HasPrefix(head, []byte("DAHUA")):
		return DHAV
	case bytes.HasPrefix(head, []byte("IMKH")):
		return IMKH
	case bytes.HasPrefix(head, []byte{0, 0, 1, 0xBA}):
		return MPEGPS
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		if bytes.Contains(head[:min(len(head), 64)], []byte("webm")) {
			return WebM
		}
		return MKV
	case len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "AVI ":
		return AVI
	case isTS(head):
		return MPEGTS
	case len(head) >= 8:
		for _, b := range mp4Boxes {
			if bytes.Equal(head[4:8], b) {
				return MP4
			}
		}
	}
	return Unknown
}

// isTS checks the MPEG-TS sync byte at the start of the first packets.
func isTS(head []byte) bool {
	return len(head) > 376 && head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47
}
