package analysis

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/detect"
)

// Tracking rule: an object in a sample continues a track of the same type
// (person, vehicle, animal) whose last box it overlaps by TrackIoU at least,
// when the track was seen in the previous sample or, missed once
// (TrackGap), in the one before. Sampled at 2 frames/s or at key frames, a
// walking person or a passing car overlaps its last box little or not at
// all, so failing that an object also continues a track whose box is of a
// similar size (areas within SizeRatio) and whose centre is within
// TrackReach box sizes, and MaxReach of the frame, per sample of the
// object's, from where the track was or from where its speed so far puts
// it. Overlaps are matched first, then the nearest. Types, not the model's classes, because
// the model scores each class apart and its best name for one object
// flickers (horse, cow; car, truck): within a sample, an object of the same
// type as a better-scored one that it overlaps by SameIoU is that one under
// another name and is dropped, and a track is labelled with the class of
// its best score.
const (
	TrackIoU   = 0.3
	TrackGap   = 1
	SameIoU    = 0.7
	TrackReach = 1.5
	MaxReach   = 0.25
	SizeRatio  = 2.5
)

// Tracker merges what the detector finds in consecutive samples of a
// recording into one detection per object and appearance: first and last
// time seen, best score with its class and the box of the sample that gave
// it. Classes that map to no type (a cup, a chair) are left out. The zero
// value is ready and tracks the detector's objects.
type Tracker struct {
	// Type maps a class to the type tracks are kept by ("" leaves the
	// object out); nil is detect.TypeOf. HOLO4 maps every hit of an
	// algorithm to the algorithm's id.
	Type func(class string) string
	// Source is the detections' source; "" is "model".
	Source string

	n    int // samples added
	live []*track
	done []*track
}

type track struct {
	typ, class  string // class: of the best score
	first, last time.Duration
	lastSample  int
	lastBox     [4]float32
	v           [2]float32 // the centre's move per sample, from the last two sightings
	seen        bool
	best        float32
	bestBox     [4]float32
}

// Add takes the objects found in the sample at time at; samples come in
// time order.
func (t *Tracker) Add(at time.Duration, objs []detect.Object) {
	objs = t.distinct(objs)
	taken := make([]bool, len(objs))
	for _, p := range t.pairs(objs) {
		tr := t.live[p.track]
		if taken[p.obj] || tr.lastSample == t.n {
			continue
		}
		taken[p.obj] = true
		tr.see(t.n, at, objs[p.obj])
	}
	for i, o := range objs {
		if !taken[i] {
			tr := &track{typ: t.typeOf(o.Class), first: at, best: -1}
			tr.see(t.n, at, o)
			t.live = append(t.live, tr)
		}
	}
	t.n++
	t.live = slices.DeleteFunc(t.live, func(tr *track) bool {
		if t.n-1-tr.lastSample > TrackGap {
			t.done = append(t.done, tr)
			return true
		}
		return false
	})
}

func (t *Tracker) typeOf(class string) string {
	if t.Type == nil {
		return detect.TypeOf(class)
	}
	return t.Type(class)
}

// distinct keeps the objects that have a type, best first, without the
// same object under another class name of the same type.
func (t *Tracker) distinct(objs []detect.Object) []detect.Object {
	objs = slices.DeleteFunc(slices.Clone(objs), func(o detect.Object) bool { return t.typeOf(o.Class) == "" })
	slices.SortStableFunc(objs, func(a, b detect.Object) int { return cmp.Compare(b.Score, a.Score) })
	out := objs[:0]
	for _, o := range objs {
		if !slices.ContainsFunc(out, func(k detect.Object) bool {
			return t.typeOf(k.Class) == t.typeOf(o.Class) && IoU(k.Box, o.Box) >= SameIoU
		}) {
			out = append(out, o)
		}
	}
	return out
}

type pair struct {
	track, obj int
	rank       float64 // 1 + IoU for an overlap, below 1 for a reach (nearer is higher)
}

