package process_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

// A process note is stored and read back (processes.note, 5.x); blank stores NULL, too long is refused.
func TestProcessNote(t *testing.T) {
	t.Parallel()
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		ctx := context.Background()
		p := h.Run("greet", map[string]any{"name": "Ada"}, map[string]any{"count": 1})
		require.Empty(t, p.Note)
		note := strings.Repeat("ü", process.MaxNote)
		require.NoError(t, h.Engine.SetNote(ctx, p.ID, &note))
		got := h.Get(p.ID)
		require.Equal(t, note, got.Note)
		require.Equal(t, p.LastModifiedAt, got.LastModifiedAt, "a note does not change the process")

		long := note + "!"
		require.ErrorIs(t, h.Engine.SetNote(ctx, p.ID, &long), process.ErrNoteTooLong)
		require.Equal(t, note, h.Get(p.ID).Note)

		blank := " \n"
		require.NoError(t, h.Engine.SetNote(ctx, p.ID, &blank))
		var null bool
		require.NoError(t, h.DB.QueryRow("SELECT note IS NULL FROM processes WHERE pid = $1", p.ID).Scan(&null))
		require.True(t, null)
		require.ErrorIs(t, h.Engine.SetNote(ctx, uuid.New(), nil), process.ErrNotFound)
	})
}
