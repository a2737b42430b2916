package golden

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// CheckPNG compares the picture got (PNG) with testdata/name, or writes
// it there with -update. Rasterizing can differ a little between
// machines (fused multiply-add on some processors rounds edges
// differently), so a pixel counts as changed only when a channel moved
// by more than 32 of 255, and up to slack changed pixels pass. A picture
// that fails is written next to the golden file as NAME.got.png to look
// at.
func CheckPNG(t testing.TB, name string, got []byte, slack int) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(path + ".got.png")
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	want, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	img, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("the picture is no PNG: %v", err)
	}
	if n := changedPixels(img, want); n > slack {
		_ = os.WriteFile(path+".got.png", got, 0o644)
		t.Errorf("%s changed in %d pixels (%d allowed); see %s.got.png (run with -update if the change is right)", path, n, slack, path)
	}
}

// changedPixels counts the pixels of a and b that differ by more than 32
// in a channel; every pixel counts when the sizes differ.
func changedPixels(a, b image.Image) int {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Size() != bb.Size() {
		return max(ab.Dx()*ab.Dy(), bb.Dx()*bb.Dy())
	}
	n := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				n++
			}
		}
	}
	return n
}

func far(a, b uint32) bool {
	const limit = 32 << 8 // of 0xffff
	return a > b+limit || b > a+limit
}
