package workflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/workflow"
)

func jsonNumber(s string) json.Number { return json.Number(s) }

func TestRegistry(t *testing.T) {
	t.Parallel()
	a := &workflow.Workflow{Name: "a", Target: workflow.TargetSystem, Steps: []workflow.Step{workflow.Done}}
	b := &workflow.Workflow{Name: "b", Target: workflow.TargetCreate, Steps: []workflow.Step{workflow.Done}}
	reg, err := workflow.NewRegistry(b, a)
	require.NoError(t, err)
	require.Equal(t, []*workflow.Workflow{a, b}, reg.All())
	got, err := reg.Get("a")
	require.NoError(t, err)
	require.Same(t, a, got)
	_, err = reg.Get("c")
	require.ErrorIs(t, err, workflow.ErrUnknownWorkflow)
	require.EqualError(t, reg.Add(a), "workflow: a is registered twice")

	for _, bad := range []*workflow.Workflow{
		{Name: "has space", Target: workflow.TargetSystem, Steps: []workflow.Step{workflow.Done}},
		{Name: "x", Target: "RECONCILE", Steps: []workflow.Step{workflow.Done}},
		{Name: "y", Target: workflow.TargetSystem},
		{Name: "z", Target: workflow.TargetSystem, Steps: []workflow.Step{{}}},
	} {
		require.Error(t, reg.Add(bad), bad.Name)
	}
	long := &workflow.Workflow{Name: "long", Target: workflow.TargetSystem, Description: strings.Repeat("d", workflow.MaxDescription+1), Steps: []workflow.Step{workflow.Done}}
	require.EqualError(t, reg.Add(long), "workflow: long: the description has 2001 characters; workflows.description holds at most 2000")
	require.Len(t, reg.All(), 2)
}

func TestStateMerge(t *testing.T) {
	t.Parallel()
	s := workflow.State{"a": map[string]any{"x": 1, "y": 2}, "b": 1}
	shallow := s.Merge(workflow.State{"a": map[string]any{"x": 3}})
	require.Equal(t, map[string]any{"x": 3}, shallow["a"])
	deep := s.DeepMerge(workflow.State{"a": map[string]any{"x": 3}, "c": []any{1}})
	require.Equal(t, map[string]any{"x": 3, "y": 2}, deep["a"])
	require.Equal(t, []any{1}, deep["c"])
	require.Equal(t, map[string]any{"x": 1, "y": 2}, s["a"], "merging does not change the original")

	big, err := workflow.ParseState([]byte(`{"n": 12345678901234567890}`))
	require.NoError(t, err)
	data, err := big.JSON()
	require.NoError(t, err)
	require.JSONEq(t, `{"n": 12345678901234567890}`, string(data))
}

type in struct {
	N int `json:"n"`
}

type out struct {
	Double int `json:"double"`
}

func TestStepExecute(t *testing.T) {
	t.Parallel()
	ctx := &workflow.Context{Context: context.Background()}
	double := workflow.NewStep("Double", func(_ *workflow.Context, in in) (out, error) { return out{Double: in.N * 2}, nil })
	res := double.Execute(ctx, workflow.State{"n": json.Number("21")})
	require.Equal(t, workflow.StepSuccess, res.Status)
	require.Equal(t, "42", fmt.Sprint(res.State["double"]))

	res = double.If(func(s workflow.State) bool { return false }).Execute(ctx, workflow.State{"n": 1})
	require.Equal(t, workflow.StepSkipped, res.Status)

	res = double.Execute(ctx, workflow.State{"n": "not a number"})
	require.Equal(t, workflow.StepFailed, res.Status)
	require.Contains(t, res.State["error"], "decoding the state")

	wrapped := workflow.NewStep("Fail", func(*workflow.Context, struct{}) (struct{}, error) {
		return struct{}{}, fmt.Errorf("provisioning: %w", workflow.Fail("port busy", map[string]any{"port": 3}))
	})
	res = wrapped.Execute(ctx, workflow.State{})
	require.Equal(t, workflow.State{"class": "workflow.FailureError", "error": "provisioning: port busy", "details": map[string]any{"port": json.Number("3")}}, res.State)

	retry := workflow.NewRetryStep("Retry", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, errors.New("later") })
	require.Equal(t, workflow.StepWaiting, retry.Execute(ctx, workflow.State{}).Status)
	require.Equal(t, workflow.StepAbort, workflow.AbortStep.Execute(ctx, workflow.State{}).Status)
	require.Equal(t, workflow.StepComplete, workflow.Done.Execute(ctx, workflow.State{}).Status)
	input := workflow.NewInputStep[struct{}]("Ask", workflow.AssigneeChanges)
	require.Equal(t, workflow.StepSuspend, input.Execute(ctx, workflow.State{}).Status)
	require.Equal(t, workflow.AssigneeChanges, input.Assignee())
}
