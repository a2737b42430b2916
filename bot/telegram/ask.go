package telegram

import (
	"context"
	"regexp"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"leadwire/bot"
)

// askMark starts a prompt that asks for a text (the Reply button's): a
// message that answers it, with Telegram's reply, completes the prompt's
// command.
const askMark = "✍️ "

// askRef finds the lead or deal a prompt is about: its last L123 or D45.
var askRef = regexp.MustCompile(`\b[LD][0-9]+\b`)

// ask sends a prompt with force_reply, so the presser's next message
// answers it.
func (a *Adapter) ask(ctx context.Context, chat int64, r bot.Reply) error {
	_, err := a.api.SendMessage(ctx, &tg.SendMessageParams{ChatID: chat, Text: askMark + r.Ask.Prompt,
		ReplyMarkup: &models.ForceReply{ForceReply: true, Selective: true, InputFieldPlaceholder: clipRunes(r.Ask.Prompt, 64)}})
	return err
}

// answered turns the answer to a prompt into its command: "reply L12
// TEXT" for a text answering "✍️ Your answer to Anna (L12):"; ok is false
// when m answers nothing of the bot's.
func (a *Adapter) answered(m *models.Message) (string, bool) {
	to := m.ReplyToMessage
	text := strings.TrimSpace(m.Text)
	if to == nil || to.From == nil || !to.From.IsBot || !strings.HasPrefix(to.Text, askMark) || text == "" || strings.HasPrefix(text, "/") {
		return "", false
	}
	if me := a.username.Load(); me != nil && *me != "" && !strings.EqualFold(to.From.Username, *me) {
		return "", false
	}
	refs := askRef.FindAllString(to.Text, -1)
	if len(refs) == 0 {
		return "", false
	}
	return "reply " + refs[len(refs)-1] + " " + text, true
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
