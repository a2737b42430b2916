package slack

import (
	"strings"
	"testing"

	"leadwire/bot"
	"leadwire/storage/storagetest"
)

func TestPostUploadsTheReplyCharts(t *testing.T) {
	w := newWorld(t, storagetest.SQLite(t), false)
	png := []byte("\x89PNG\r\n\x1a\nchart bytes")
	r := bot.Reply{Text: "Daily digest", Charts: []bot.Chart{{Name: "forecast.png", Title: "Forecast 2026-11 against target", PNG: png}}}
	if _, err := w.adapter.post(w.ctx, "U0SOMCHAI", "", r); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if got := strings.Join(methods(calls), " "); got != "chat.postMessage files.getUploadURLExternal /upload/F0002 files.completeUploadExternal" {
		t.Fatalf("calls %s", got)
	}
	if c := calls[1]; c.Param("filename") != "forecast.png" || c.Param("length") != "19" {
		t.Errorf("getUploadURLExternal %s", c.Raw)
	}
	if !strings.Contains(calls[2].Raw, string(png)) || !strings.Contains(calls[2].Raw, `filename="forecast.png"`) {
		t.Errorf("upload body %q", calls[2].Raw)
	}
	if c := calls[3]; c.Param("channel_id") != "D0U0SOMCHAI" || !strings.Contains(c.Param("files"), `"title":"Forecast 2026-11 against target"`) {
		t.Errorf("completeUploadExternal %s", c.Raw)
	}
	t.Run("a reply without charts uploads nothing", func(t *testing.T) {
		if _, err := w.adapter.post(w.ctx, "C0BKK", "", bot.Reply{Text: "hello"}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(methods(w.api.take()), " "); got != "chat.postMessage" {
			t.Errorf("calls %s", got)
		}
	})
}
