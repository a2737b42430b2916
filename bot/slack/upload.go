package slack

import (
	"bytes"
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"leadwire/bot"
)

// uploadCharts shares a reply's charts (PNG) in the channel its message
// went to, in the same thread when it was in one, with Slack's external
// upload (files.getUploadURLExternal, the upload, then
// files.completeUploadExternal). channel must be the id chat.postMessage
// answered with: a DM's D… id, not the user's U… one.
func (a *Adapter) uploadCharts(ctx context.Context, channel, thread string, r bot.Reply) error {
	for _, ch := range r.Charts {
		if len(ch.PNG) == 0 {
			continue
		}
		_, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: channel, ThreadTimestamp: thread,
			Filename: ch.Name, Title: ch.Title, AltTxt: ch.Title,
			FileSize: len(ch.PNG), Reader: bytes.NewReader(ch.PNG),
		})
		if err != nil {
			return fmt.Errorf("upload %s to %s: %w", ch.Name, channel, err)
		}
	}
	return nil
}
