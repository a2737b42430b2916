package main

import (
	"github.com/prometheus/client_golang/prometheus"

	slackbot "leadwire/bot/slack"
	telegrambot "leadwire/bot/telegram"
	"leadwire/core"
)

// noticeMetrics count notices on /metrics: delivered, and failed for good
// (undeliverable, or out of attempts), by channel and kind.
type noticeMetrics struct {
	delivered *prometheus.CounterVec
	failed    *prometheus.CounterVec
}

func newNoticeMetrics() *noticeMetrics {
	return &noticeMetrics{
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leadwire_notices_total", Help: "Notices delivered, by channel and kind.",
		}, []string{"channel", "kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leadwire_notice_failures_total", Help: "Notices that could not be delivered for good, by channel and kind.",
		}, []string{"channel", "kind"}),
	}
}

// register adds the counters to a registry.
func (m *noticeMetrics) register(r prometheus.Registerer) {
	r.MustRegister(m.delivered, m.failed)
}

// notifiers are the configured chats' notifiers by channel.
func notifiers(slack *slackbot.Adapter, telegram *telegrambot.Adapter) map[string]core.Notifier {
	out := map[string]core.Notifier{}
	if slack != nil {
		out[slack.Channel()] = slack
	}
	if telegram != nil {
		out[telegram.Channel()] = telegram
	}
	return out
}

// Delivered implements core.NoticeCounter.
func (m *noticeMetrics) Delivered(channel string, kind core.NoticeKind) {
	m.delivered.WithLabelValues(channel, string(kind)).Inc()
}

// Failed implements core.NoticeCounter.
func (m *noticeMetrics) Failed(channel string, kind core.NoticeKind) {
	m.failed.WithLabelValues(channel, string(kind)).Inc()
}
