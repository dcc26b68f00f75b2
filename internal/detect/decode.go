package detect

import (
	"fmt"
	"math"
	"sort"
)

// candidate is a box in model input pixels before it is mapped to the frame.
type candidate struct {
	class          int
	score          float32
	x1, y1, x2, y2 float32
}

// decodeCenterNet reads a CenterNet head: heat is gh×gw×classes (sigmoid,
// NHWC) and wh is gh×gw×4, the distances from the cell's point to the
// box's left, top, right and bottom in input pixels. A cell is an object
// where its score beats threshold and is the largest of its 3×3
// neighbourhood in that class (the 3×3 max-pool of the original graph);
// the topK best are kept. With logits, heat holds the scores before their
// sigmoid, which is monotonic: peaks are the same, and only they pay for it.
func decodeCenterNet(heat, wh []float32, gh, gw, classes, stride int, threshold float32, topK int, logits bool) ([]candidate, error) {
	if len(heat) != gh*gw*classes || len(wh) != gh*gw*4 {
		return nil, fmt.Errorf("centernet: outputs of %d and %d values, want %d×%d×%d and %d×%d×4", len(heat), len(wh), gh, gw, classes, gh, gw)
	}
	cut := threshold
	if logits {
		cut = float32(math.Log(float64(threshold) / (1 - float64(threshold))))
	}
	var out []candidate
	for y := range gh {
		for x := range gw {
			cell := (y*gw + x) * classes
			for c := range classes {
				s := heat[cell+c]
				if s < cut || !isPeak(heat, gh, gw, classes, y, x, c, s) {
					continue
				}
				score := s
				if logits {
					score = float32(1 / (1 + math.Exp(-float64(s))))
				}
				d := wh[(y*gw+x)*4:]
				cx, cy := float32(x*stride), float32(y*stride)
				out = append(out, candidate{class: c, score: score, x1: cx - d[0], y1: cy - d[1], x2: cx + d[2], y2: cy + d[3]})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > topK {
		out = out[:topK]
	}
	return out, nil
}

func isPeak(heat []float32, gh, gw, classes, y, x, c int, s float32) bool {
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			yy, xx := y+dy, x+dx
			if (dy == 0 && dx == 0) || yy < 0 || xx < 0 || yy >= gh || xx >= gw {
				continue
			}
			if heat[(yy*gw+xx)*classes+c] > s {
				return false
			}
		}
	}
	return true
}

// decodeYOLOv8 reads the output of an Ultralytics YOLOv8/11 ONNX export:
// (4+classes)×n values, rows cx, cy, w, h in input pixels then one score per
// class, one column per anchor.
func decodeYOLOv8(out []float32, n, classes int, threshold float32, topK int) ([]candidate, error) {
	if len(out) != (4+classes)*n {
		return nil, fmt.Errorf("yolov8: output of %d values, want (4+%d)×%d", len(out), classes, n)
	}
	var cands []candidate
	for i := range n {
		best, bc := float32(0), -1
		for c := range classes {
			if s := out[(4+c)*n+i]; s > best {
				best, bc = s, c
			}
		}
		if bc < 0 || best < threshold {
			continue
		}
		cx, cy, w, h := out[i], out[n+i], out[2*n+i], out[3*n+i]
		cands = append(cands, candidate{class: bc, score: best, x1: cx - w/2, y1: cy - h/2, x2: cx + w/2, y2: cy + h/2})
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) > topK {
		cands = cands[:topK]
	}
	return cands, nil
}
