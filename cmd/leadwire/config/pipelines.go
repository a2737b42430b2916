package config

import (
	"fmt"
	"maps"
	"strings"

	"leadwire/core"
)

// checkPipelines validates the pipelines, or takes the default ones from
// configs/pipelines.yaml when none are configured. When no pipeline says
// default: true, the first is the default.
func (c *Config) checkPipelines(p *problems) {
	if len(c.PipelineList) == 0 {
		c.PipelineList = defaultPipelines(p)
	}
	c.pipelines = make([]core.PipelineDef, 0, len(c.PipelineList))
	names := map[string]int{}
	defaultAt := -1
	for i, pl := range c.PipelineList {
		path := fmt.Sprintf("pipelines[%d]", i)
		def := core.PipelineDef{Name: strings.TrimSpace(pl.Name), Default: pl.Default}
		if def.Name == "" {
			p.errf(path+".name", "a pipeline needs a name")
		} else if first, dup := names[strings.ToLower(def.Name)]; dup {
			p.errf(path+".name", "duplicate pipeline name %q (also pipelines[%d] at line %d)", def.Name, first, p.line(fmt.Sprintf("pipelines[%d]", first)))
		} else {
			names[strings.ToLower(def.Name)] = i
		}
		if pl.Default {
			if defaultAt >= 0 {
				p.errf(path+".default", "only one pipeline can be the default; pipelines[%d] (%s) already is", defaultAt, c.PipelineList[defaultAt].Name)
				def.Default = false
			} else {
				defaultAt = i
			}
		}
		if len(pl.Stages) == 0 {
			p.errf(path+".stages", "a pipeline needs at least one open stage; Won and Lost are added after them")
		}
		stages := map[string]int{}
		for j, s := range pl.Stages {
			at := fmt.Sprintf("%s.stages[%d]", path, j)
			sd := core.StageDef{Name: strings.TrimSpace(s.Name), RotDays: s.RotDays}
			if base, labels := s.Label.check(p, at+".label"); base != "" || len(labels) > 0 {
				if base != "" && labels["en"] == "" {
					labels = maps.Clone(labels)
					if labels == nil {
						labels = core.Labels{}
					}
					labels["en"] = base // a label for everyone is the English one: the name stays the stage's key
				}
				sd.Labels = labels
			}
			switch lower := strings.ToLower(sd.Name); {
			case sd.Name == "":
				p.errf(at+".name", "a stage needs a name")
			case lower == string(core.StageWon) || lower == string(core.StageLost):
				p.errf(at+".name", "%s is added to every pipeline after its open stages; do not list it", sd.Name)
			default:
				if first, dup := stages[lower]; dup {
					p.errf(at+".name", "duplicate stage %q (also stages[%d])", sd.Name, first)
				}
				stages[lower] = j
			}
			switch {
			case s.Probability == nil:
				p.errf(at+".probability", "a stage needs a probability, the percent chance a deal in it is won (0-100)")
			case *s.Probability < 0 || *s.Probability > 100:
				p.errf(at+".probability", "probability %d is out of range; give a percent from 0 to 100", *s.Probability)
			default:
				sd.Probability = *s.Probability
			}
			if s.RotDays < 0 {
				p.errf(at+".rot_days", "rot_days must be 0 (never rots) or more, not %d", s.RotDays)
			}
			def.Stages = append(def.Stages, sd)
		}
		c.pipelines = append(c.pipelines, def)
	}
	if defaultAt < 0 && len(c.pipelines) > 0 {
		c.pipelines[0].Default = true
	}
}
