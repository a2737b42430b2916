package telegram

import (
	"strings"
	"testing"

	"leadwire/bot"
)

func TestSendUploadsTheReplyCharts(t *testing.T) {
	w := newWorld(t)
	png := "\x89PNG\r\n\x1a\nchart bytes"
	r := bot.Reply{Text: "Daily digest", Charts: []bot.Chart{
		{Name: "forecast.png", Title: "Forecast <2026-11> & target", PNG: []byte(png)},
		{Name: "funnel.png", Title: "Funnel", PNG: []byte(png)},
	}}
	if _, err := w.adapter.Send(w.ctx, int64(7001), r); err != nil {
		t.Fatal(err)
	}
	calls := w.api.take()
	if got := strings.Join(names(calls), " "); got != "sendMessage sendPhoto sendPhoto" {
		t.Fatalf("calls %s", got)
	}
	p := calls[1].Params
	if p["chat_id"] != "7001" || p["photo"] != "forecast.png:"+png || p["caption"] != "Forecast &lt;2026-11&gt; &amp; target" || p["parse_mode"] != "HTML" {
		t.Errorf("sendPhoto %v", p)
	}
	t.Run("a reply without charts sends no photo", func(t *testing.T) {
		if _, err := w.adapter.Send(w.ctx, int64(7001), bot.Reply{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(w.api.take()), " "); got != "sendMessage" {
			t.Errorf("calls %s", got)
		}
	})
}
