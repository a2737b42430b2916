package bot

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/vector"

	"leadwire/internal/typeset"
)

type rgba = color.RGBA

func rgb(r, g, b uint8) rgba { return rgba{R: r, G: g, B: b, A: 0xff} }

// align places text at a point: its start, middle or end there, start
// being the left for a left-to-right chart and the right for a
// right-to-left one.
type align int

const (
	alignStart align = iota
	alignMiddle
	alignEnd
)

// canvas is a chart being drawn: shapes and shaped text on a white
// picture. For a right-to-left reader the layout is mirrored: x is
// measured from the right, and text starts there.
type canvas struct {
	img    *image.RGBA
	ts     *typeset.Typesetter
	rtl    bool
	raster vector.Rasterizer
}

func newCanvas(ts *typeset.Typesetter, rtl bool) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, chartWidth, chartHeight)), ts: ts, rtl: rtl}
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	return c
}

// x is where the layout's x falls on the picture.
func (c *canvas) x(x float64) float64 {
	if c.rtl {
		return chartWidth - x
	}
	return x
}

// heading writes a chart's title and, smaller, its subtitle at the top
// of the picture, on the reader's starting side.
func (c *canvas) heading(title, sub string) {
	c.fitText(title, 17, chartWidth-32, 16, 28, alignStart, inkTitle)
	c.fitText(sub, 12, chartWidth-32, 16, 47, alignStart, inkMuted)
}

// rect fills the box from (x0, y0) to (x1, y1), on whole pixels.
func (c *canvas) rect(x0, y0, x1, y1 float64, col rgba) {
	x0, x1 = c.x(x0), c.x(x1)
	r := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1))).Canon()
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// polygon fills the shape with corners pts, anti-aliased.
func (c *canvas) polygon(col rgba, pts [][2]float64) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range pts {
		pts[i][0] = c.x(pts[i][0])
		minX, maxX = min(minX, pts[i][0]), max(maxX, pts[i][0])
		minY, maxY = min(minY, pts[i][1]), max(maxY, pts[i][1])
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))).Intersect(c.img.Bounds())
	if r.Empty() {
		return
	}
	c.raster.Reset(r.Dx(), r.Dy())
	c.raster.DrawOp = draw.Over
	for i, p := range pts {
		x, y := float32(p[0]-float64(r.Min.X)), float32(p[1]-float64(r.Min.Y))
		if i == 0 {
			c.raster.MoveTo(x, y)
		} else {
			c.raster.LineTo(x, y)
		}
	}
	c.raster.ClosePath()
	c.raster.Draw(c.img, r, image.NewUniform(col), image.Point{})
}

// text writes s at size pixels per em with its baseline at y.
func (c *canvas) text(s string, size, x, y float64, a align, col rgba) {
	c.draw(c.ts.Shape(s, size), x, y, a, col)
}

// fitText writes s as text does, smaller when it would be wider than
// width (down to 8 pixels per em).
func (c *canvas) fitText(s string, size, width, x, y float64, a align, col rgba) {
	l := c.ts.Shape(s, size)
	if l.Width > width && size > 8 {
		l = c.ts.Shape(s, max(8, math.Floor(size*width/l.Width)))
	}
	c.draw(l, x, y, a, col)
}

func (c *canvas) draw(l typeset.Line, x, y float64, a align, col rgba) {
	x = c.x(x)
	if c.rtl && a != alignMiddle {
		a = alignEnd - a // the start is on the right
	}
	switch a {
	case alignMiddle:
		x -= l.Width / 2
	case alignEnd:
		x -= l.Width
	}
	c.ts.Draw(c.img, l, x, y, col)
}

func (c *canvas) png() ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, c.img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
