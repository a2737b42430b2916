package main

import (
	"log/slog"

	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/connectors/chat"
	"leadwire/core"
)

// jobParts are the adapters the job handlers need; any may be nil when
// it is not configured.
type jobParts struct {
	slack     *slackbot.Adapter
	telegram  *telegrambot.Adapter
	intake    *chat.Telegram
	notifiers map[string]core.Notifier
	counts    core.NoticeCounter
	mailer    core.Mailer         // sequence steps; nil: no smtp
	replies   core.ProspectSender // reps' replies by mail; nil: no smtp
	retention core.RetentionCounter
}

// jobHandlers are the handlers of every job kind serve runs. The handlers
// of kinds whose adapter is off are there all the same, so jobs left from
// an earlier configuration end rather than fail as an unknown kind.
func jobHandlers(svc *core.Service, p jobParts, log *slog.Logger) *core.Handlers {
	h := core.NewHandlers()
	addNewLead(h, svc)
	addNotices(h, svc, p.notifiers, p.counts)
	addFollowUps(h, svc)
	addChatReplies(h, svc, p.intake, p.slack, p.replies, log)
	core.Handle(h, svc.Notices.HandleDigestTick, core.JobTimeout(core.DigestTimeout))
	core.Handle(h, svc.Connectors.HandleCheck)
	core.Handle(h, svc.Sequences.SequenceStepHandler(p.mailer))
	core.Handle(h, svc.RetentionHandler(p.retention))
	return h
}

// periodicJobs are the jobs serve's leader enqueues on a timer.
func periodicJobs() []core.Periodic {
	return append([]core.Periodic{core.CheckConnectorsPeriodic(), core.DigestPeriodic(), core.RetentionPeriodic()}, core.SweepPeriodic()...)
}

// addNewLead adds the handlers of the new-lead jobs an earlier version
// queued: each announces the new-lead notice, which goes out as every
// notice does.
func addNewLead(h *core.Handlers, svc *core.Service) {
	core.Handle(h, svc.HandleNewLead)
	core.Handle(h, svc.HandleTelegramNewLead)
}

// addNotices adds the handlers of reminders and notices.
func addNotices(h *core.Handlers, svc *core.Service, notifiers map[string]core.Notifier, counts core.NoticeCounter) {
	core.Handle(h, svc.HandleReminder)
	core.Handle(h, svc.Notices.NewNoticeSender(notifiers, counts).Handle)
}

// addFollowUps adds the handlers of the follow-up sweeps and the rules.
func addFollowUps(h *core.Handlers, svc *core.Service) {
	core.Handle(h, svc.HandleSweep, core.JobTimeout(core.SweepTimeout))
	core.Handle(h, svc.HandleRule)
}

// addChatReplies adds the handler that delivers the reps' replies to
// prospects, through the intake bot, in a Slack intake thread, or by mail
// (mailer, nil without smtp); with one off, replies meant for it end with
// a note on the timeline and a word to the rep.
func addChatReplies(h *core.Handlers, svc *core.Service, intake *chat.Telegram, slack *slackbot.Adapter, mailer core.ProspectSender, log *slog.Logger) {
	var poster chat.SlackPoster
	if slack != nil {
		poster = slack
	}
	chats := chat.NewReplySender(intake, poster)
	senders := core.ProspectSenders{core.ChannelTelegram: chats, core.ChannelSlack: chats}
	if mailer != nil {
		senders[core.ChannelEmail] = mailer
	}
	core.Handle(h, svc.ChatReplyHandler(senders))
}
