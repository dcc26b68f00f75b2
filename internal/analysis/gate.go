package analysis

import (
	"time"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// GateMaxAge bounds how long the detector's last answer is reused.
const GateMaxAge = 4 * time.Second

// gate spares the detector the frames where nothing changed since the last
// frame it ran on: it would find the same objects there. A frame goes to the
// detector when the motion rule sees a change of MotionMinArea of the
// picture or more since that frame (a whole-scene change included: the
// lights, the infrared switch), when its size differs, or when GateMaxAge
// has passed; otherwise the last objects stand for it. Most of a camera's
// clip is still (the seconds recorded before and after the event).
type gate struct {
	last grid
	at   time.Duration
	objs []detect.Object
}

// objects returns what run (the detector on the frame at time at, reduced
// to gr) finds, or what it found in the last frame it ran on when nothing
// changed since; ran says which.
func (g *gate) objects(at time.Duration, gr grid, run func() ([]detect.Object, error)) (objs []detect.Object, ran bool, err error) {
	if g.last.luma != nil && gr.w == g.last.w && gr.h == g.last.h && at-g.at < GateMaxAge {
		if frac, _ := changed(g.last.luma, gr.luma, gr.w, gr.h); frac < MotionMinArea {
			return g.objs, false, nil
		}
	}
	if objs, err = run(); err != nil {
		return nil, true, err
	}
	g.last, g.at, g.objs = gr, at, objs
	return objs, true, nil
}
