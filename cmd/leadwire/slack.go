package main

import (
	"fmt"

	"leadwire/bot"
	slackbot "leadwire/bot/slack"
	"leadwire/cmd/leadwire/config"
)

// slackAdapter builds the Slack adapter from the slack section; nil when
// Slack is off.
func (a *App) slackAdapter() (*slackbot.Adapter, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.Slack.Enabled() {
		return nil, nil
	}
	if cfg.Slack.Mode == config.SlackSocket {
		return nil, fmt.Errorf("slack.mode socket is not available yet; use http with a public URL for /slack/commands, /slack/interactions and /slack/events")
	}
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	log := a.Logger().With("chat", "slack")
	conv := bot.NewConversation(svc, nil, bot.Options{Prefix: slackbot.Prefix(cfg.Slack.Command), Log: log})
	return slackbot.New(conv, svc, slackbot.Options{BotToken: cfg.Slack.BotToken, SigningSecret: cfg.Slack.SigningSecret,
		Command: cfg.Slack.Command, AutoProvision: cfg.Slack.AutoProvision, APIURL: cfg.Slack.APIURL, Log: log}), nil
}

// mountSlack mounts the Slack endpoints when Slack is on.
func (s *server) mountSlack(slack *slackbot.Adapter) {
	if slack == nil {
		return
	}
	for pattern, h := range slack.Routes() {
		s.handle(pattern, h)
	}
}
