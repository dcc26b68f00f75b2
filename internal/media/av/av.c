// One pass over a clip with the FFmpeg libraries: the packets are copied
// into a faststart MP4 when asked, and the few key frames the pictures need
// (poster, thumbnail, strip) are decoded on the way. This is what the
// ffmpeg command line does for the pipeline, without starting a process
// that loads two hundred shared libraries for every clip.
#include "av.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_STRIP 16

void c2d_quiet(void) { av_log_set_level(AV_LOG_ERROR); }

static void seterr(char *err, int errlen, const char *what, int code) {
	char buf[128];
	av_strerror(code, buf, sizeof buf);
	snprintf(err, errlen, "%s: %s", what, buf);
}

// open_input opens a local file only: a crafted playlist must not make the
// worker fetch URLs or read other files.
static int open_input(const char *in, AVFormatContext **out, char *err, int errlen) {
	AVFormatContext *fc = avformat_alloc_context();
	if (!fc) {
		snprintf(err, errlen, "out of memory");
		return -C2D_ERR_OUTPUT;
	}
	AVDictionary *opts = NULL;
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	// The frame rate is not needed (timestamps are copied): reading twenty
	// frames of MPEG-PS to guess it would cost more than the copy.
	fc->fps_probe_size = 0;
	int r = avformat_open_input(&fc, in, NULL, &opts);
	av_dict_free(&opts);
	if (r < 0) {
		seterr(err, errlen, "open", r);
		return -C2D_ERR_UNREADABLE;
	}
	if ((r = avformat_find_stream_info(fc, NULL)) < 0) {
		avformat_close_input(&fc);
		seterr(err, errlen, "read streams", r);
		return -C2D_ERR_UNREADABLE;
	}
	*out = fc;
	return 0;
}

static int is_video(const AVStream *s) {
	return s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && s->codecpar->codec_id != AV_CODEC_ID_NONE &&
	       !(s->disposition & AV_DISPOSITION_ATTACHED_PIC);
}

struct c2d_input {
	AVFormatContext *fc;
};

int c2d_open(const char *in, c2d_input **out, char *err, int errlen) {
	*out = NULL;
	c2d_input *ci = av_mallocz(sizeof *ci);
	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return -C2D_ERR_OUTPUT;
	}
	int r = open_input(in, &ci->fc, err, errlen);
	if (r) {
		av_free(ci);
		return r;
	}
	*out = ci;
	return 0;
}

void c2d_close(c2d_input *ci) {
	if (!ci)
		return;
	avformat_close_input(&ci->fc);
	av_free(ci);
}

void c2d_describe(const c2d_input *ci, c2d_info *o) {
	memset(o, 0, sizeof *o);
	const AVFormatContext *fc = ci->fc;
	av_strlcpy(o->format, fc->iformat->name, sizeof o->format);
	if (fc->duration > 0 && fc->duration != AV_NOPTS_VALUE)
		o->duration_ms = fc->duration / 1000;
	for (unsigned i = 0; i < fc->nb_streams; i++) {
		const AVStream *s = fc->streams[i];
		const AVCodecParameters *cp = s->codecpar;
		if (is_video(s) && !o->codec[0]) {
			av_strlcpy(o->codec, avcodec_get_name(cp->codec_id), sizeof o->codec);
			const char *pf = cp->format >= 0 ? av_get_pix_fmt_name(cp->format) : NULL;
			if (pf)
				av_strlcpy(o->pix_fmt, pf, sizeof o->pix_fmt);
			o->width = cp->width;
			o->height = cp->height;
		} else if (cp->codec_type == AVMEDIA_TYPE_AUDIO && !o->audio[0]) {
			av_strlcpy(o->audio, avcodec_get_name(cp->codec_id), sizeof o->audio);
		}
	}
}

// picture is an output JPEG: one frame, or a strip of frames side by side.
typedef struct {
	AVFrame *f;
	struct SwsContext *sws;
	int slots, slot_w, filled;
} picture;

static int even(int v) { return v < 2 ? 2 : v & ~1; }

static int alloc_picture(picture *p, int w, int h, int slots) {
	p->f = av_frame_alloc();
	if (!p->f)
		return AVERROR(ENOMEM);
	p->f->format = AV_PIX_FMT_YUVJ420P;
	p->f->width = w * slots;
	p->f->height = h;
	p->slots = slots;
	p->slot_w = w;
	int r = av_frame_get_buffer(p->f, 0);
	if (r < 0)
		return r;
	for (int y = 0; y < h; y++)
		memset(p->f->data[0] + y * p->f->linesize[0], 0, p->f->width);
	for (int y = 0; y < h / 2; y++) {
		memset(p->f->data[1] + y * p->f->linesize[1], 128, p->f->width / 2);
		memset(p->f->data[2] + y * p->f->linesize[2], 128, p->f->width / 2);
	}
	return 0;
}

