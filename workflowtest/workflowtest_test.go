package workflowtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

type orderForm struct {
	Item     string `json:"item" validate:"required"`
	Quantity int    `json:"quantity" validate:"min=1"`
}

var order = &workflow.Workflow{
	Name: "order", Target: workflow.TargetSystem, Description: "Order something",
	Form: workflow.FormFor[orderForm](),
	Steps: []workflow.Step{
		workflow.Init,
		workflow.NewStep("Price", func(_ *workflow.Context, in orderForm) (map[string]any, error) {
			return map[string]any{"price": in.Quantity * 3}, nil
		}),
		workflow.NewInputStep[struct {
			Approved bool `json:"approved"`
		}]("Approve", workflow.AssigneeChanges),
		workflow.Done,
	},
}

// The harness runs a workflow to completion inside go test, synchronously or on a worker pool.
func TestHarness(t *testing.T) {
	t.Parallel()
	for _, opts := range [][]process.Option{
		nil,
		{process.Synchronous(false), process.Workers(2), process.PollInterval(10 * time.Millisecond)},
	} {
		h := workflowtest.New(t, workflowtest.Workflows(order), workflowtest.EngineOptions(opts...))
		p := h.Run("order", map[string]any{"item": "cable", "quantity": 4})
		h.RequireStatus(p, process.Suspended)
		require.Equal(t, "12", p.State["price"].(interface{ String() string }).String())
		p = h.Resume(p.ID, map[string]any{"approved": true})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, true, p.State["approved"])

		_, err := h.Start("order", map[string]any{"quantity": 0})
		require.ErrorIs(t, err, workflow.ErrInvalidInput)
	}
}
