package core

import "time"

// StageKind tells open stages from the terminal Won and Lost.
type StageKind string

// The stage kinds.
const (
	StageOpen StageKind = "open"
	StageWon  StageKind = "won"
	StageLost StageKind = "lost"
)

// Stage is one step of a pipeline.
type Stage struct {
	ID          int64
	PipelineID  int64
	Name        string
	Position    int
	Probability int // percent, 0..100
	RotDays     int // days without activity before a deal rots; 0: never
	Kind        StageKind
	// Labels are the stage's name in other languages, by language
	// ("th": "เสนอราคา"); Name is what anyone else reads.
	Labels Labels
}

// Label is the stage's name in lang ("th", "zh-Hans").
func (s *Stage) Label(lang string) string { return s.Labels.In(lang, s.Name) }

// RotLimit is the stage's rotting limit as a duration, 0 when it never rots.
func (s *Stage) RotLimit() time.Duration { return time.Duration(s.RotDays) * 24 * time.Hour }

// Pipeline is an ordered list of stages ending in Won and Lost.
type Pipeline struct {
	ID        int64
	Name      string
	IsDefault bool
	Stages    []Stage // ordered by Position; open stages first, then Won, Lost
}

// Stage returns the stage with the id, or nil.
func (p *Pipeline) Stage(id int64) *Stage {
	for i := range p.Stages {
		if p.Stages[i].ID == id {
			return &p.Stages[i]
		}
	}
	return nil
}

// OpenStages returns the non-terminal stages in order.
func (p *Pipeline) OpenStages() []Stage {
	var out []Stage
	for _, s := range p.Stages {
		if s.Kind == StageOpen {
			out = append(out, s)
		}
	}
	return out
}

// Terminal returns the won or lost stage.
func (p *Pipeline) Terminal(kind StageKind) *Stage {
	for i := range p.Stages {
		if p.Stages[i].Kind == kind {
			return &p.Stages[i]
		}
	}
	return nil
}

// PipelineDef is a pipeline as configured, before it has ids.
type PipelineDef struct {
	Name    string
	Default bool
	Stages  []StageDef // open stages in order; Won and Lost are added
}

// StageDef is a configured stage.
type StageDef struct {
	Name        string
	Probability int
	RotDays     int
	Labels      Labels
}

// Labels are a name in other languages, by language as leadwire names
// them ("th", "fa", "zh-Hans"): what people of that language read and
// may type.
type Labels map[string]string

// In is the label in lang, else name.
func (l Labels) In(lang, name string) string {
	if s := l[lang]; s != "" {
		return s
	}
	return name
}
