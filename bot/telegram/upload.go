package telegram

import (
	"bytes"
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"leadwire/bot"
)

// sendCharts sends a reply's charts (PNG) to a chat after its message, one
// sendPhoto each, captioned with the chart's title.
func (a *Adapter) sendCharts(ctx context.Context, chat any, r bot.Reply) error {
	for _, ch := range r.Charts {
		if err := a.sendChart(ctx, chat, ch); err != nil {
			return err
		}
	}
	return nil
}

// sendChart sends one chart (sendPhoto); one without a picture is left out.
func (a *Adapter) sendChart(ctx context.Context, chat any, ch bot.Chart) error {
	if len(ch.PNG) == 0 {
		return nil
	}
	_, err := a.api.SendPhoto(ctx, &tg.SendPhotoParams{
		ChatID:    chat,
		Photo:     &models.InputFileUpload{Filename: ch.Name, Data: bytes.NewReader(ch.PNG)},
		Caption:   Escape(ch.Title),
		ParseMode: models.ParseModeHTML,
	})
	if err != nil {
		return fmt.Errorf("telegram sendPhoto %s to %v: %w", ch.Name, chat, err)
	}
	return nil
}