static void free_picture(picture *p) {
	av_frame_free(&p->f);
	sws_freeContext(p->sws);
	p->sws = NULL;
}

// put scales src into slot k of p.
static int put(picture *p, int k, const AVFrame *src) {
	p->sws = sws_getCachedContext(p->sws, src->width, src->height, src->format, p->slot_w, p->f->height,
	                              AV_PIX_FMT_YUVJ420P, p->slots > 1 ? SWS_FAST_BILINEAR : SWS_BICUBIC, NULL, NULL, NULL);
	if (!p->sws)
		return AVERROR(EINVAL);
	uint8_t *dst[4] = {p->f->data[0] + k * p->slot_w, p->f->data[1] + k * p->slot_w / 2,
	                   p->f->data[2] + k * p->slot_w / 2, NULL};
	int r = sws_scale(p->sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dst, p->f->linesize);
	if (r <= 0)
		return AVERROR(EINVAL);
	p->filled |= 1 << k;
	return 0;
}

static int write_jpeg(const AVFrame *f, int q, const char *path, char *err, int errlen) {
	const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
	AVCodecContext *ec = c ? avcodec_alloc_context3(c) : NULL;
	AVPacket *pkt = av_packet_alloc();
	AVFrame *fr = av_frame_clone(f);
	int r = AVERROR(ENOMEM);
	if (!ec || !pkt || !fr)
		goto out;
	ec->width = f->width;
	ec->height = f->height;
	ec->pix_fmt = AV_PIX_FMT_YUVJ420P;
	ec->time_base = (AVRational){1, 25};
	ec->flags |= AV_CODEC_FLAG_QSCALE;
	ec->global_quality = FF_QP2LAMBDA * q;
	if ((r = avcodec_open2(ec, c, NULL)) < 0)
		goto out;
	fr->quality = ec->global_quality;
	fr->pts = 0;
	if ((r = avcodec_send_frame(ec, fr)) < 0 || (r = avcodec_receive_packet(ec, pkt)) < 0)
		goto out;
	FILE *o = fopen(path, "wb");
	if (!o) {
		r = AVERROR(errno);
		goto out;
	}
	size_t n = fwrite(pkt->data, 1, pkt->size, o);
	int cerr = fclose(o);
	r = n == (size_t)pkt->size && cerr == 0 ? 0 : AVERROR(EIO);
out:
	if (r < 0)
		seterr(err, errlen, "write picture", r);
	av_frame_free(&fr);
	av_packet_free(&pkt);
	avcodec_free_context(&ec);
	return r < 0 ? -C2D_ERR_OUTPUT : 0;
}

// decoder turns the chosen key frames into pictures, each on its own: the
// decoder is drained and flushed after each, so no frame depends on another.
typedef struct {
	AVCodecContext *dc;
	AVFrame *frame, *spare;
} decoder;

static int open_decoder(decoder *d, const AVStream *s) {
	const AVCodec *c = avcodec_find_decoder(s->codecpar->codec_id);
	if (!c)
		return AVERROR_DECODER_NOT_FOUND;
	d->dc = avcodec_alloc_context3(c);
	d->frame = av_frame_alloc();
	d->spare = av_frame_alloc();
	if (!d->dc || !d->frame || !d->spare)
		return AVERROR(ENOMEM);
	int r = avcodec_parameters_to_context(d->dc, s->codecpar);
	if (r < 0)
		return r;
	d->dc->thread_count = 1;
	d->dc->pkt_timebase = s->time_base;
	return avcodec_open2(d->dc, c, NULL);
}

static void close_decoder(decoder *d) {
	avcodec_free_context(&d->dc);
	av_frame_free(&d->frame);
	av_frame_free(&d->spare);
}

// decode returns the picture of key frame pkt, or NULL when it gives none.
static const AVFrame *decode(decoder *d, const AVPacket *pkt) {
	av_frame_unref(d->frame);
	int got = 0;
	if (avcodec_send_packet(d->dc, pkt) >= 0 && avcodec_send_packet(d->dc, NULL) >= 0) {
		for (;;) {
			AVFrame *into = got ? d->spare : d->frame;
			if (avcodec_receive_frame(d->dc, into) < 0)
				break;
			if (got)
				av_frame_unref(d->spare);
			got = 1;
		}
	}
	avcodec_flush_buffers(d->dc);
	return got ? d->frame : NULL;
}

