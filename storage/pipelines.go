package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"leadwire/core"
)

type pipelineRow struct {
	ID        int64  `db:"id"`
	Name      string `db:"name"`
	IsDefault bool   `db:"is_default"`
}

const stageCols = `s.id, s.pipeline_id, s.name, s.position, s.probability, s.rot_days, s.kind, s.labels`

type stageRow struct {
	ID          int64  `db:"id"`
	PipelineID  int64  `db:"pipeline_id"`
	Name        string `db:"name"`
	Position    int    `db:"position"`
	Probability int    `db:"probability"`
	RotDays     int    `db:"rot_days"`
	Kind        string `db:"kind"`
	Labels      string `db:"labels"`
}

func (r *stageRow) stage() core.Stage {
	var labels core.Labels
	_ = fromJSON(nullStr(r.Labels), &labels) // labels unreadable: the stage still reads by its name
	return core.Stage{
		Labels:      labels,
		ID:          r.ID,
		PipelineID:  r.PipelineID,
		Name:        r.Name,
		Position:    r.Position,
		Probability: r.Probability,
		RotDays:     r.RotDays,
		Kind:        core.StageKind(r.Kind),
	}
}

// pipelines loads the pipelines matching cond (on alias p), with their
// stages in position order, in id order.
func (r *reader) pipelines(ctx context.Context, cond string, args ...any) ([]core.Pipeline, error) {
	var prows []pipelineRow
	if err := r.sel(ctx, &prows, `SELECT p.id, p.name, p.is_default FROM pipelines p WHERE `+cond+` ORDER BY p.id`, args...); err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	if len(prows) == 0 {
		return nil, nil
	}
	var srows []stageRow
	if err := r.sel(ctx, &srows, `SELECT `+stageCols+` FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
		WHERE `+cond+` ORDER BY s.pipeline_id, s.position, s.id`, args...); err != nil {
		return nil, fmt.Errorf("list stages: %w", err)
	}
	out := make([]core.Pipeline, len(prows))
	at := make(map[int64]int, len(prows))
	for i, p := range prows {
		out[i] = core.Pipeline{ID: p.ID, Name: p.Name, IsDefault: p.IsDefault}
		at[p.ID] = i
	}
	for i := range srows {
		p := &out[at[srows[i].PipelineID]]
		p.Stages = append(p.Stages, srows[i].stage())
	}
	return out, nil
}

// PipelineByID implements core.Reader.
func (r *reader) PipelineByID(ctx context.Context, id int64) (*core.Pipeline, error) {
	ps, err := r.pipelines(ctx, "p.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, core.Errorf(core.KindNotFound, "pipeline %d not found", id)
	}
	return &ps[0], nil
}

