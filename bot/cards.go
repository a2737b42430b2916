package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leadwire/core"
)

// leadCard shows a lead with the buttons that fit its state.
func (r *request) leadCard(ctx context.Context, l *core.Lead) Card {
	ref := l.Ref()
	card := Card{Ref: ref, Title: ref}
	if c, err := r.c.svc.LeadContact(ctx, r.user, l); err == nil {
		card.Title, card.Subtitle = contactTitle(c, ref), contactLine(r, c)
	}
	switch l.Status {
	case core.LeadNew:
		card.Status, card.Tone = r.t("lead.status.new"), ToneWarn
	case core.LeadClaimed:
		card.Status = r.t("lead.status.claimed")
	case core.LeadQualified:
		card.Status, card.Tone = r.t("lead.status.qualified", "Deal", core.DealRef(l.DealID)), ToneGood
	case core.LeadDisqualified:
		card.Status, card.Tone = r.t("lead.status.disqualified", "Reason", r.reason(r.c.svc.Settings().DisqualifyReasons, l.DisqualifyReason)), ToneBad
	}
	source := l.SourceChannel
	if l.SourceName != "" {
		source += " (" + l.SourceName + ")"
	}
	card.Fields = []Field{{r.t("field.score"), fmt.Sprint(l.Score)}, {r.t("field.source"), source}, {r.t("field.received"), r.at(l.CreatedAt)}}
	if l.TeamID != 0 {
		if t, err := r.c.svc.Directory.TeamByID(ctx, l.TeamID); err == nil {
			card.Fields = append(card.Fields, Field{r.t("field.team"), t.Name})
		}
	}
	if l.OwnerID != 0 {
		card.Fields = append(card.Fields, Field{r.t("field.owner"), r.userName(ctx, l.OwnerID)})
	}
	// What the Telegram intake knows of the prospect, and how to answer.
	if u := l.Metadata["telegram_username"]; u != "" {
		card.Fields = append(card.Fields, Field{"Telegram", u})
	}
	if lang := l.Metadata["language"]; lang != "" {
		card.Fields = append(card.Fields, Field{r.t("field.language"), lang})
	}
	if l.Open() && (l.SourceChannel == core.ChannelTelegram || l.SourceChannel == core.ChannelSlack) {
		card.Note = r.t("lead.answer_in_chat", "Command", r.c.cmd(r.c.word(r.p, r.c.byName["reply"])+" "+ref+" "+r.t("arg.text")))
	}
	card.Text = clip(strings.TrimSpace(l.Subject+"\n"+l.Message), 300)
	switch {
	case readOnly(r.user, l.OwnerID):
		// A teammate's lead, read in a team whose reps read the team's.
	case l.Open():
		if l.OwnerID == 0 {
			card.Buttons = append(card.Buttons, Button{r.t("button.claim"), act("claim", ref), StylePrimary})
			if r.user.Role != core.RoleRep {
				card.Buttons = append(card.Buttons, Button{r.t("button.assign_next"), act("assign", ref, "next"), StyleDefault})
			}
		}
		card.Buttons = append(card.Buttons, Button{r.t("button.qualify"), act("qualify", ref), StyleDefault},
			Button{r.t("button.disqualify"), act("disq", ref), StyleDanger})
	case l.DealID != 0:
		card.Buttons = append(card.Buttons, Button{r.t("button.open", "Ref", core.DealRef(l.DealID)), act("show", core.DealRef(l.DealID)), StyleDefault})
	}
	return card
}

func contactTitle(c *core.Contact, fallback string) string {
	switch {
	case c.Name != "" && c.Company != "":
		return c.Name + " (" + c.Company + ")"
	case c.Name != "":
		return c.Name
	case c.Company != "":
		return c.Company
	case len(c.Emails) > 0:
		return c.Emails[0]
	}
	return fallback
}

func contactLine(r *request, c *core.Contact) string {
	var parts []string
	if len(c.Emails) > 0 {
		parts = append(parts, c.Emails[0])
	}
	if len(c.Phones) > 0 {
		parts = append(parts, c.Phones[0])
	} else if len(c.InvalidPhones) > 0 {
		parts = append(parts, r.t("contact.invalid_phone", "Phone", c.InvalidPhones[0]))
	}
	return strings.Join(parts, " · ")
}