// pairs lists the (track, object) pairs that may continue, best first:
// taking them greedily in this order matches each object to the track it
// overlaps most, or failing any overlap to the nearest, that no better
// pair took.
func (t *Tracker) pairs(objs []detect.Object) []pair {
	var ps []pair
	for ti, tr := range t.live {
		for oi, o := range objs {
			if t.typeOf(o.Class) != tr.typ {
				continue
			}
			if iou := IoU(tr.lastBox, o.Box); iou >= TrackIoU {
				ps = append(ps, pair{ti, oi, 1 + iou})
			} else if d, ok := tr.reach(o.Box, t.n); ok {
				ps = append(ps, pair{ti, oi, 1 - d/(TrackReach*float64(t.n-tr.lastSample)+1)})
			}
		}
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return cmp.Compare(b.rank, a.rank) })
	return ps
}

// reach says how far, in box sizes, b is from where the track was or from
// where its speed puts it at sample, and whether that is near enough.
func (tr *track) reach(b [4]float32, sample int) (float64, bool) {
	a := tr.lastBox
	areaA, areaB := float64(a[2])*float64(a[3]), float64(b[2])*float64(b[3])
	if areaA <= 0 || areaB <= 0 || max(areaA, areaB) > SizeRatio*min(areaA, areaB) {
		return 0, false
	}
	gap := float64(sample - tr.lastSample)
	size := float64(max(a[2], a[3], b[2], b[3]))
	cx, cy := center(b)
	lx, ly := center(a)
	d := math.Hypot(cx-lx, cy-ly)
	if tr.seen {
		d = min(d, math.Hypot(cx-lx-gap*float64(tr.v[0]), cy-ly-gap*float64(tr.v[1])))
	}
	return d / size, d/size <= TrackReach*gap && d <= MaxReach*gap
}

func center(b [4]float32) (float64, float64) {
	return float64(b[0]) + float64(b[2])/2, float64(b[1]) + float64(b[3])/2
}

func (tr *track) see(sample int, at time.Duration, o detect.Object) {
	if tr.best >= 0 && sample > tr.lastSample { // a sighting before this one: its speed
		cx, cy := center(o.Box)
		lx, ly := center(tr.lastBox)
		gap := float64(sample - tr.lastSample)
		tr.v, tr.seen = [2]float32{float32((cx - lx) / gap), float32((cy - ly) / gap)}, true
	}
	tr.last, tr.lastSample, tr.lastBox = at, sample, o.Box
	if o.Score > tr.best {
		tr.best, tr.bestBox, tr.class = o.Score, o.Box, o.Class
	}
}

// Detections returns the tracks as detections of t's Source, in time
// order.
func (t *Tracker) Detections() []cam2drive.Detection {
	all := append(slices.Clone(t.done), t.live...)
	out := make([]cam2drive.Detection, 0, len(all))
	source := cmp.Or(t.Source, "model")
	for _, tr := range all {
		out = append(out, cam2drive.Detection{Source: source, Type: tr.typ, Label: tr.class,
			Score: round3(float64(tr.best)), Box: box64(tr.bestBox), Start: tr.first, End: tr.last})
	}
	slices.SortStableFunc(out, func(a, b cam2drive.Detection) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Label, b.Label))
	})
	return out
}

// IoU is the intersection over union of two x, y, w, h boxes.
func IoU(a, b [4]float32) float64 {
	iw := min(a[0]+a[2], b[0]+b[2]) - max(a[0], b[0])
	ih := min(a[1]+a[3], b[1]+b[3]) - max(a[1], b[1])
	if iw <= 0 || ih <= 0 {
		return 0
	}
	inter := float64(iw) * float64(ih)
	union := float64(a[2])*float64(a[3]) + float64(b[2])*float64(b[3]) - inter
	if union <= 0 {
		return 0
	}
	return inter / union
}

func box64(b [4]float32) [4]float64 {
	return [4]float64{round3(float64(b[0])), round3(float64(b[1])), round3(float64(b[2])), round3(float64(b[3]))}
}

// round3 keeps three decimals: a thousandth of the frame is finer than any
// box a model draws, and the stored numbers read cleanly.
func round3(v float64) float64 {
	return math.Round(v*1000) / 1000
}
