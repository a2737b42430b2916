package main

import (
	"context"
	"maps"
	"slices"

	"leadwire/bot"
	slackbot "leadwire/bot/slack"
	"leadwire/core"
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
	svc, err := a.Service()
	if err != nil {
		return nil, err
	}
	fonts, err := a.chartFonts()
	if err != nil {
		return nil, err
	}
	log := a.Logger().With("chat", "slack")
	conv := bot.NewConversation(svc, nil, bot.Options{Prefix: slackbot.Prefix(cfg.Slack.Command), Log: log, Via: core.ViaSlack, Fonts: fonts})
	opts := slackbot.Options{BotToken: cfg.Slack.BotToken, SigningSecret: cfg.Slack.SigningSecret,
		Command: cfg.Slack.Command, AutoProvision: cfg.Slack.AutoProvision, APIURL: cfg.Slack.APIURL, Log: log}
	if len(cfg.Slack.IntakeChannels) > 0 {
		teams := cfg.Slack.IntakeTeams()
		opts.IntakeChannels, opts.Intake = slices.Sorted(maps.Keys(teams)), slackIntake(svc, teams)
	}
	if cfg.Slack.Mode == slackbot.ModeSocket {
		opts.AppToken = cfg.Slack.AppToken
	}
	return slackbot.New(conv, svc, opts), nil
}

// mountSlack mounts the Slack endpoints when Slack is on in HTTP mode. In
// Socket Mode they are not mounted: there is no signing secret to check
// requests with, and Slack does not call them.
func (s *server) mountSlack(slack *slackbot.Adapter) {
	if slack == nil || s.app.cfg.Slack.Mode == slackbot.ModeSocket {
		return
	}
	s.handleAll(slack.Routes())
}

// slackRun is the part of serve that answers Slack besides the HTTP
// endpoints: the Socket Mode connection, and the slow commands' follow-ups.
type slackRun struct {
	adapter *slackbot.Adapter
	socket  bool
	done    chan struct{} // closed when run returns
}

func (a *App) newSlackRun(adapter *slackbot.Adapter) *slackRun {
	return &slackRun{adapter: adapter, socket: adapter != nil && a.cfg.Slack.Mode == slackbot.ModeSocket,
		done: make(chan struct{})}
}

// run holds the Socket Mode connection until ctx ends; in HTTP mode, or
// with Slack off, it returns at once.
func (r *slackRun) run(ctx context.Context) error {
	defer close(r.done)
	if !r.socket {
		return nil
	}
	return r.adapter.RunSocket(ctx)
}

// stop waits for run to return, so no command comes in any more, then for
// the slow commands to post their answers, until ctx ends. Call it after
// the HTTP server has drained.
func (r *slackRun) stop(ctx context.Context) error {
	if r.adapter == nil {
		return nil
	}
	select {
	case <-r.done:
	case <-ctx.Done():
	}
	return r.adapter.Shutdown(ctx)
}
