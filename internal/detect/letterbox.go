package detect

import "sort"

// letterbox says where a frame, or a region of it, sits inside the model's
// input (a square, or for a model that reads any size, the smallest
// rectangle of whole strides that holds the frame): scaled by Scale (aspect
// kept) and placed at (PadX, PadY); the rest is grey.
type letterbox struct {
	InW, InH   int     // model input size
	W, H       int     // size of the region (the whole frame unless cropped)
	X0, Y0     int     // the region's top-left corner in the frame
	FW, FH     int     // frame size
	Scale      float32 // model pixels per frame pixel
	PadX, PadY int     // top-left corner of the region inside the input
	NW, NH     int     // region size inside the input
}

// newLetterbox letterboxes a w×h frame into a size×size input.
func newLetterbox(w, h, size int) letterbox { return newCrop(w, h, [4]int{0, 0, w, h}, size) }

// newCrop letterboxes the region r (x1, y1, x2, y2 in frame pixels, inside
// the fw×fh frame) into a size×size input.
func newCrop(fw, fh int, r [4]int, size int) letterbox { return fitCrop(fw, fh, r, size, 0) }

// fitLetterbox letterboxes a w×h frame into the input of a model that reads
// any height and width that are multiples of stride: the frame at size
// pixels on its longer side, padded up to the next multiples of stride
// (1920×1080 at 512 → 512×288, no grey; 4:3 → 512×384). stride 0: a square.
func fitLetterbox(w, h, size, stride int) letterbox {
	return fitCrop(w, h, [4]int{0, 0, w, h}, size, stride)
}

