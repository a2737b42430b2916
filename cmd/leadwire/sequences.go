package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"leadwire/bot/mail"
	"leadwire/cmd/leadwire/config"
	"leadwire/core"
)

// sequenceWorker sends the steps of email sequences.
type sequenceWorker struct {
	river.WorkerDefaults[core.SequenceStepJob]
	svc    *core.Service
	mailer core.Mailer // nil: no smtp configured
}

// Work implements river.Worker.
func (w *sequenceWorker) Work(ctx context.Context, job *river.Job[core.SequenceStepJob]) error {
	err := w.svc.SequenceStep(ctx, w.mailer, job.Args)
	if err != nil && job.Attempt >= job.MaxAttempts {
		if gerr := w.svc.GiveUpSequenceStep(ctx, job.Args, err); gerr != nil {
			return errors.Join(err, gerr)
		}
	}
	return err
}

// sequenceMailer is the SMTP sender sequence steps go out through, nil
// when smtp is not configured; status is told how each delivery went.
func sequenceMailer(cfg *config.Config, status mail.Status) (core.Mailer, error) {
	s, err := smtpSender(cfg, status)
	if s == nil {
		return nil, err
	}
	return mail.Mailer{S: s}, nil
}

// smtpSender is the sender of digests and sequence steps, nil when smtp
// is not configured; how each delivery went is the status of the smtp
// connector (leadwire connectors status, the connector alerts).
func smtpSender(cfg *config.Config, status mail.Status) (*mail.Sender, error) {
	if !cfg.SMTP.Enabled() {
		return nil, nil
	}
	s := cfg.SMTP
	sender, err := mail.NewSender(mail.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		From: s.FromAddress(), Status: status})
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return sender, nil
}

// addSequenceWorker registers the sequence step worker; it is there even
// without sequences, so steps left from an earlier configuration end
// rather than fail as an unknown kind.
func (a *App) addSequenceWorker(workers *river.Workers) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	svc, err := a.Service()
	if err != nil {
		return err
	}
	m, err := sequenceMailer(cfg, svc)
	if err != nil {
		return err
	}
	if m == nil && len(cfg.Sequences) > 0 {
		a.Logger().Warn("sequences are configured but smtp is not; their steps will stop")
	}
	river.AddWorker(workers, &sequenceWorker{svc: svc, mailer: m})
	return nil
}
