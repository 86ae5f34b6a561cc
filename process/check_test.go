package process_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

type gizmoBlock struct {
	domain.Block `wfo:"Gizmo"`
	PeerName     *string `wfo:"peer_name"`
}

type gizmo struct {
	domain.Subscription
	Gizmo gizmoBlock `wfo:"gizmo"`
}

// TestStartRefusesModelNotInDatabase starts a workflow of an engine whose domain model is not in the catalogue:
// refused with every difference and the command that fixes it, until the catalogue is there.
func TestStartRefusesModelNotInDatabase(t *testing.T) {
	t.Parallel()
	reg := domain.MustNewRegistry(domain.Product[gizmo]("Gizmo"))
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		ctx := context.Background()
		_, err := h.Engine.Start(ctx, "greet", map[string]any{"name": "Ada", "count": 1})
		require.ErrorIs(t, err, subscription.ErrCatalogueMismatch)
		require.EqualError(t, err, `process: subscription: the domain model and the database catalogue differ (run db migrate-domain-models): `+
			`product "Gizmo" is missing; product block Gizmo is missing; resource type peer_name is missing`)
		require.Equal(t, 0, countProcesses(t, h), "nothing was created")

		coretest.Catalogue(t, h.DB, reg, nil)
		pid, err := h.Engine.Start(ctx, "greet", map[string]any{"name": "Ada", "count": 1})
		require.NoError(t, err)
		h.RequireStatus(h.Get(pid), process.Completed)
	}, workflowtest.Products(reg))
}

// TestAsyncEngineChecksModel: an asynchronous engine refuses as a synchronous one does.
func TestAsyncEngineChecksModel(t *testing.T) {
	t.Parallel()
	reg := domain.MustNewRegistry(domain.Product[gizmo]("Gizmo"))
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		ctx := context.Background()
		coretest.Catalogue(t, h.DB, reg, nil)
		pid, err := h.Engine.Start(ctx, "greet", map[string]any{"name": "Ada", "count": 1})
		require.NoError(t, err)
		h.RequireStatus(h.Get(pid), process.Completed)

		other := process.New(h.DB, h.Engine.Registry(), process.WithProducts(domain.MustNewRegistry(domain.Product[gizmo]("Gizmo 2"))),
			process.Synchronous(false), process.PollInterval(10*time.Millisecond))
		t.Cleanup(func() { other.Close() })
		_, err = other.Start(ctx, "greet", map[string]any{"name": "Ada", "count": 1})
		require.ErrorContains(t, err, `product "Gizmo 2" is missing`)
	}, workflowtest.Products(reg))
}

func countProcesses(t *testing.T, h *workflowtest.Harness) int {
	t.Helper()
	var n int
	require.NoError(t, h.DB.QueryRow("SELECT COUNT(*) FROM processes").Scan(&n))
	return n
}
