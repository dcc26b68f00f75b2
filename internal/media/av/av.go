// Package av is the AV worker: a process that keeps the FFmpeg libraries
// loaded and describes and renders clips on request (see media.AVPool,
// which starts it). It is the only cgo code of the media pipeline.
package av

/*
#cgo pkg-config: libavformat libavcodec libswscale libavutil
#include <stdlib.h>
#include "av.h"
*/
import "C"

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unsafe"

	"github.com/cam2drive/cam2drive/internal/media"
)

func init() { C.c2d_quiet() }

var faults = map[C.int]string{C.C2D_ERR_UNREADABLE: "unreadable", C.C2D_ERR_NO_VIDEO: "no_video", C.C2D_ERR_NO_PICTURE: "no_picture", C.C2D_ERR_OUTPUT: "output"}

// reply turns a C result into a reply.
func reply(rc C.int, errBuf []C.char) media.AVReply {
	if rc == 0 {
		return media.AVReply{}
	}
	return media.AVReply{Fault: faults[-rc], Err: C.GoString(&errBuf[0])}
}

// input is a file opened and its streams read, kept by the worker between
// a description and the render that usually follows it for the same file.
type input struct {
	c    *C.c2d_input
	url  string
	file os.FileInfo // what was opened, so a file put in its place since is opened anew
}

func open(url string) (*input, media.AVReply) {
	st, err := os.Stat(strings.TrimPrefix(url, "file:"))
	if err != nil {
		return nil, media.AVReply{Fault: "unreadable", Err: err.Error()}
	}
	cin := C.CString(url)
	defer C.free(unsafe.Pointer(cin))
	errBuf := make([]C.char, 512)
	in := &input{url: url, file: st}
	if r := reply(C.c2d_open(cin, &in.c, &errBuf[0], C.int(len(errBuf))), errBuf); r.Fault != "" {
		return nil, r
	}
	return in, media.AVReply{}
}

func (in *input) close() { C.c2d_close(in.c) }

// same says whether the file at url is still the one in describes.
func (in *input) same(url string) bool {
	if in == nil || in.url != url {
		return false
	}
	st, err := os.Stat(strings.TrimPrefix(url, "file:"))
	return err == nil && os.SameFile(st, in.file) && st.Size() == in.file.Size() && st.ModTime().Equal(in.file.ModTime())
}

func (in *input) describe() media.AVReply {
	var info C.c2d_info
	C.c2d_describe(in.c, &info)
	return media.AVReply{Info: &media.Info{
		Format: C.GoString(&info.format[0]), Duration: time.Duration(info.duration_ms) * time.Millisecond,
		Codec: C.GoString(&info.codec[0]), PixFmt: C.GoString(&info.pix_fmt[0]),
		Width: int(info.width), Height: int(info.height), Audio: C.GoString(&info.audio[0]),
	}}
}

// render makes the playable copy (when p.Media is set) and the pictures.
func (in *input) render(p *media.AVPlan) media.AVReply {
	var strs []*C.char
	cstr := func(s string) *C.char {
		if s == "" {
			return nil
		}
		c := C.CString(s)
		strs = append(strs, c)
		return c
	}
	defer func() {
		for _, c := range strs {
			C.free(unsafe.Pointer(c))
		}
	}()
	cp := C.c2d_plan{
		media: cstr(p.Media), hvc1: cbool(p.HVC1), audio_copy: cbool(p.AudioCopy),
		thumb: cstr(p.Thumb), poster: cstr(p.Poster), strip: cstr(p.Strip), duration_ms: C.int64_t(p.DurationMS), poster_ms: C.int64_t(p.PosterMS),
		thumb_width: C.int(p.ThumbWidth), poster_max_width: C.int(p.PosterMaxWidth),
		strip_frames: C.int(p.StripFrames), strip_width: C.int(p.StripWidth), strip_height: C.int(p.StripHeight),
		thumb_q: 5, poster_q: 3, strip_q: 5, // as the command line's -q:v
	}
	errBuf := make([]C.char, 512)
	return reply(C.c2d_render(in.c, &cp, &errBuf[0], C.int(len(errBuf))), errBuf)
}

// Inspect describes the file at url (an FFmpeg URL: "file:/path").
func Inspect(url string) media.AVReply {
	in, r := open(url)
	if in == nil {
		return r
	}
	defer in.close()
	return in.describe()
}

// Render makes the playable copy (when p.Media is set) and the pictures.
func Render(p *media.AVPlan) media.AVReply {
	in, r := open(p.In)
	if in == nil {
		return r
	}
	defer in.close()
	return in.render(p)
}

// server answers a worker's requests. It keeps the input a description
// opened: the pipeline renders the file it has just described, and for
// MPEG-PS reading the streams again would cost as much as the render.
type server struct {
	kept *input
}

func (s *server) drop() {
	if s.kept != nil {
		s.kept.close()
		s.kept = nil
	}
}

func (s *server) inspect(url string) media.AVReply {
	s.drop()
	in, r := open(url)
	if in == nil {
		return r
	}
	s.kept = in
	return in.describe()
}

func (s *server) render(p *media.AVPlan) media.AVReply {
	in := s.kept
	s.kept = nil
	if !in.same(p.In) {
		if in != nil {
			in.close()
		}
		var r media.AVReply
		if in, r = open(p.In); in == nil {
			return r
		}
	}
	defer in.close()
	return in.render(p)
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Serve answers requests, one JSON line each, until in ends.
func Serve(in io.Reader, out io.Writer) error {
	enc := json.NewEncoder(out)
	if err := enc.Encode(media.AVReply{Ready: true}); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReader(in))
	var s server
	defer s.drop()
	for {
		var req media.AVRequest
		if err := dec.Decode(&req); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		var r media.AVReply
		switch {
		case req.Render != nil:
			r = s.render(req.Render)
		case req.Inspect != "":
			r = s.inspect(req.Inspect)
		case req.Release != "":
			if s.kept != nil && s.kept.url == req.Release {
				s.drop()
			}
		default:
			r = media.AVReply{Fault: "output", Err: "empty request"}
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
}

// Main is the worker process: main() calls it when media.AVWorkerEnv is set.
func Main() int {
	if err := Serve(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "av worker:", err)
		return 1
	}
	return 0
}
