package detect

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cam2drive/cam2drive/internal/pretrained"
)

// OpenPose loads the catalogue's pose model (Config.Model names another),
// a single-person MoveNet that reads each person box's crop. When the runtime
// or the model is missing the error wraps ErrUnavailable.
func OpenPose(cfg Config) (PoseEstimator, error) {
	cfg = cfg.withDefaults()
	m, path, err := loadModel(cfg, "pose", cfg.Model)
	if err != nil {
		return nil, err
	}
	if m.Decoder != "movenet" {
		return nil, fmt.Errorf("pose model %s: decoder %q, want movenet", m.Name, m.Decoder)
	}
	p := &poseEstimator{model: m, pool: newPool[*session](cfg.Sessions), max: cfg.MaxObjects}
	for range cfg.Sessions {
		s, err := newSession(path, m, cfg.Threads)
		if err == nil && len(s.outs[0].GetData()) != NumKeypoints*3 {
			s.destroy()
			err = fmt.Errorf("output %s has shape %v, want 1×1×%d×3", m.Outputs[0], s.outs[0].GetShape(), NumKeypoints)
		}
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("model %s (%s): %w", m.Name, path, err)
		}
		p.pool.add(s)
	}
	return p, nil
}

type poseEstimator struct {
	model pretrained.Model
	pool  *pool[*session]
	max   int // people read per frame
}

// minPersonPixels is the smallest person box side worth a pose: below,
// MoveNet sees a smudge and its keypoints mean nothing.
const minPersonPixels = 16

// Poses reads the skeleton of each person box (objects of another class are
// skipped), the largest people first when there are more than the limit.
func (p *poseEstimator) Poses(ctx context.Context, f Frame, people []Object) ([]Pose, error) {
	if err := checkFrame(f); err != nil {
		return nil, err
	}
	if len(people) == 0 {
		return nil, nil
	}
	s, err := p.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	defer p.pool.put(s)
	px := pixelsOf(p.model.Input)
	size := float32(p.model.Input.Size)
	people = slices.DeleteFunc(slices.Clone(people), func(o Object) bool { return o.Class != "" && o.Class != "person" })
	var poses []Pose
	for _, person := range largestFirst(people, p.max) {
		r, ok := personCrop(f.W, f.H, person.Box)
		if !ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lb := newCrop(f.W, f.H, r, p.model.Input.Size)
		lb.fillPixels(f, s.in.GetData(), px)
		if err := s.s.Run(); err != nil {
			return nil, fmt.Errorf("model %s: %w", p.model.Name, err)
		}
		kp := s.outs[0].GetData() // y, x, score per keypoint, fractions of the input
		pose := Pose{Person: person}
		for k := range NumKeypoints {
			x, y := lb.pointToFrame(kp[k*3+1]*size, kp[k*3]*size)
			pose.Keypoints[k] = Keypoint{X: x, Y: y, Score: kp[k*3+2]}
		}
		poses = append(poses, pose)
	}
	return poses, nil
}

// largestFirst is objs when there are at most n, else the n largest.
func largestFirst(objs []Object, n int) []Object {
	if len(objs) <= n {
		return objs
	}
	objs = slices.Clone(objs)
	slices.SortStableFunc(objs, func(a, b Object) int { return cmp.Compare(b.Box[2]*b.Box[3], a.Box[2]*a.Box[3]) })
	return objs[:n]
}

// personCrop is the square around a person box that MoveNet reads: the
// box's longer side plus a fifth, centred on it, clipped to the frame (the
// letterbox pads what the frame lacks). ok is false for a box too small.
func personCrop(fw, fh int, box [4]float32) ([4]int, bool) {
	w, h := box[2]*float32(fw), box[3]*float32(fh)
	if w < minPersonPixels || h < minPersonPixels {
		return [4]int{}, false
	}
	cx, cy := (box[0]+box[2]/2)*float32(fw), (box[1]+box[3]/2)*float32(fh)
	half := max(w, h) * 1.2 / 2
	return clipRect(fw, fh, cx-half, cy-half, cx+half, cy+half), true
}

// clipRect rounds a rectangle in frame pixels and clips it to the frame.
func clipRect(fw, fh int, x1, y1, x2, y2 float32) [4]int {
	r := [4]int{int(x1), int(y1), int(x2 + 0.5), int(y2 + 0.5)}
	r[0], r[1] = min(max(r[0], 0), fw-1), min(max(r[1], 0), fh-1)
	r[2], r[3] = min(max(r[2], r[0]+1), fw), min(max(r[3], r[1]+1), fh)
	return r
}

func pixelsOf(in pretrained.Input) pixels {
	return pixels{NCHW: in.Layout == "NCHW", Scale: in.Scale, Offset: in.Offset, Gray: in.Gray}
}

func checkFrame(f Frame) error {
	if f.W <= 0 || f.H <= 0 || len(f.RGB) != f.W*f.H*3 {
		return fmt.Errorf("frame %d×%d with %d bytes is not packed RGB", f.W, f.H, len(f.RGB))
	}
	return nil
}

// Close waits for running frames and frees the sessions.
func (p *poseEstimator) Close() error {
	p.pool.close((*session).destroy)
	return nil
}
