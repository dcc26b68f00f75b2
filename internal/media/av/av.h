// The C side of package av: libavformat/libavcodec/libswscale calls that
// describe a clip and render what the pipeline derives from it in one pass.
#ifndef C2D_AV_H
#define C2D_AV_H

#include <stdint.h>

typedef struct {
	char format[64];    // demuxer name, e.g. "mpeg", "dhav", "mov,mp4,m4a,3gp,3g2,mj2"
	int64_t duration_ms; // 0 when unknown
	char codec[32];     // first video stream's codec name; "" when none
	char pix_fmt[32];
	int width, height;
	char audio[32];     // first audio stream's codec name; "" when none
} c2d_info;

typedef struct {
	const char *media;  // playable MP4 to write (stream copy); NULL or "" for none
	int hvc1;           // tag H.265 hvc1
	int audio_copy;     // copy the first audio stream (AAC, MP3)
	const char *thumb, *poster, *strip;
	int64_t duration_ms; // spaces the strip
	int64_t poster_ms;   // where the poster and thumbnail are taken
	int thumb_width, poster_max_width;
	int strip_frames, strip_width, strip_height;
	int thumb_q, poster_q, strip_q; // JPEG qscale, as ffmpeg's -q:v
} c2d_plan;

// Error classes returned (negated) by the functions below.
enum {
	C2D_OK = 0,
	C2D_ERR_UNREADABLE = 1, // the file is at fault
	C2D_ERR_NO_VIDEO = 2,
	C2D_ERR_NO_PICTURE = 3, // no key frame decoded
	C2D_ERR_OUTPUT = 4,     // writing an output failed (disk)
};

// c2d_input is a file opened and its streams read: what a description
// costs (for MPEG-PS, most of the work), done once for describe and render.
typedef struct c2d_input c2d_input;

// c2d_quiet keeps the libraries' messages to errors, as ffmpeg -v error.
void c2d_quiet(void);
int c2d_open(const char *in, c2d_input **out, char *err, int errlen);
void c2d_describe(const c2d_input *in, c2d_info *out);
// c2d_render reads in to its end (or until the pictures are done when no
// copy is asked): an input is rendered once, then closed.
int c2d_render(c2d_input *in, const c2d_plan *p, char *err, int errlen);
void c2d_close(c2d_input *in);

#endif
