package detect

import (
	"context"
	"fmt"
	"math"

	"github.com/cam2drive/cam2drive/internal/pretrained"
)

// OpenFaces loads the catalogue's face detector (Config.Model names
// another) and expression model. Config.Threshold is the least face score
// (default 0.7) and Config.NMS the overlap above which two faces are one
// (default 0.3). When the runtime or a model is missing the error wraps
// ErrUnavailable.
func OpenFaces(cfg Config) (FaceReader, error) {
	if cfg.NMS <= 0 {
		cfg.NMS = 0.3 // BlazeFace's anchors overlap: one face lights several
	}
	if cfg.Threshold <= 0 {
		// Without human's face-mesh check behind it, BlazeFace scores the
		// back of a head or a dog's face up to 0.6.
		cfg.Threshold = 0.7
	}
	cfg = cfg.withDefaults()
	fm, fpath, err := loadModel(cfg, "face", cfg.Model)
	if err != nil {
		return nil, err
	}
	em, epath, err := loadModel(cfg, "expression", "")
	if err != nil {
		return nil, err
	}
	if fm.Decoder != "blazeface" {
		return nil, fmt.Errorf("face model %s: decoder %q, want blazeface", fm.Name, fm.Decoder)
	}
	r := &faceReader{cfg: cfg, face: fm, expr: em, labels: em.Labels, anchors: blazeFaceAnchors(fm.Input.Size),
		pool: newPool[*faceSessions](cfg.Sessions)}
	for range cfg.Sessions {
		fs, err := r.newSessions(fpath, epath)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.pool.add(fs)
	}
	return r, nil
}

type faceReader struct {
	cfg        Config
	face, expr pretrained.Model
	labels     []string
	anchors    [][2]float32 // centres in input pixels, in the model's output order
	pool       *pool[*faceSessions]
}

// faceSessions is what one frame needs: a face detector and an expression
// model session.
type faceSessions struct{ face, expr *session }

func (fs *faceSessions) destroy() {
	if fs.face != nil {
		fs.face.destroy()
	}
	if fs.expr != nil {
		fs.expr.destroy()
	}
}

func (r *faceReader) newSessions(fpath, epath string) (*faceSessions, error) {
	fs := &faceSessions{}
	var err error
	if fs.face, err = newSession(fpath, r.face, r.cfg.Threads); err != nil {
		return nil, fmt.Errorf("model %s (%s): %w", r.face.Name, fpath, err)
	}
	if err := r.checkFaceOutputs(fs.face); err != nil {
		fs.destroy()
		return nil, fmt.Errorf("model %s (%s): %w", r.face.Name, fpath, err)
	}
	if fs.expr, err = newSession(epath, r.expr, r.cfg.Threads); err != nil {
		fs.destroy()
		return nil, fmt.Errorf("model %s (%s): %w", r.expr.Name, epath, err)
	}
	if n := len(fs.expr.outs[0].GetData()); n != len(r.labels) {
		fs.destroy()
		return nil, fmt.Errorf("model %s: %d scores for %d labels", r.expr.Name, n, len(r.labels))
	}
	return fs, nil
}

// checkFaceOutputs: pairs of scores (n×1) and boxes (n×16) whose n add up
// to the anchors.
func (r *faceReader) checkFaceOutputs(s *session) error {
	if len(s.outs)%2 != 0 {
		return fmt.Errorf("blazeface: %d outputs, want pairs of scores and boxes", len(s.outs))
	}
	n := 0
	for i := 0; i < len(s.outs); i += 2 {
		sc, bx := len(s.outs[i].GetData()), len(s.outs[i+1].GetData())
		if bx != sc*16 {
			return fmt.Errorf("blazeface: outputs %s and %s have %d scores and %d box values, want 16 a score", r.face.Outputs[i], r.face.Outputs[i+1], sc, bx)
		}
		n += sc
	}
	if n != len(r.anchors) {
		return fmt.Errorf("blazeface: %d scores for %d anchors of a %d px input", n, len(r.anchors), r.face.Input.Size)
	}
	return nil
}

