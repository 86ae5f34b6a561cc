package process_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

// tenSteps is the benchmark's workflow: Start, ten steps that each add a key to the state, Done. Every step's
// state is persisted in process_steps before the next one runs.
func tenSteps() *workflow.Workflow {
	steps := []workflow.Step{workflow.Init}
	for i := range 10 {
		key := fmt.Sprintf("step_%d", i+1)
		steps = append(steps, workflow.NewStep(fmt.Sprintf("Step %d", i+1), func(_ *workflow.Context, in struct {
			Name string `json:"name"`
		}) (map[string]any, error) {
			return map[string]any{key: in.Name + " " + key}, nil
		}))
	}
	return &workflow.Workflow{Name: "ten_steps", Target: workflow.TargetSystem, Description: "Ten steps",
		Form: workflow.FormFor[struct {
			Name string `json:"name" validate:"required"`
		}](),
		Steps: append(steps, workflow.Done)}
}

// BenchmarkProcesses measures processes per second of a ten-step workflow: synchronously (TESTING=true), and on a
// worker pool of one and of eight workers, on SQLite and on PostgreSQL.
//
//	scripts/with-postgres go test -run '^$' -bench Processes -benchtime 200x ./process
func BenchmarkProcesses(b *testing.B) {
	dialects := map[string]func(testing.TB) string{"sqlite": dbtest.SQLiteURI, "postgres": dbtest.PostgresURL}
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, mode := range []struct {
			name    string
			workers int
		}{{"sync", 0}, {"workers=1", 1}, {"workers=8", 8}} {
			b.Run(dialect+"/"+mode.name, func(b *testing.B) {
				uri := dialects[dialect](b)
				opts := []process.Option{process.Synchronous(true)}
				if mode.workers > 0 {
					opts = []process.Option{process.Synchronous(false), process.Workers(mode.workers), process.PollInterval(20 * time.Millisecond)}
				}
				h := workflowtest.New(b, workflowtest.DatabaseURI(uri), workflowtest.Workflows(tenSteps()), workflowtest.EngineOptions(opts...))
				ctx := context.Background()
				pids := make([]uuid.UUID, 0, b.N)
				b.ResetTimer()
				start := time.Now()
				for i := range b.N {
					pid, err := h.Engine.Start(ctx, "ten_steps", map[string]any{"name": fmt.Sprint("p", i)})
					if err != nil {
						b.Fatal(err)
					}
					pids = append(pids, pid)
				}
				for _, pid := range pids {
					p, err := h.Engine.Wait(ctx, pid)
					if err != nil {
						b.Fatal(err)
					}
					if p.Status != process.Completed || len(p.Steps) != 12 {
						b.Fatalf("%s: %s after %d steps: %s", pid, p.Status, len(p.Steps), p.FailedReason)
					}
				}
				elapsed := time.Since(start)
				b.StopTimer()
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "processes/s")
				b.ReportMetric(float64(b.N*12)/elapsed.Seconds(), "steps/s")
			})
		}
	}
}