// dealCard shows a deal with its next step, its latest activity and the
// buttons that fit its state.
func (r *request) dealCard(ctx context.Context, d *core.Deal) Card {
	ref := d.Ref()
	card := Card{Ref: ref, Title: d.Title}
	if c, err := r.c.svc.DealContact(ctx, r.user, d); err == nil {
		card.Subtitle = strings.Trim(contactTitle(c, "")+" · "+contactLine(r, c), " ·")
	}
	p := r.pipeline(ctx, d.PipelineID)
	var stage *core.Stage
	if p != nil {
		stage = p.Stage(d.StageID)
	}
	stageName := r.stageName(ctx, d)
	switch d.Status {
	case core.DealWon:
		card.Status, card.Tone = r.t("deal.status.won", "When", r.at(d.ClosedAt)), ToneGood
	case core.DealLost:
		card.Status, card.Tone = r.t("deal.status.lost", "Reason", r.reason(r.c.svc.Settings().LostReasons, d.LostReason)), ToneBad
	default:
		card.Status = r.t("deal.status.open", "Stage", stageName)
		if p != nil {
			for i, st := range p.OpenStages() {
				if st.ID == d.StageID {
					card.Status = r.t("deal.status.open_of", "Stage", stageName, "N", i+1, "Of", len(p.OpenStages()))
				}
			}
		}
		if stage != nil && stage.RotDays > 0 && r.now.Sub(lastTouch(d)) > stage.RotLimit() {
			card.Status += r.p.N("deal.status.rotting", int(r.now.Sub(lastTouch(d)).Hours()/24))
			card.Tone = ToneWarn
		}
	}
	prob := d.EffectiveProbability(stage)
	card.Fields = []Field{
		{r.t("field.value"), r.money(d.Value)},
		{r.t("field.probability"), fmt.Sprintf("%d%%", prob)},
		{r.t("field.owner"), r.userName(ctx, d.OwnerID)},
		{r.t("field.expected_close"), r.closeDate(d.ExpectedClose)},
		{r.t("field.last_activity"), r.ago(lastTouch(d))},
	}
	if names, err := r.c.svc.CompanyNames(ctx, d.ContactID); err == nil && names[d.ContactID] != "" {
		card.Fields = append(card.Fields, Field{r.t("field.company"), names[d.ContactID]})
	}
	if d.LeadID != 0 {
		card.Fields = append(card.Fields, Field{r.t("field.lead"), core.LeadRef(d.LeadID)})
	}
	card.Fields = append(card.Fields, r.bantFieldsOf(d.Qualification)...)
	if t, a, err := r.c.svc.DealNext(ctx, r.user, d); err == nil {
		if t != nil {
			card.Fields = append(card.Fields, Field{r.t("field.next_task"), fmt.Sprintf("T%d %s · %s", t.ID, r.at(t.Due()), t.Title)})
		}
		if a != nil {
			card.Note = r.t("deal.latest", "Text", clip(r.activityText(ctx, *a), 120), "Ago", r.ago(a.At))
		}
	}
	switch {
	case readOnly(r.user, d.OwnerID):
		return card // a teammate's deal: read, not changed
	case d.Status != core.DealOpen:
		card.Buttons = []Button{{r.t("button.reopen"), act("reopen", ref), StyleDefault}}
		return card
	}
	if next := nextStage(p, d.StageID); next != nil {
		card.Buttons = append(card.Buttons, Button{"→ " + r.label(next), act("stage", ref, fmt.Sprint(next.ID)), StylePrimary})
	}
	card.Buttons = append(card.Buttons, Button{r.t("button.won"), act("won", ref), StyleDefault},
		Button{r.t("button.lost"), act("lost", ref), StyleDanger},
		Button{r.t("button.remind_tomorrow"), act("remind", ref, "tomorrow"), StyleDefault})
	return card
}

// nextStage is the open stage after the deal's, nil at the last.
func nextStage(p *core.Pipeline, stageID int64) *core.Stage {
	if p == nil {
		return nil
	}
	open := p.OpenStages()
	for i := range open {
		if open[i].ID == stageID && i+1 < len(open) {
			return &open[i+1]
		}
	}
	return nil
}