// The pictures' targets: strip slot k at k × duration / slots, the poster
// (and thumbnail) at the plan's poster time (one of the strip's, so one
// decode serves both). Each takes the last key frame at or before its
// time, or the first one after when there is none before.
typedef struct {
	int64_t at;  // in the video stream's time base, from its start
	picture *pic;
	int slot;
	picture *also; // the thumbnail, made from the poster's frame
	int done;
} target;

typedef struct {
	decoder dec;
	target t[MAX_STRIP + 1];
	int n, pending;
	AVPacket *last; // the last key frame seen, not decoded yet
	int64_t last_at;
	const AVFrame *last_pic; // its picture, once decoded
	int last_decoded;
} picker;

static int fill(target *t, const AVFrame *f) {
	int r = put(t->pic, t->slot, f);
	if (r >= 0 && t->also)
		r = put(t->also, 0, f);
	if (r >= 0) {
		t->done = 1;
	}
	return r;
}

// wanted says whether target t takes its picture now: before `at`, or at
// the end (pkt NULL).
static int wanted(const target *t, int64_t at, const AVPacket *pkt) { return !t->done && (!pkt || t->at < at); }

// decode_for decodes pkt for the targets that take it now. Only the poster
// is seen large: for the strip's and thumbnail's small pictures the
// deblocking filter changes nothing visible and costs a fifth of a decode.
static const AVFrame *decode_for(picker *pk, const AVPacket *pkt, int64_t at, const AVPacket *next) {
	int poster = 0;
	for (int i = 0; i < pk->n; i++)
		if (wanted(&pk->t[i], at, next) && pk->t[i].also)
			poster = 1;
	pk->dec.dc->skip_loop_filter = poster ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
	return decode(&pk->dec, pkt);
}

// settle gives the targets before `at` the last key frame, or the one at
// `at` (pkt) when there was none before or it gave no picture.
static int settle(picker *pk, int64_t at, const AVPacket *pkt) {
	for (int i = 0; i < pk->n; i++) {
		target *t = &pk->t[i];
		if (!wanted(t, at, pkt))
			continue;
		const AVFrame *f = NULL;
		if (pk->last) {
			if (!pk->last_decoded) {
				pk->last_pic = decode_for(pk, pk->last, at, pkt);
				pk->last_decoded = 1;
			}
			f = pk->last_pic;
		}
		if (!f && pkt) {
			f = decode_for(pk, pkt, at, pkt);
			pk->last_pic = NULL; // the decoder's frame now holds pkt's picture
			pk->last_decoded = 0;
		}
		if (!f)
			continue;
		int r = fill(t, f);
		if (r < 0)
			return r;
		pk->pending--;
	}
	return 0;
}

// see is called for every key frame of the video stream, in order.
static int see(picker *pk, const AVPacket *pkt, int64_t at) {
	int r = settle(pk, at, pkt);
	if (r < 0)
		return r;
	av_packet_unref(pk->last);
	if ((r = av_packet_ref(pk->last, pkt)) < 0)
		return r;
	pk->last_at = at;
	pk->last_decoded = 0;
	pk->last_pic = NULL;
	return 0;
}

// muxer copies packets into the playable MP4.
typedef struct {
	AVFormatContext *oc;
	int map[2];    // input stream index of output 0 (video) and 1 (audio)
	int64_t last_dts[2];
	int64_t offset[2]; // start time in each input stream's time base
	int started;       // a video key frame was written
	int64_t written;
} muxer;

static int open_muxer(muxer *m, AVFormatContext *fc, const c2d_plan *p, int vi, int ai, char *err, int errlen) {
	int r = avformat_alloc_output_context2(&m->oc, NULL, "mp4", p->media);
	if (r < 0) {
		seterr(err, errlen, "mp4 muxer", r);
		return -C2D_ERR_OUTPUT;
	}
	m->map[0] = vi;
	m->map[1] = ai;
	for (int k = 0; k < 2; k++) {
		m->last_dts[k] = AV_NOPTS_VALUE;
		m->offset[k] = 0;
		if (m->map[k] < 0)
			continue;
		AVStream *is = fc->streams[m->map[k]];
		AVStream *os = avformat_new_stream(m->oc, NULL);
		if (!os || (r = avcodec_parameters_copy(os->codecpar, is->codecpar)) < 0) {
			seterr(err, errlen, "mp4 stream", os ? r : AVERROR(ENOMEM));
			return -C2D_ERR_OUTPUT;
		}
		os->codecpar->codec_tag = k == 0 && p->hvc1 ? MKTAG('h', 'v', 'c', '1') : 0;
		os->time_base = is->time_base;
		if (fc->start_time != AV_NOPTS_VALUE)
			m->offset[k] = av_rescale_q(fc->start_time, AV_TIME_BASE_Q, is->time_base);
	}
	m->oc->avoid_negative_ts = AVFMT_AVOID_NEG_TS_MAKE_ZERO;
	if ((r = avio_open(&m->oc->pb, p->media, AVIO_FLAG_WRITE)) < 0) {
		seterr(err, errlen, "create mp4", r);
		return -C2D_ERR_OUTPUT;
	}
	AVDictionary *opts = NULL;
	av_dict_set(&opts, "movflags", "+faststart", 0);
	r = avformat_write_header(m->oc, &opts);
	av_dict_free(&opts);
	if (r < 0) {
		seterr(err, errlen, "mp4 header", r);
		return -C2D_ERR_UNREADABLE; // the streams cannot go into an MP4
	}
	return 0;
}

