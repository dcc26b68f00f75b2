package media

import (
	"image"
	"image/color"
)

// Downscale shrinks img to w×h by averaging the source pixels each target
// pixel covers (a box filter: no aliasing when shrinking a lot, and every
// source pixel is read once).
func Downscale(img image.Image, w, h int) image.Image {
	if y, ok := img.(*image.YCbCr); ok {
		return downYCbCr(y, w, h)
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for ty := 0; ty < h; ty++ {
		y0, y1 := span(ty, h, b.Dy())
		for tx := 0; tx < w; tx++ {
			x0, x1 := span(tx, w, b.Dx())
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := img.At(b.Min.X+sx, b.Min.Y+sy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			dst.SetRGBA(tx, ty, color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), uint8(a / n >> 8)})
		}
	}
	return dst
}

// span is the source range [lo, hi) target index i of n covers in m source pixels.
func span(i, n, m int) (int, int) {
	lo, hi := i*m/n, (i+1)*m/n
	if hi <= lo {
		hi = lo + 1
	}
	return lo, min(hi, m)
}

func downYCbCr(src *image.YCbCr, w, h int) *image.YCbCr {
	b := src.Bounds()
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	boxPlane(src.Y[src.YOffset(b.Min.X, b.Min.Y):], src.YStride, b.Dx(), b.Dy(), dst.Y, dst.YStride, w, h)
	cw, ch := chromaSize(src.SubsampleRatio, b.Dx(), b.Dy())
	off := src.COffset(b.Min.X, b.Min.Y)
	dw, dh := (w+1)/2, (h+1)/2
	boxPlane(src.Cb[off:], src.CStride, cw, ch, dst.Cb, dst.CStride, dw, dh)
	boxPlane(src.Cr[off:], src.CStride, cw, ch, dst.Cr, dst.CStride, dw, dh)
	return dst
}

// chromaSize is the size of a chroma plane of a w×h picture.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

func boxPlane(src []byte, sstride, sw, sh int, dst []byte, dstride, dw, dh int) {
	for ty := 0; ty < dh; ty++ {
		y0, y1 := span(ty, dh, sh)
		for tx := 0; tx < dw; tx++ {
			x0, x1 := span(tx, dw, sw)
			sum, n := 0, 0
			for sy := y0; sy < y1; sy++ {
				row := src[sy*sstride:]
				for sx := x0; sx < x1; sx++ {
					sum += int(row[sx])
				}
				n += x1 - x0
			}
			dst[ty*dstride+tx] = uint8((sum + n/2) / n)
		}
	}
}