func lastTouch(d *core.Deal) time.Time {
	if d.LastActivityAt.IsZero() {
		return d.CreatedAt
	}
	return d.LastActivityAt
}

// closeDate shows an expected close date; it is a calendar date, the same
// in every zone.
func (r *request) closeDate(t time.Time) string {
	if t.IsZero() {
		return r.t("not_set")
	}
	return r.dates.short(t.UTC(), true)
}

// dealItem is a deal's line in a list.
func (r *request) dealItem(ctx context.Context, d *core.Deal) Item {
	text := fmt.Sprintf("%s · %s · %s", d.Title, r.stageName(ctx, d), r.money(d.Value))
	it := Item{Ref: d.Ref(), Text: text, Action: act("show", d.Ref())}
	var detail []string
	if d.OwnerID != r.user.ID {
		detail = append(detail, r.userName(ctx, d.OwnerID))
	}
	if !d.ExpectedClose.IsZero() {
		detail = append(detail, r.t("deal.item.closes", "Date", r.closeDate(d.ExpectedClose)))
	}
	detail = append(detail, r.t("deal.item.active", "Ago", r.ago(lastTouch(d))))
	it.Detail = strings.Join(detail, " · ")
	return it
}

// leadItem is a lead's line in a list.
func (r *request) leadItem(ctx context.Context, l *core.Lead) Item {
	who := l.Ref()
	if c, err := r.c.svc.LeadContact(ctx, r.user, l); err == nil {
		who = contactTitle(c, who)
	}
	it := Item{Ref: l.Ref(), Text: r.t("lead.item", "Who", who, "Score", l.Score, "Source", l.SourceChannel), Action: act("show", l.Ref())}
	detail := []string{r.t("lead.item.received", "Ago", r.ago(l.CreatedAt))}
	if l.OwnerID == 0 {
		detail = append(detail, r.t("lead.item.unclaimed"))
		it.Tone = ToneWarn
	} else if l.OwnerID != r.user.ID {
		detail = append(detail, r.userName(ctx, l.OwnerID))
	}
	if l.Subject != "" {
		detail = append(detail, clip(l.Subject, 60))
	}
	it.Detail = strings.Join(detail, " · ")
	return it
}

// taskItem is a task's line in a list, with Done and Snooze buttons.
func (r *request) taskItem(ctx context.Context, t core.Task) Item {
	ref := fmt.Sprintf("T%d", t.ID)
	when := r.at(t.Due())
	it := Item{Ref: ref, Text: when + " · " + t.Title}
	switch {
	case t.Done:
		it.Text, it.Tone = r.t("task.item.done", "Title", t.Title), ToneGood
	case t.Due().Before(r.now):
		it.Text, it.Tone = r.t("task.item.overdue", "When", when, "Title", t.Title), ToneWarn
	}
	switch {
	case t.DealID != 0:
		it.Detail = r.t("task.item.on", "Ref", core.DealRef(t.DealID))
	case t.LeadID != 0:
		it.Detail = r.t("task.item.on", "Ref", core.LeadRef(t.LeadID))
	}
	if t.OwnerID != r.user.ID {
		it.Detail = strings.TrimPrefix(it.Detail+" · "+r.userName(ctx, t.OwnerID), " · ")
	}
	switch {
	case !t.Done && t.Kind == core.TaskMeeting:
		// A meeting's reminder asks whether it took place.
		it.Buttons = []Button{{r.t("button.held"), act("held", ref), StylePrimary},
			{r.t("button.done"), act("done", ref), StyleDefault},
			{r.t("button.snooze_1h"), act("snooze", ref, "1h"), StyleDefault}}
	case !t.Done:
		it.Buttons = []Button{{r.t("button.done"), act("done", ref), StylePrimary},
			{r.t("button.snooze_1h"), act("snooze", ref, "1h"), StyleDefault},
			{r.t("button.tomorrow"), act("snooze", ref, "tomorrow"), StyleDefault}}
	}
	return it
}

// readOnly reports whether u reads a record of owner without being able
// to change it: a rep, and someone else's.
func readOnly(u *core.User, owner int64) bool {
	return u.Role == core.RoleRep && owner != 0 && owner != u.ID
}