// mux writes pkt (consumed) as the command line's stream copy does: from
// the first video key frame, timestamps from the clip's start, decoding
// times strictly increasing.
static int mux(muxer *m, AVFormatContext *fc, AVPacket *pkt) {
	int k = pkt->stream_index == m->map[0] ? 0 : 1;
	if (k == 0 && !m->started) {
		if (!(pkt->flags & AV_PKT_FLAG_KEY))
			return 0;
		m->started = 1;
	}
	if (!m->started)
		return 0; // audio before the picture starts
	if (pkt->pts != AV_NOPTS_VALUE)
		pkt->pts -= m->offset[k];
	if (pkt->dts != AV_NOPTS_VALUE)
		pkt->dts -= m->offset[k];
	if (pkt->dts == AV_NOPTS_VALUE)
		pkt->dts = m->last_dts[k] == AV_NOPTS_VALUE ? (pkt->pts != AV_NOPTS_VALUE ? pkt->pts : 0) : m->last_dts[k] + 1;
	if (m->last_dts[k] != AV_NOPTS_VALUE && pkt->dts <= m->last_dts[k])
		pkt->dts = m->last_dts[k] + 1;
	if (pkt->pts == AV_NOPTS_VALUE || pkt->pts < pkt->dts)
		pkt->pts = pkt->dts;
	m->last_dts[k] = pkt->dts;
	AVStream *is = fc->streams[pkt->stream_index];
	pkt->stream_index = k == 0 || m->map[0] < 0 ? 0 : 1;
	av_packet_rescale_ts(pkt, is->time_base, m->oc->streams[pkt->stream_index]->time_base);
	pkt->pos = -1;
	m->written++;
	return av_interleaved_write_frame(m->oc, pkt);
}

static int close_muxer(muxer *m, int ok, char *err, int errlen) {
	int r = 0;
	if (!m->oc)
		return 0;
	if (ok && m->written > 0 && (r = av_write_trailer(m->oc)) < 0)
		seterr(err, errlen, "finish mp4", r);
	if (m->oc->pb) {
		int c = avio_closep(&m->oc->pb);
		if (ok && r >= 0 && c < 0) {
			r = c;
			seterr(err, errlen, "close mp4", r);
		}
	}
	avformat_free_context(m->oc);
	m->oc = NULL;
	return r < 0 ? -C2D_ERR_OUTPUT : 0;
}

static int64_t key_time(const AVPacket *pkt, const AVStream *s) {
	int64_t t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
	if (t == AV_NOPTS_VALUE)
		return AV_NOPTS_VALUE;
	return t - (s->start_time != AV_NOPTS_VALUE ? s->start_time : 0);
}

// setup_pictures sizes the outputs from the video's size and places the
// targets.
static int setup_pictures(picker *pk, picture *poster, picture *thumb, picture *strip, const c2d_plan *p,
                          const AVStream *vs) {
	int w = vs->codecpar->width, h = vs->codecpar->height;
	if (w <= 0 || h <= 0)
		return AVERROR_INVALIDDATA;
	int pw = even(FFMIN(p->poster_max_width, w));
	int tw = even(p->thumb_width);
	int sh = p->strip_height > 0 ? p->strip_height : even((int)av_rescale(p->strip_width, h, w));
	int r;
	if ((r = alloc_picture(poster, pw, even((int)av_rescale(pw, h, w)), 1)) < 0 ||
	    (r = alloc_picture(thumb, tw, even((int)av_rescale(tw, h, w)), 1)) < 0 ||
	    (r = alloc_picture(strip, even(p->strip_width), sh, p->strip_frames)) < 0)
		return r;
	AVRational ms = {1, 1000};
	for (int k = 0; k < p->strip_frames; k++)
		pk->t[pk->n++] = (target){.at = av_rescale_q(p->duration_ms * k / p->strip_frames, ms, vs->time_base), .pic = strip, .slot = k};
	pk->t[pk->n++] = (target){.at = av_rescale_q(p->poster_ms, ms, vs->time_base), .pic = poster, .also = thumb};
	pk->pending = pk->n;
	return 0;
}

