package wfo_test

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/workflow"
)

// opsTestApp is the application of the process, subscription and serve scripts: the example's products and
// workflows, two tasks that suspend and fail on purpose, and a command of its own.
func opsTestApp() {
	app := wfo.New(
		wfo.WithName("wfo-ops"),
		wfo.WithProducts(netapp.Products),
		wfo.WithEmbeddedRevisions(netapp.Migrations, "netapp:migrations"),
		wfo.WithWorkflows(netapp.Workflows...),
		wfo.WithWorkflows(OpsWorkflows...),
		wfo.WithCommands(func() *cobra.Command {
			return &cobra.Command{Use: "hello", Short: "Say hello.", RunE: func(cmd *cobra.Command, _ []string) error {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), "hello from the application")
				return err
			}}
		}),
	)
	os.Exit(app.Main(os.Args[1:]))
}

// ApproveForm is what task_approve waits for.
type ApproveForm struct {
	Approved bool   `json:"approved" validate:"required"`
	Comment  string `json:"comment" validate:"max=20"`
}

// OpsWorkflows are the test tasks: task_approve suspends until it is resumed with an approval, task_flaky fails
// until the file its input names exists.
var OpsWorkflows = []*workflow.Workflow{
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
		Form: workflow.FormFor[flakyForm](),
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Call inventory", func(_ *workflow.Context, in flakyForm) (map[string]any, error) {
				if _, err := os.Stat(in.FlagFile); err != nil {
					return nil, fmt.Errorf("inventory unreachable: %s is missing", in.FlagFile)
				}
				return map[string]any{"inventory": "ok"}, nil
			}),
			workflow.Done,
		},
	},
}

type flakyForm struct {
	FlagFile string `json:"flag_file" validate:"required"`
}