// blazeFaceAnchors are BlazeFace's anchor centres, as
// @vladmandic/human's generateAnchors makes them: a grid of size/16 px
// cells with 2 anchors each, then one of size/8 px cells with 6 each.
func blazeFaceAnchors(size int) [][2]float32 {
	var out [][2]float32
	for _, g := range []struct{ stride, n int }{{size / 16, 2}, {size / 8, 6}} {
		cells := (size + g.stride - 1) / g.stride
		for gy := range cells {
			for gx := range cells {
				for range g.n {
					out = append(out, [2]float32{float32(g.stride) * (float32(gx) + 0.5), float32(g.stride) * (float32(gy) + 0.5)})
				}
			}
		}
	}
	return out
}

// Faces finds the faces in f, best first, and reads each one's expression.
func (r *faceReader) Faces(ctx context.Context, f Frame) ([]Face, error) {
	if err := checkFrame(f); err != nil {
		return nil, err
	}
	fs, err := r.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	defer r.pool.put(fs)
	lb := newLetterbox(f.W, f.H, r.face.Input.Size)
	lb.fillPixels(f, fs.face.in.GetData(), pixelsOf(r.face.Input))
	if err := fs.face.s.Run(); err != nil {
		return nil, fmt.Errorf("model %s: %w", r.face.Name, err)
	}
	var objs []Object
	for _, c := range r.decode(fs.face) {
		box := lb.toFrame(c.x1, c.y1, c.x2, c.y2)
		if box[2] > 0 && box[3] > 0 {
			objs = append(objs, Object{Class: "face", Score: c.score, Box: box})
		}
	}
	objs = nms(objs, r.cfg.NMS)
	if len(objs) > r.cfg.MaxObjects {
		objs = objs[:r.cfg.MaxObjects]
	}
	faces := make([]Face, 0, len(objs))
	for _, o := range objs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		face := Face{Box: o.Box, Score: o.Score}
		if face.Expression, face.ExpressionScore, err = r.expression(fs.expr, f, o.Box); err != nil {
			return nil, err
		}
		faces = append(faces, face)
	}
	return faces, nil
}

// decode reads BlazeFace's outputs as human's blazeface.ts does: a box's
// centre is its anchor plus the first two values, its size the next two,
// in input pixels; its score the sigmoid of its logit.
func (r *faceReader) decode(s *session) []candidate {
	cut := float32(math.Log(float64(r.cfg.Threshold) / (1 - float64(r.cfg.Threshold))))
	var out []candidate
	a := 0
	for i := 0; i < len(s.outs); i += 2 {
		scores, boxes := s.outs[i].GetData(), s.outs[i+1].GetData()
		for j, logit := range scores {
			anchor := r.anchors[a+j]
			if logit < cut {
				continue
			}
			b := boxes[j*16:]
			cx, cy, w, h := anchor[0]+b[0], anchor[1]+b[1], b[2], b[3]
			score := float32(1 / (1 + math.Exp(-float64(logit))))
			out = append(out, candidate{score: score, x1: cx - w/2, y1: cy - h/2, x2: cx + w/2, y2: cy + h/2})
		}
		a += len(scores)
	}
	return out
}

// expression reads the face in box (fractions of f) as human does: the box
// enlarged 1.4 times and made square, in grey, into the expression model.
func (r *faceReader) expression(s *session, f Frame, box [4]float32) (string, float32, error) {
	cx, cy := (box[0]+box[2]/2)*float32(f.W), (box[1]+box[3]/2)*float32(f.H)
	half := max(box[2]*float32(f.W), box[3]*float32(f.H)) * 1.4 / 2
	rect := clipRect(f.W, f.H, cx-half, cy-half, cx+half, cy+half)
	lb := newCrop(f.W, f.H, rect, r.expr.Input.Size)
	lb.fillPixels(f, s.in.GetData(), pixelsOf(r.expr.Input))
	if err := s.s.Run(); err != nil {
		return "", 0, fmt.Errorf("model %s: %w", r.expr.Name, err)
	}
	best, score := 0, float32(-1)
	for i, v := range s.outs[0].GetData() {
		if v > score {
			best, score = i, v
		}
	}
	return r.labels[best], score, nil
}

// Close waits for running frames and frees the sessions.
func (r *faceReader) Close() error {
	r.pool.close((*faceSessions).destroy)
	return nil
}
