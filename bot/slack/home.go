package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"leadwire/bot"
)

// Home is the App Home tab of a user: their pipeline by stage and today's
// tasks, the answers to "pipeline" and "today" on one page. A stranger
// sees the access answer.
func (a *Adapter) Home(ctx context.Context, slackID string) bot.Reply {
	u, err := a.user(ctx, slackID)
	switch {
	case err != nil:
		a.log.Error("slack user lookup failed", "slack", slackID, "err", err)
		return trouble(a.conv.Printer(nil, ""))
	case u == nil:
		return bot.Unknown("slack", slackID)
	}
	pipeline := a.conv.Handle(ctx, u, "pipeline")
	today := a.conv.Handle(ctx, u, "today")
	home := bot.Reply{Text: strings.TrimSpace(pipeline.Text + "\n" + today.Text), Lang: pipeline.Lang}
	for _, r := range []bot.Reply{pipeline, today} {
		home.Cards = append(home.Cards, r.Cards...)
		home.Lists = append(home.Lists, r.Lists...)
		home.Buttons = append(home.Buttons, r.Buttons...)
	}
	return home
}

// publishHome shows the Home tab (views.publish).
func (a *Adapter) publishHome(ctx context.Context, slackID string) error {
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: Blocks(a.Home(ctx, slackID))}}
	_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: slackID, View: view})
	return err
}
