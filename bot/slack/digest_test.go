package slack

import (
	"encoding/json"
	"testing"

	"leadwire/internal/golden"
	"leadwire/storage/storagetest"
)

func TestGoldenDigest(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	w.lead("Bangkok", `Somsak <Siam & "Co">`, "somsak@siam.example")
	w.deal("Bangkok", "niran", "ploy@siam.example")
	rep, err := w.conv.DigestReply(w.ctx, w.users["somchai"].ID, "2026-11-02")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(Message(rep), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "digest.golden", b)
}
