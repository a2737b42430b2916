package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"leadwire/core"
)

// stages are every pipeline's stages, by id and by pipeline and name,
// loaded once per request: for naming stages that core gives by name
// (funnels, digests) in the asker's language.
type stages struct {
	byID   map[int64]*core.Stage
	byName map[string]*core.Stage // pipeline name or id, "\x00", stage name
	any    map[string]*core.Stage // stage name, the first pipeline's stage of that name
}

func (r *request) stages(ctx context.Context) *stages {
	if r.stageIndex != nil {
		return r.stageIndex
	}
	s := &stages{byID: map[int64]*core.Stage{}, byName: map[string]*core.Stage{}, any: map[string]*core.Stage{}}
	ps, _ := r.c.svc.Directory.Pipelines(ctx) // without them, stages read by their names
	for i := range ps {
		p := &ps[i]
		for j := range p.Stages {
			st := &p.Stages[j]
			s.byID[st.ID] = st
			s.byName[p.Name+"\x00"+st.Name] = st
			s.byName[strconv.FormatInt(p.ID, 10)+"\x00"+st.Name] = st
			if s.any[st.Name] == nil {
				s.any[st.Name] = st
			}
		}
	}
	r.stageIndex = s
	return s
}

// label is a stage's name in the asker's language: its configured label,
// else for Won and Lost the catalog's word, else its name.
func (r *request) label(st *core.Stage) string {
	if st == nil {
		return "?"
	}
	lang := r.p.Lang()
	if l := st.Labels[lang]; l != "" {
		return l
	}
	if lang != "en" {
		switch st.Kind {
		case core.StageWon:
			return r.t("stage.won")
		case core.StageLost:
			return r.t("stage.lost")
		}
	}
	return st.Name
}

// stageLabel names the stage of id (name when it is gone).
func (r *request) stageLabel(ctx context.Context, id int64, name string) string {
	if st := r.stages(ctx).byID[id]; st != nil {
		return r.label(st)
	}
	return name
}

// stageLabelIn names a stage of the pipeline with that name or id.
func (r *request) stageLabelIn(ctx context.Context, pipeline, name string) string {
	if st := r.stages(ctx).byName[pipeline+"\x00"+name]; st != nil {
		return r.label(st)
	}
	return name
}

// stageLabelAny names a stage that core gives by its name alone (losses
// by the stage they were lost from, across pipelines).
func (r *request) stageLabelAny(ctx context.Context, name string) string {
	if st := r.stages(ctx).any[name]; st != nil {
		return r.label(st)
	}
	return name
}

// reason is a stored lost or disqualify reason in the asker's language.
func (r *request) reason(reasons []core.Reason, stored string) string {
	return core.ReasonLabel(reasons, stored, r.p.Lang())
}

// warnings are figures' warnings in the asker's language, joined.
func (r *request) warnings(ws []core.Warning) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = r.p.ErrorText(w.Err())
	}
	return strings.Join(out, "; ")
}

// labeled is d with its funnels' stages named in the asker's language,
// for the pictures drawn from it.
func (r *request) labeled(ctx context.Context, d *core.Digest) *core.Digest {
	out := *d
	out.Funnels = make([]core.PipelineFunnel, len(d.Funnels))
	for i, f := range d.Funnels {
		f.Stages = slices.Clone(f.Stages)
		for j := range f.Stages {
			f.Stages[j].Stage = r.stageLabelIn(ctx, strconv.FormatInt(f.Stages[j].Pipeline, 10), f.Stages[j].Stage)
		}
		out.Funnels[i] = f
	}
	return &out
}
