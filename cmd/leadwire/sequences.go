package main

import (
	"context"
	"errors"

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
// when smtp is not configured.
func sequenceMailer(cfg *config.Config) (core.Mailer, error) {
	if !cfg.SMTP.Enabled() {
		return nil, nil
	}
	s, err := mail.NewSender(mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: cfg.SMTP.TLS,
		Username: cfg.SMTP.Username, Password: cfg.SMTP.Password, From: cfg.SMTP.FromAddress()})
	if err != nil {
		return nil, err
	}
	return mail.Mailer{S: s}, nil
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
	m, err := sequenceMailer(cfg)
	if err != nil {
		return err
	}
	if m == nil && len(cfg.Sequences) > 0 {
		a.Logger().Warn("sequences are configured but smtp is not; their steps will stop")
	}
	river.AddWorker(workers, &sequenceWorker{svc: svc, mailer: m})
	return nil
}
