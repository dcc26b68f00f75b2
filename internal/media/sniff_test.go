package media

import (
	"bytes"
	"os"
	"testing"
)

func TestSniffMagicBytes(t *testing.T) {
	ts := make([]byte, 400)
	ts[0], ts[188], ts[376] = 0x47, 0x47, 0x47
	cases := []struct {
		name string
		head []byte
		want Container
	}{
		// ffmpeg cannot write Dahua's DHAV: its magic bytes stand in for a file.
		{"dahua dav", append([]byte("DHAV\xfd\x00\x00\x00"), make([]byte, 40)...), DHAV},
		{"dahua dav with DAHUA header", []byte("DAHUA\x00\x00\x00\x00\x00\x00\x00DHAV"), DHAV},
		{"hikvision", append([]byte("IMKH\x01\x01\x00\x00"), make([]byte, 32)...), IMKH},
		{"mpeg-ps", []byte{0, 0, 1, 0xBA, 0x44, 0, 4, 0, 4, 1}, MPEGPS},
		{"mpeg-ts", ts, MPEGTS},
		{"mp4 ftyp", []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), MP4},
		{"mov starting with wide", []byte("\x00\x00\x00\x08wide\x00\x00\x00\x00mdat"), MP4},
		{"mkv", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"), MKV},
		{"webm", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm"), WebM},
		{"avi", []byte("RIFF\x00\x10\x00\x00AVI LIST"), AVI},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, JPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), PNG},
		{"text", []byte("not video not video"), Unknown},
		{"empty", nil, Unknown},
		{"short", []byte{0, 0}, Unknown},
		{"a .mp4 name with DHAV inside", []byte("DHAV"), DHAV},
	}
	for _, c := range cases {
		if got := Sniff(c.head); got != c.want {
			t.Errorf("%s: Sniff = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSniffRealFiles(t *testing.T) {
	cases := []struct {
		name string
		out  []string
		want Container
	}{
		{"clip.mp4", []string{"-an", "-c:v", "libx264", "-preset", "ultrafast"}, MP4},
		{"frag.mp4", []string{"-an", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "frag_keyframe+empty_moov"}, MP4},
		// A recorder's ".mp4" that is MPEG-PS inside: the bytes decide.
		{"ps.mp4", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "mp2", "-f", "mpeg"}, MPEGPS},
		{"clip.mkv", []string{"-c:v", "libx264", "-preset", "ultrafast"}, MKV},
		{"clip.ts", []string{"-c:v", "libx264", "-preset", "ultrafast"}, MPEGTS},
		{"still.jpg", []string{"-frames:v", "1"}, JPEG},
	}
	for _, c := range cases {
		b, err := os.ReadFile(encode(t, c.name, c.out...))
		if err != nil {
			t.Fatal(err)
		}
		if got := Sniff(b[:min(len(b), SniffLen)]); got != c.want {
			t.Errorf("%s: Sniff = %q, want %q (starts %q)", c.name, got, c.want, bytes.ToValidUTF8(b[:16], []byte("?")))
		}
	}
}