int c2d_render(c2d_input *ci, const c2d_plan *p, char *err, int errlen) {
	if (p->strip_frames < 1 || p->strip_frames > MAX_STRIP) {
		snprintf(err, errlen, "strip of %d frames", p->strip_frames);
		return -C2D_ERR_OUTPUT;
	}
	int remux = p->media && p->media[0];
	AVFormatContext *fc = ci->fc;
	if (remux)
		fc->flags |= AVFMT_FLAG_GENPTS; // read by av_read_frame, not by the open
	int ret = 0;
	picker pk = {0};
	picture poster = {0}, thumb = {0}, strip = {0};
	muxer m = {0};
	AVPacket *pkt = av_packet_alloc();
	pk.last = av_packet_alloc();
	int vi = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
	int ai = remux && p->audio_copy ? av_find_best_stream(fc, AVMEDIA_TYPE_AUDIO, -1, vi, NULL, 0) : -1;
	int r;
	if (vi < 0) {
		snprintf(err, errlen, "no video stream");
		ret = -C2D_ERR_NO_VIDEO;
		goto out;
	}
	if (ai < 0)
		ai = -1;
	AVStream *vs = fc->streams[vi];
	if (!pkt || !pk.last || (r = setup_pictures(&pk, &poster, &thumb, &strip, p, vs)) < 0 ||
	    (r = open_decoder(&pk.dec, vs)) < 0) {
		seterr(err, errlen, "decoder", pkt && pk.last ? r : AVERROR(ENOMEM));
		ret = -C2D_ERR_UNREADABLE;
		goto out;
	}
	if (remux && (ret = open_muxer(&m, fc, p, vi, ai, err, errlen)))
		goto out;
	int64_t packets = 0;
	for (;;) {
		r = av_read_frame(fc, pkt);
		if (r < 0) {
			// A cut recording ends where it is cut, as with the command line.
			if (r != AVERROR_EOF && packets == 0) {
				seterr(err, errlen, "read", r);
				ret = -C2D_ERR_UNREADABLE;
				goto out;
			}
			break;
		}
		packets++;
		if (pkt->stream_index == vi && (pkt->flags & AV_PKT_FLAG_KEY) && pk.pending > 0) {
			int64_t at = key_time(pkt, vs);
			if (at != AV_NOPTS_VALUE && (r = see(&pk, pkt, at)) < 0) {
				seterr(err, errlen, "picture", r);
				ret = -C2D_ERR_OUTPUT;
				goto out;
			}
		}
		if (remux && (pkt->stream_index == vi || pkt->stream_index == ai)) {
			if ((r = mux(&m, fc, pkt)) < 0) {
				seterr(err, errlen, "write mp4", r);
				ret = -C2D_ERR_OUTPUT;
				goto out;
			}
		} else if (!remux && pk.pending == 0) {
			break; // pictures done and nothing to copy
		}
		av_packet_unref(pkt);
	}
	if ((r = settle(&pk, 0, NULL)) < 0) {
		seterr(err, errlen, "picture", r);
		ret = -C2D_ERR_OUTPUT;
		goto out;
	}
	if (pk.pending > 0) {
		snprintf(err, errlen, "no picture decoded for %d of %d frames", pk.pending, pk.n);
		ret = -C2D_ERR_NO_PICTURE;
		goto out;
	}
	if (remux && m.written == 0) {
		snprintf(err, errlen, "no video key frame to start the copy");
		ret = -C2D_ERR_UNREADABLE;
		goto out;
	}
	if ((ret = close_muxer(&m, 1, err, errlen)) || (ret = write_jpeg(poster.f, p->poster_q, p->poster, err, errlen)) ||
	    (ret = write_jpeg(thumb.f, p->thumb_q, p->thumb, err, errlen)) ||
	    (ret = write_jpeg(strip.f, p->strip_q, p->strip, err, errlen)))
		goto out;
out:
	close_muxer(&m, 0, err, 0);
	av_packet_free(&pkt);
	av_packet_free(&pk.last);
	close_decoder(&pk.dec);
	free_picture(&poster);
	free_picture(&thumb);
	free_picture(&strip);
	return ret;
}
