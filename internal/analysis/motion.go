package analysis

import (
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/detect"
)

// Motion rule: each sampled frame becomes a small grayscale grid (cell
// averages, which wash out most sensor and codec noise); consecutive grids
// are compared after removing the change of overall brightness (exposure,
// clouds). A cell changed when its difference passes the noise of this
// pair of frames (MotionNoiseK times the median cell difference), kept
// between MotionMinDelta and MotionMaxDelta levels. Changed patches smaller
// than MotionMinBlob cells are noise; the rest is motion when it covers
// MotionMinArea of the picture, and no more than MotionMaxArea (beyond, the
// whole scene changed: lights, the infrared switch, the camera moved).
const (
	MotionGrid     = 96 // cells along the longer side
	MotionMinDelta = 12 // luma levels (0..255)
	MotionMaxDelta = 40
	MotionNoiseK   = 3
	MotionMinBlob  = 4
	MotionMinArea  = 0.0015
	MotionMaxArea  = 0.8
	MotionLabel    = "frame_difference"
)

// Motion finds what moved between consecutive sampled frames of a
// recording; changes in consecutive pairs (one quiet pair between them
// tolerated, as for tracks) make one detection whose box bounds every
// change in it. The zero value is ready.
type Motion struct {
	prev   []uint8
	gw, gh int
	prevAt time.Duration
	pairs  int // pairs compared
	segs   []segment
}

type segment struct {
	start, end     time.Duration
	lastPair       int
	x0, y0, x1, y1 int // changed cells, inclusive
}

// Add takes the sampled frame at time at; frames come in time order.
func (m *Motion) Add(at time.Duration, f detect.Frame) { m.add(at, newGrid(f)) }

func (m *Motion) add(at time.Duration, g grid) {
	if m.prev != nil && g.w == m.gw && g.h == m.gh {
		if frac, box := changed(m.prev, g.luma, g.w, g.h); frac >= MotionMinArea && frac <= MotionMaxArea {
			m.extend(at, box)
		}
		m.pairs++
	}
	m.prev, m.gw, m.gh, m.prevAt = g.luma, g.w, g.h, at
}

// grid is a frame reduced to the cells the motion rule compares.
type grid struct {
	w, h int
	luma []uint8
}

func newGrid(f detect.Frame) grid {
	gw, gh := gridSize(f.W, f.H)
	return grid{gw, gh, lumaGrid(f, gw, gh)}
}

func (m *Motion) extend(at time.Duration, b [4]int) {
	if n := len(m.segs); n > 0 && m.pairs-m.segs[n-1].lastPair-1 <= TrackGap {
		c := &m.segs[n-1]
		c.end, c.lastPair = at, m.pairs
		c.x0, c.y0, c.x1, c.y1 = min(c.x0, b[0]), min(c.y0, b[1]), max(c.x1, b[2]), max(c.y1, b[3])
		return
	}
	m.segs = append(m.segs, segment{start: m.prevAt, end: at, lastPair: m.pairs, x0: b[0], y0: b[1], x1: b[2], y1: b[3]})
}

// Detections returns the motion found (Source "rule", Type "motion"), in
// time order. Score is 1: the rule fired, as for a recorder's own event.
func (m *Motion) Detections() []cam2drive.Detection {
	out := make([]cam2drive.Detection, 0, len(m.segs))
	for _, s := range m.segs {
		gw, gh := float64(m.gw), float64(m.gh)
		out = append(out, cam2drive.Detection{Source: "rule", Type: "motion", Label: MotionLabel, Score: 1,
			Box:   [4]float64{round3(float64(s.x0) / gw), round3(float64(s.y0) / gh), round3(float64(s.x1+1-s.x0) / gw), round3(float64(s.y1+1-s.y0) / gh)},
			Start: s.start, End: s.end})
	}
	return out
}

// gridSize keeps the frame's aspect with MotionGrid cells on the longer side
// (fewer for a smaller frame).
func gridSize(w, h int) (int, int) {
	n := min(MotionGrid, max(w, h))
	if w >= h {
		return n, max(1, (h*n+w/2)/max(w, 1))
	}
	return max(1, (w*n+h/2)/max(h, 1)), n
}

// lumaGrid averages the luma (BT.601) of the pixels each cell covers.
func lumaGrid(f detect.Frame, gw, gh int) []uint8 {
	sums := make([]uint32, gw*gh)
	counts := make([]uint32, gw*gh)
	col := make([]int, f.W)
	for x := range col {
		col[x] = x * gw / f.W
	}
	for y := 0; y < f.H; y++ {
		row := f.RGB[y*f.W*3 : (y+1)*f.W*3]
		base := (y * gh / f.H) * gw
		for x := 0; x < f.W; x++ {
			p := row[x*3 : x*3+3]
			sums[base+col[x]] += (77*uint32(p[0]) + 150*uint32(p[1]) + 29*uint32(p[2])) >> 8
			counts[base+col[x]]++
		}
	}
	g := make([]uint8, gw*gh)
	for i := range g {
		if counts[i] > 0 {
			g[i] = uint8((sums[i] + counts[i]/2) / counts[i])
		}
	}
	return g
}

// changed compares two grids by the motion rule: the fraction of the
// picture that changed, and the changed cells' bounds (x0, y0, x1, y1,
// inclusive).
func changed(a, b []uint8, gw, gh int) (float64, [4]int) {
	var ma, mb int
	for i := range a {
		ma += int(a[i])
		mb += int(b[i])
	}
	shift := (mb - ma) / len(a)
	diff := make([]uint8, len(a))
	var hist [256]int
	for i := range a {
		d := int(b[i]) - int(a[i]) - shift
		d = min(255, max(d, -d))
		diff[i] = uint8(d)
		hist[d]++
	}
	thr := min(MotionMaxDelta, max(MotionMinDelta, MotionNoiseK*median(hist[:], len(a))))
	area, box := blobs(diff, gw, gh, uint8(thr))
	return float64(area) / float64(len(a)), box
}

func median(hist []int, n int) int {
	seen := 0
	for v, c := range hist {
		if seen += c; 2*seen >= n {
			return v
		}
	}
	return len(hist) - 1
}

// blobs finds the patches (8-connected) of cells whose difference passes
// thr, and sums the area and bounds of those of MotionMinBlob cells or more.
func blobs(diff []uint8, gw, gh int, thr uint8) (int, [4]int) {
	seen := make([]bool, len(diff))
	area, box := 0, [4]int{gw, gh, -1, -1}
	var stack []int
	for start, d := range diff {
		if d <= thr || seen[start] {
			continue
		}
		seen[start] = true
		stack = append(stack[:0], start)
		n, b := 0, [4]int{gw, gh, -1, -1}
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%gw, i/gw
			n++
			b = [4]int{min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if j := ny*gw + nx; nx >= 0 && ny >= 0 && nx < gw && ny < gh && !seen[j] && diff[j] > thr {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		if n >= MotionMinBlob {
			area += n
			box = [4]int{min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])}
		}
	}
	return area, box
}
