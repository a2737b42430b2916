package telegram

import (
	"testing"

	"leadwire/internal/golden"
)

func TestGoldenDigest(t *testing.T) {
	w := newWorld(t)
	w.lead(`Ömer <Siam & "Co">`, "omer@siam.example")
	w.lead("علی رضایی", "ali@example.ir")
	rep, err := w.conv.DigestReply(w.ctx, w.users["somchai"].ID, "2026-11-02")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "digest.golden", []byte(HTML(rep)))
}