func fitCrop(fw, fh int, r [4]int, size, stride int) letterbox {
	w, h := max(1, r[2]-r[0]), max(1, r[3]-r[1])
	s := float32(size) / float32(max(w, h))
	nw := min(size, max(1, int(float32(w)*s+0.5)))
	nh := min(size, max(1, int(float32(h)*s+0.5)))
	inW, inH := size, size
	if stride > 0 {
		inW, inH = roundUp(nw, stride), roundUp(nh, stride)
	}
	return letterbox{InW: inW, InH: inH, W: w, H: h, X0: r[0], Y0: r[1], FW: fw, FH: fh, Scale: s, NW: nw, NH: nh,
		PadX: (inW - nw) / 2, PadY: (inH - nh) / 2}
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

// toFrame maps a box in model input pixels (x1, y1, x2, y2) to x, y, w, h as
// fractions of the frame, clipped to it.
func (l letterbox) toFrame(x1, y1, x2, y2 float32) [4]float32 {
	a, b := l.pointToFrame(x1, y1)
	c, d := l.pointToFrame(x2, y2)
	return [4]float32{a, b, max(0, c-a), max(0, d-b)}
}

// pointToFrame maps a point in model input pixels to fractions of the
// frame, clipped to it.
func (l letterbox) pointToFrame(x, y float32) (float32, float32) {
	if l.X0 == 0 && l.Y0 == 0 && l.W == l.FW && l.H == l.FH {
		return clamp01((x - float32(l.PadX)) / float32(l.NW)), clamp01((y - float32(l.PadY)) / float32(l.NH))
	}
	fx := ((x-float32(l.PadX))/float32(l.NW)*float32(l.W) + float32(l.X0)) / float32(l.FW)
	fy := ((y-float32(l.PadY))/float32(l.NH)*float32(l.H) + float32(l.Y0)) / float32(l.FH)
	return clamp01(fx), clamp01(fy)
}

// clamp01 also takes NaN, which a broken model could give, to 0.
func clamp01(v float32) float32 {
	if !(v > 0) {
		return 0
	}
	return min(1, v)
}

// pixels says how a model wants its input values: value = byte*Scale +
// Offset, in NCHW or NHWC order, RGB or grey (luma).
type pixels struct {
	NCHW          bool
	Scale, Offset float32
	Gray          bool
}

// fill writes f, resized bilinearly into the letterbox, into dst as float32
// RGB times scale, in NHWC or NCHW order. The padding is mid grey (114, as
// detectors trained with letterboxing expect).
func (l letterbox) fill(f Frame, dst []float32, nchw bool, scale float32) {
	l.fillPixels(f, dst, pixels{NCHW: nchw, Scale: scale})
}

// luma weights of grey = 0.2989 R + 0.587 G + 0.114 B (ITU-R BT.601).
const lumaR, lumaG, lumaB = 0.2989, 0.5870, 0.1140

// fillPixels is fill with the model's own pixel format.
func (l letterbox) fillPixels(f Frame, dst []float32, px pixels) {
	n := l.InW * l.InH
	ch := 3
	if px.Gray {
		ch = 1
	}
	grey := 114*px.Scale + px.Offset
	if l.NW != l.InW || l.NH != l.InH {
		for i := range dst[:ch*n] {
			dst[i] = grey
		}
	}
	if l.NW == l.W && l.NH == l.H {
		l.copyPixels(f, dst, px)
		return
	}
	l.resample(f, dst, px)
}

// resample writes the region, resized bilinearly, inside the padding.
func (l letterbox) resample(f Frame, dst []float32, px pixels) {
	n := l.InW * l.InH
	// Source coordinates of each destination column, computed once.
	xs := make([]int32, l.NW)
	xw := make([]float32, l.NW)
	for x := range l.NW {
		sx := float32(l.X0) + (float32(x)+0.5)/l.Scale - 0.5
		sx = min(max(sx, 0), float32(f.W-1))
		x0 := int(sx)
		xs[x] = int32(x0)
		xw[x] = sx - float32(x0)
	}
	var rgb [3]float32
	for y := range l.NH {
		sy := float32(l.Y0) + (float32(y)+0.5)/l.Scale - 0.5
		sy = min(max(sy, 0), float32(f.H-1))
		y0 := int(sy)
		wy := sy - float32(y0)
		y1 := min(y0+1, f.H-1)
		r0 := f.RGB[y0*f.W*3:]
		r1 := f.RGB[y1*f.W*3:]
		dy := y + l.PadY
		for x := range l.NW {
			x0 := int(xs[x])
			x1 := min(x0+1, f.W-1)
			wx := xw[x]
			dx := x + l.PadX
			for c := range 3 {
				a := float32(r0[x0*3+c])*(1-wx) + float32(r0[x1*3+c])*wx
				b := float32(r1[x0*3+c])*(1-wx) + float32(r1[x1*3+c])*wx
				rgb[c] = a*(1-wy) + b*wy
			}
			if px.Gray {
				dst[dy*l.InW+dx] = (lumaR*rgb[0]+lumaG*rgb[1]+lumaB*rgb[2])*px.Scale + px.Offset
				continue
			}
			for c := range 3 {
				v := rgb[c]*px.Scale + px.Offset
				if px.NCHW {
					dst[c*n+dy*l.InW+dx] = v
				} else {
					dst[(dy*l.InW+dx)*3+c] = v
				}
			}
		}
	}
}

// copyPixels is fillPixels when the region keeps its size (scale 1, as for
// the frames the analysis samples at the model's size): the bilinear
// weights would all be 0, and skipping them is most of the cost.
func (l letterbox) copyPixels(f Frame, dst []float32, px pixels) {
	n := l.InW * l.InH
	for y := range l.NH {
		src := f.RGB[((l.Y0+y)*f.W+l.X0)*3:][:l.NW*3]
		o := (y+l.PadY)*l.InW + l.PadX
		switch {
		case px.Gray:
			row := dst[o : o+l.NW]
			for x := range row {
				p := src[x*3 : x*3+3]
				row[x] = (lumaR*float32(p[0])+lumaG*float32(p[1])+lumaB*float32(p[2]))*px.Scale + px.Offset
			}
		case px.NCHW:
			r, g, b := dst[o:o+l.NW], dst[n+o:n+o+l.NW], dst[2*n+o:2*n+o+l.NW]
			for x := range r {
				p := src[x*3 : x*3+3]
				r[x] = float32(p[0])*px.Scale + px.Offset
				g[x] = float32(p[1])*px.Scale + px.Offset
				b[x] = float32(p[2])*px.Scale + px.Offset
			}
		default:
			row := dst[o*3 : (o+l.NW)*3]
			for i, v := range src {
				row[i] = float32(v)*px.Scale + px.Offset
			}
		}
	}
}

// iou is the intersection over union of two x, y, w, h boxes.
func iou(a, b [4]float32) float32 {
	x1, y1 := max(a[0], b[0]), max(a[1], b[1])
	x2, y2 := min(a[0]+a[2], b[0]+b[2]), min(a[1]+a[3], b[1]+b[3])
	if x2 <= x1 || y2 <= y1 {
		return 0
	}
	inter := (x2 - x1) * (y2 - y1)
	return inter / (a[2]*a[3] + b[2]*b[3] - inter)
}

// nms keeps, class by class, the best of objects that overlap by more than
// thresh, and returns them best first.
func nms(objs []Object, thresh float32) []Object {
	sort.SliceStable(objs, func(i, j int) bool { return objs[i].Score > objs[j].Score })
	kept := objs[:0:0]
	for _, o := range objs {
		ok := true
		for _, k := range kept {
			if k.Class == o.Class && iou(k.Box, o.Box) > thresh {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, o)
		}
	}
	return kept
}
