package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/holo4"
)

// SourceHOLO4 is the source of the detections of HOLO4 algorithms: their
// type is the algorithm's id. A new analysis replaces them apart from the
// model's and the motion rule's.
const SourceHOLO4 = "holo4"

// beta is the HOLO4 work of one analysis: the rules of the camera's chosen
// algorithms whose models are there, the models they read, and a tracker
// per algorithm.
type beta struct {
	rules    []holo4.Rule
	models   holo4.Models
	trackers map[string]*Tracker
	last     map[string][]detect.Object // the hits of the last frame the models ran on
}

// available is the set of models this worker has.
func (w *Worker) available() holo4.Models {
	var m holo4.Models
	if w.Detector != nil {
		m |= holo4.Objects
	}
	if w.Poses != nil {
		m |= holo4.Poses
	}
	if w.Faces != nil {
		m |= holo4.Faces
	}
	return m
}

// newBeta plans the chosen algorithms: an algorithm whose models are not
// all there is left out (said once per worker and algorithm), as is an id
// without a rule (a newer catalogue).
func (w *Worker) newBeta(algorithms []string) *beta {
	have := w.available()
	b := &beta{trackers: map[string]*Tracker{}, last: map[string][]detect.Object{}}
	for _, id := range algorithms {
		r, ok := holo4.RuleOf(id)
		if !ok || r.Needs&^have != 0 {
			if _, said := w.missing.LoadOrStore(id, true); !said {
				w.Log.Warn("HOLO4 algorithm skipped: a model it needs is not installed (cam2drive models install)",
					"algorithm", id, "known", ok, "needs", models(r.Needs), "have", models(have))
			}
			continue
		}
		b.rules = append(b.rules, r)
		b.models |= r.Needs | r.Uses&have
		b.trackers[id] = &Tracker{Type: func(string) string { return id }, Source: SourceHOLO4}
	}
	if len(b.rules) == 0 {
		return nil
	}
	return b
}

// models names a set of models for the log.
func models(m holo4.Models) []string {
	var out []string
	for _, n := range []struct {
		m    holo4.Models
		name string
	}{{holo4.Objects, "detector"}, {holo4.Poses, "pose"}, {holo4.Faces, "face"}} {
		if m&n.m != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// see evaluates the rules on the frame at time at when the detector ran on
// it (ran), reading the poses and faces the rules need; on a frame the gate
// found unchanged, the last frame's hits stand, as the detector's objects do.
func (w *Worker) see(ctx context.Context, b *beta, at time.Duration, f detect.Frame, objs []detect.Object, ran bool) error {
	if ran {
		sc := holo4.Scene{Frame: f, Objects: objs}
		if b.models&holo4.Poses != 0 {
			if people := holo4.Persons(objs); len(people) > 0 {
				poses, err := w.Poses.Poses(ctx, f, people)
				if err != nil {
					return fmt.Errorf("poses at %v: %w", at, err)
				}
				sc.Poses = poses
			}
		}
		if b.models&holo4.Faces != 0 {
			faces, err := w.Faces.Faces(ctx, f)
			if err != nil {
				return fmt.Errorf("faces at %v: %w", at, err)
			}
			sc.Faces = faces
		}
		for _, r := range b.rules {
			hits := r.Run(sc)
			found := make([]detect.Object, len(hits))
			for i, h := range hits {
				found[i] = detect.Object{Class: h.Label, Score: h.Score, Box: h.Box}
			}
			b.last[r.ID] = found
		}
	}
	for _, r := range b.rules {
		b.trackers[r.ID].Add(at, b.last[r.ID])
	}
	return nil
}

// detections returns what the algorithms found, in time order, and the
// algorithms that ran.
func (b *beta) detections() ([]cam2drive.Detection, []string) {
	out := []cam2drive.Detection{}
	var ran []string
	for _, r := range b.rules {
		ran = append(ran, r.ID)
		out = append(out, b.trackers[r.ID].Detections()...)
	}
	slices.SortStableFunc(out, func(a, b cam2drive.Detection) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Type, b.Type))
	})
	return out, ran
}
