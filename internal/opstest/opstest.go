// Package opstest is what the tests of the process, subscription and serve commands and of the HTTP API share:
// the example application's products and workflows, two tasks that suspend and fail on purpose, and a database
// with all of it.
package opstest

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"testing"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/workflow"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the revision that adds the rows of the test tasks.
var Migrations = func() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}()

// ApproveForm is what task_approve waits for.
type ApproveForm struct {
	Approved bool   `json:"approved" validate:"required"`
	Comment  string `json:"comment" validate:"max=20"`
}

// FlakyForm is task_flaky's input: the file whose absence makes it fail.
type FlakyForm struct {
	FlagFile string `json:"flag_file" validate:"required"`
}

// CallbackResult is what task_callback's external system posts to its callback route.
type CallbackResult struct {
	OK   bool   `json:"ok"`
	Port string `json:"port"`
}

// Tasks are the test tasks: task_approve suspends until it is resumed with an approval, task_flaky fails until
// the file its input names exists, task_callback awaits an external system's result at its callback route.
var Tasks = []*workflow.Workflow{
	{
		Name: "task_approve", Target: workflow.TargetSystem, Description: "Wait for an approval", IsTask: true,
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewInputStep[ApproveForm]("Approve", workflow.AssigneeNOC),
			workflow.NewStep("Record", func(_ *workflow.Context, in ApproveForm) (map[string]any, error) {
				return map[string]any{"recorded": in.Comment}, nil
			}),
			workflow.Done,
		},
	},
	{
		Name: "task_flaky", Target: workflow.TargetSystem, Description: "Fail until a file exists", IsTask: true,
		Form: workflow.FormFor[FlakyForm](),
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Call inventory", func(_ *workflow.Context, in FlakyForm) (map[string]any, error) {
				if _, err := os.Stat(in.FlagFile); err != nil {
					return nil, fmt.Errorf("inventory unreachable: %s is missing", in.FlagFile)
				}
				return map[string]any{"inventory": "ok"}, nil
			}),
			workflow.Done,
		},
	},
	{
		Name: "task_callback", Target: workflow.TargetSystem, Description: "Await an external system", IsTask: true,
		Steps: slices.Concat([]workflow.Step{workflow.Init},
			workflow.CallbackStep("Provision port",
				workflow.NewStep("Order port", func(_ *workflow.Context, in struct {
					Route string `json:"callback_route"`
				}) (map[string]any, error) {
					return map[string]any{"ordered_with": in.Route}, nil
				}),
				workflow.NewStep("Check port", func(_ *workflow.Context, in struct {
					Result CallbackResult `json:"callback_result"`
				}) (map[string]any, error) {
					if !in.Result.OK {
						return nil, fmt.Errorf("the inventory refused the port")
					}
					return map[string]any{"port": in.Result.Port}, nil
				})),
			[]workflow.Step{workflow.Done}),
	},
}

// Workflows are the example's workflows and the test tasks.
func Workflows() []*workflow.Workflow {
	return append(append([]*workflow.Workflow{}, netapp.Workflows...), Tasks...)
}

// Open opens the database at uri with the core schema, the example's catalogue and workflows, and the test tasks.
func Open(t testing.TB, uri string) *database.DB {
	return coretest.Open(t, uri, migration.EmbeddedLocation(netapp.Migrations, "netapp:migrations"), migration.EmbeddedLocation(Migrations, "opstest:migrations"))
}
