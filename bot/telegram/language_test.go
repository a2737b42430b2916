package telegram

import (
	"strings"
	"testing"
	"unicode/utf16"

	"leadwire/internal/lang"
)

// withLanguage sets the Telegram app's language on a text update.
func withLanguage(u map[string]any, code string) map[string]any {
	u["message"].(map[string]any)["from"].(map[string]any)["language_code"] = code
	return u
}

func TestTheTelegramAppsLanguageIsKept(t *testing.T) {
	w := newWorld(t)
	w.link("pim", 222) // Pim sets no language of her own
	w.lead("Anong Wongsa", "anong@siam.example")
	m := sent(t, w.handle(withLanguage(text(222, "/leads unclaimed"), "vi")))
	if !strings.Contains(m.Params["text"], "Lead chưa ai nhận của nhóm bạn") {
		t.Fatalf("a Vietnamese Telegram app got:\n%s", m.Params["text"])
	}
	u, err := w.db.UserByID(w.ctx, w.users["pim"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.ChatLocale != "vi" {
		t.Errorf("chat locale %q, want vi", u.ChatLocale)
	}
	t.Run("a stranger is answered in their app's language", func(t *testing.T) {
		m := sent(t, w.handle(withLanguage(text(999, "/leads"), "th")))
		if !strings.Contains(m.Params["text"], "คุณยังไม่ได้เป็นผู้ใช้ leadwire") {
			t.Fatalf("stranger got:\n%s", m.Params["text"])
		}
	})
}

func TestTheStrangersAlertFitsTelegramsLimitInEveryLanguage(t *testing.T) {
	for _, l := range lang.Languages {
		if n := len(utf16.Encode([]rune(lang.Default().For(l).T("telegram.stranger")))); n > 200 {
			t.Errorf("%s: the stranger's alert is %d UTF-16 units; Telegram takes 200", l, n)
		}
	}
}
