package main

import (
	"fmt"
	"time"

	"leadwire/core"
)

// DealsEnrollCmd enrolls a deal's contact in a sequence.
type DealsEnrollCmd struct {
	Deal     string `arg:"" help:"Deal id, e.g. D45 (or a lead, L123)."`
	Sequence string `arg:"" help:"A sequence configured under sequences."`
}

// Run enrolls the contact; serve sends the steps.
func (c *DealsEnrollCmd) Run(a *App) error {
	ref, err := core.ParseRef(c.Deal)
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	e, err := svc.Sequences.Enroll(a.ctx, actor, ref, c.Sequence)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s enrolled in %s (enrolment %d); first mail due %s\n", ref, e.Sequence, e.ID, e.NextRunAt.In(actor.Location()).Format(time.RFC3339))
	if failing, since, err := svc.Connectors.MailFailing(a.ctx); err != nil {
		return err
	} else if failing != "" {
		fmt.Fprintf(a.errOut, "warning: sending mail has failed since %s: %s; the mail goes out once the server takes it again (leadwire connectors status)\n", a.when(actor, since), failing)
	}
	return nil
}

// DealsUnenrollCmd stops a deal's sequences.
type DealsUnenrollCmd struct {
	Deal     string `arg:"" help:"Deal id, e.g. D45 (or a lead, L123)."`
	Sequence string `arg:"" optional:"" help:"Only this sequence."`
}

// Run stops the sequences.
func (c *DealsUnenrollCmd) Run(a *App) error {
	ref, err := core.ParseRef(c.Deal)
	if err != nil {
		return err
	}
	svc, actor, err := a.session()
	if err != nil {
		return err
	}
	n, err := svc.Sequences.Unenroll(a.ctx, actor, ref, c.Sequence)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "stopped %d sequence(s) of %s\n", n, ref)
	return nil
}
