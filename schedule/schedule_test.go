package schedule_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/schedule"
)

func names(l schedule.List) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.Name)
	}
	return out
}

func TestDefaultsAreTheReferences(t *testing.T) {
	t.Parallel()
	d := schedule.Defaults()
	require.NoError(t, d.Validate())
	var got []string
	for _, s := range d {
		got = append(got, s.Name+": "+s.Run.String()+" "+s.When.String())
	}
	require.Equal(t, []string{
		"Resume workflows: workflow task_resume_workflows every 1 hour",
		"Clean up tasks: workflow task_clean_up_tasks every 6 hours",
		"Subscriptions Validator: workflow task_validate_subscriptions every 1 day at 00:10",
		"Validate Products and inactive subscriptions: workflow task_validate_products every 1 day at 02:30",
		"Validate awaiting callbacks: workflow task_validate_awaiting_callbacks every 30 seconds",
	}, got)
	require.False(t, d[0].SkipIfUnfinished)
	require.True(t, d[3].SkipIfUnfinished)
}

func TestListAddReplaceRemove(t *testing.T) {
	t.Parallel()
	d := schedule.Defaults()
	nop := schedule.Func("nop", func(context.Context) error { return nil })
	l := d.With(
		schedule.Schedule{Name: "Report", Run: nop, When: schedule.Cron("@daily")},
		schedule.Schedule{Name: schedule.CleanUpTasks, Run: schedule.Workflow("task_clean_up_tasks"), When: schedule.Every(1, schedule.Hour)},
	).Without(schedule.ResumeWorkflows)
	require.Equal(t, []string{schedule.CleanUpTasks, schedule.SubscriptionsValidator, schedule.ValidateProducts, schedule.ValidateAwaitingCallbacks, "Report"}, names(l))
	c, ok := l.Get(schedule.CleanUpTasks)
	require.True(t, ok)
	require.Equal(t, "every 1 hour", c.When.String())
	require.Len(t, d, 5, "With and Without leave the receiver alone")
	_, ok = l.Get("nope")
	require.False(t, ok)
}

// force's keyword matches the name or the target's name, case-sensitively; "" matches all.
func TestMatch(t *testing.T) {
	t.Parallel()
	d := schedule.Defaults()
	require.Equal(t, []string{schedule.SubscriptionsValidator, schedule.ValidateProducts, schedule.ValidateAwaitingCallbacks}, names(d.Match("validate")))
	require.Equal(t, []string{schedule.ResumeWorkflows}, names(d.Match("Resume")))
	require.Equal(t, []string{schedule.ResumeWorkflows}, names(d.Match("resume")))
	require.Equal(t, []string{schedule.SubscriptionsValidator}, names(d.Match("Subscriptions")))
	require.Empty(t, d.Match("RESUME"))
	require.Len(t, d.Match(""), 5)
}

func TestValidate(t *testing.T) {
	t.Parallel()
	nop := schedule.Func("nop", func(context.Context) error { return nil })
	every := schedule.Every(1, schedule.Hour)
	for want, s := range map[string]schedule.Schedule{
		"a schedule needs a name":                             {Run: nop, When: every},
		`"x": nothing to run`:                                 {Name: "x", When: every},
		`"x": the function needs a name`:                      {Name: "x", Run: schedule.Func("", func(context.Context) error { return nil }), When: every},
		`"x": SkipIfUnfinished needs a workflow`:              {Name: "x", Run: nop, When: every, SkipIfUnfinished: true},
		`"x": schedule: invalid rule: no rule`:                {Name: "x", Run: nop},
		`"x": schedule: invalid rule: every 1 day at "25:00"`: {Name: "x", Run: nop, When: schedule.Every(1, schedule.Day).At("25:00")},
	} {
		err := s.Validate()
		require.ErrorIs(t, err, schedule.ErrInvalidSchedule)
		require.ErrorContains(t, err, want)
	}
	dup := schedule.List{{Name: "x", Run: nop, When: every}, {Name: "x", Run: nop, When: every}}
	require.ErrorContains(t, dup.Validate(), `"x": two schedules have this name`)
}

func TestTargetString(t *testing.T) {
	t.Parallel()
	require.Equal(t, "workflow task_validate_product_type [{\"product_type\":\"Node\"}]",
		schedule.Workflow("task_validate_product_type", map[string]any{"product_type": "Node"}).String())
	f := schedule.Func("refresh", func(context.Context) error { return nil })
	require.Equal(t, "func refresh", f.String())
	require.Equal(t, "refresh", f.Name())
	_, _, ok := f.Workflow()
	require.False(t, ok)
	name, input, ok := schedule.Workflow("w").Workflow()
	require.True(t, ok)
	require.Equal(t, "w", name)
	require.Empty(t, input)
}
