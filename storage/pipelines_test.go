package storage_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"leadwire/core"
	"leadwire/storage"
	"leadwire/storage/storagetest"
)

func stageNames(p *core.Pipeline) []string {
	var names []string
	for _, s := range p.Stages {
		names = append(names, s.Name)
	}
	return names
}

func TestPipelines(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t.Run("has no default before any is saved", func(t *testing.T) {
			_, err := db.DefaultPipeline(ctx)
			wantErr(t, err, core.KindNotFound, "no pipelines are configured")
			_, err = db.PipelineByName(ctx, "Sales")
			wantErr(t, err, core.KindNotFound, `pipeline "Sales" not found; no pipelines are configured`)
		})

		sales := salesPipeline()
		update(t, db, func(tx core.Tx) error { return tx.SavePipeline(ctx, &sales) })
		if sales.ID == 0 {
			t.Fatal("pipeline id not set")
		}
		for _, s := range sales.Stages {
			if s.ID == 0 || s.PipelineID != sales.ID {
				t.Fatalf("stage %q: id %d, pipeline %d", s.Name, s.ID, s.PipelineID)
			}
		}

		t.Run("round-trips a new pipeline and its stages", func(t *testing.T) {
			for _, get := range []func() (*core.Pipeline, error){
				func() (*core.Pipeline, error) { return db.PipelineByID(ctx, sales.ID) },
				func() (*core.Pipeline, error) { return db.PipelineByName(ctx, "sALES") },
				func() (*core.Pipeline, error) { return db.DefaultPipeline(ctx) },
			} {
				got, err := get()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sales, *got); diff != "" {
					t.Errorf("pipeline (-want +got):\n%s", diff)
				}
			}
		})

		t.Run("re-sync keeps stage ids and moves dropped stages last", func(t *testing.T) {
			ids := map[string]int64{}
			for _, s := range sales.Stages {
				ids[s.Name] = s.ID
			}
			resync := core.Pipeline{Name: "Sales", IsDefault: true, Stages: []core.Stage{
				{Name: "Qualified", Probability: 20, RotDays: 5, Kind: core.StageOpen},
				{Name: "Demo", Probability: 40, RotDays: 2, Kind: core.StageOpen},
				{Name: "negotiation", Probability: 70, Kind: core.StageOpen},
				{Name: "Won", Probability: 100, Kind: core.StageWon},
				{Name: "Lost", Kind: core.StageLost},
			}}
			update(t, db, func(tx core.Tx) error { return tx.SavePipeline(ctx, &resync) })
			if resync.ID != sales.ID {
				t.Fatalf("pipeline id changed: %d → %d", sales.ID, resync.ID)
			}
			got, err := db.PipelineByID(ctx, sales.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Qualified", "Demo", "negotiation", "Won", "Lost", "Proposal"}
			if diff := cmp.Diff(want, stageNames(got)); diff != "" {
				t.Fatalf("stage order (-want +got):\n%s", diff)
			}
			for _, s := range got.Stages {
				if old, ok := ids[s.Name]; ok && s.ID != old {
					t.Errorf("stage %q changed id %d → %d", s.Name, old, s.ID)
				}
			}
			if got.Stages[2].ID != ids["Negotiation"] || got.Stages[2].Probability != 70 {
				t.Errorf("renamed-case stage lost its id or was not updated: %+v", got.Stages[2])
			}
			if q := got.Stages[0]; q.Probability != 20 || q.RotDays != 5 || q.Position != 1 {
				t.Errorf("qualified stage not updated: %+v", q)
			}
			if diff := cmp.Diff(resync.Stages, got.Stages[:5]); diff != "" {
				t.Errorf("configured stages (-want +got):\n%s", diff)
			}
		})

		t.Run("a new default unmarks the old one", func(t *testing.T) {
			support := core.Pipeline{Name: "Support upsell", IsDefault: true, Stages: []core.Stage{
				{Name: "Open", Kind: core.StageOpen}, {Name: "Won", Kind: core.StageWon}, {Name: "Lost", Kind: core.StageLost},
			}}
			update(t, db, func(tx core.Tx) error { return tx.SavePipeline(ctx, &support) })
			def, err := db.DefaultPipeline(ctx)
			if err != nil || def.ID != support.ID {
				t.Fatalf("default = %v, %v; want %d", def, err, support.ID)
			}
			all, err := db.ListPipelines(ctx)
			if err != nil || len(all) != 2 || all[0].IsDefault || !all[1].IsDefault || len(all[1].Stages) != 3 {
				t.Fatalf("pipelines = %+v, %v", all, err)
			}
		})

		t.Run("an unknown name lists the pipelines there are", func(t *testing.T) {
			_, err := db.PipelineByName(ctx, "Enterprise")
			wantErr(t, err, core.KindNotFound, `pipeline "Enterprise" not found; pipelines are: Sales, Support upsell`)
			_, err = db.PipelineByID(ctx, 999)
			wantErr(t, err, core.KindNotFound, "pipeline 999 not found")
		})
	})
}