// PipelineByName implements core.Reader; the name is matched
// case-insensitively, and the not-found error lists the pipelines there are.
func (r *reader) PipelineByName(ctx context.Context, name string) (*core.Pipeline, error) {
	ps, err := r.pipelines(ctx, "p.name_key = ?", key(name))
	if err != nil {
		return nil, err
	}
	if len(ps) > 0 {
		return &ps[0], nil
	}
	var names []string
	if err := r.sel(ctx, &names, `SELECT name FROM pipelines ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	if len(names) == 0 {
		return nil, core.Fail(core.KindNotFound, "error.pipeline_not_found_none", `pipeline "{Name}" not found; no pipelines are configured`, "Name", name)
	}
	return nil, core.Fail(core.KindNotFound, "error.pipeline_not_found", `pipeline "{Name}" not found; pipelines are: {Names}`, "Name", name, "Names", strings.Join(names, ", "))
}

// DefaultPipeline implements core.Reader: the pipeline marked default, else
// the first one.
func (r *reader) DefaultPipeline(ctx context.Context) (*core.Pipeline, error) {
	var pid int64
	err := r.get(ctx, &pid, `SELECT id FROM pipelines ORDER BY is_default DESC, id LIMIT 1`)
	if err := found(err, core.Errorf(core.KindNotFound, "no pipelines are configured"), "default pipeline"); err != nil {
		return nil, err
	}
	return r.PipelineByID(ctx, pid)
}

// ListPipelines implements core.Reader, in id order.
func (r *reader) ListPipelines(ctx context.Context) ([]core.Pipeline, error) {
	return r.pipelines(ctx, "1 = 1")
}

// SavePipeline implements core.Tx. Stages keep their positions when these
// increase along p.Stages; otherwise they are numbered 1, 2, … in order.
// Marking p default unmarks the others.
func (t *Tx) SavePipeline(ctx context.Context, p *core.Pipeline) error {
	var pid int64
	err := t.get(ctx, &pid, `SELECT id FROM pipelines WHERE name_key = ?`, key(p.Name))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("save pipeline %q: %w", p.Name, err)
	}
	if pid == 0 {
		pid, err = t.insert(ctx, `INSERT INTO pipelines (name, name_key, is_default) VALUES (?, ?, ?)`,
			p.Name, key(p.Name), p.IsDefault)
	} else {
		_, err = t.exec(ctx, `UPDATE pipelines SET name = ?, is_default = ? WHERE id = ?`, p.Name, p.IsDefault, pid)
	}
	if err != nil {
		return fmt.Errorf("save pipeline %q: %w", p.Name, err)
	}
	p.ID = pid
	if p.IsDefault {
		if _, err := t.exec(ctx, `UPDATE pipelines SET is_default = ? WHERE id <> ?`, false, pid); err != nil {
			return fmt.Errorf("save pipeline %q: %w", p.Name, err)
		}
	}

	var old []stageRow
	if err := t.sel(ctx, &old, `SELECT `+stageCols+` FROM stages s WHERE s.pipeline_id = ? ORDER BY s.position, s.id`, pid); err != nil {
		return fmt.Errorf("save pipeline %q: %w", p.Name, err)
	}
	existing := make(map[string]int64, len(old))
	for _, s := range old {
		existing[key(s.Name)] = s.ID
	}
	if !increasing(p.Stages) {
		for i := range p.Stages {
			p.Stages[i].Position = i + 1
		}
	}
	last := 0
	for i := range p.Stages {
		s := &p.Stages[i]
		s.PipelineID = pid
		last = s.Position
		k := key(s.Name)
		if sid, ok := existing[k]; ok {
			delete(existing, k)
			s.ID = sid
			_, err = t.exec(ctx, `UPDATE stages SET name = ?, name_key = ?, position = ?, probability = ?, rot_days = ?, kind = ?, labels = ?
				WHERE id = ?`, s.Name, k, s.Position, s.Probability, s.RotDays, string(s.Kind), labelsJSON(s.Labels), sid)
		} else {
			s.ID, err = t.insert(ctx, `INSERT INTO stages (pipeline_id, name, name_key, position, probability, rot_days, kind, labels)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, pid, s.Name, k, s.Position, s.Probability, s.RotDays, string(s.Kind), labelsJSON(s.Labels))
		}
		if err != nil {
			return fmt.Errorf("save stage %q of pipeline %q: %w", s.Name, p.Name, err)
		}
	}
	// Stages no longer configured stay, so deals and history that point at
	// them stay valid, but move after the configured ones.
	for _, s := range old {
		if _, ok := existing[key(s.Name)]; !ok {
			continue
		}
		last++
		if _, err := t.exec(ctx, `UPDATE stages SET position = ? WHERE id = ?`, last, s.ID); err != nil {
			return fmt.Errorf("save pipeline %q: %w", p.Name, err)
		}
	}
	return nil
}

// increasing reports whether the stages' positions strictly increase.
func increasing(stages []core.Stage) bool {
	for i := 1; i < len(stages); i++ {
		if stages[i].Position <= stages[i-1].Position {
			return false
		}
	}
	return true
}

// labelsJSON is how a stage's labels are stored: a JSON object, "" for
// none.
func labelsJSON(l core.Labels) string {
	if len(l) == 0 {
		return ""
	}
	b, _ := json.Marshal(l) // a map of strings always marshals
	return string(b)
}
