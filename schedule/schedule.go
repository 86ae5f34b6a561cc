// Package schedule declares what the scheduler runs and when: a Schedule has a name, a Target (a workflow or task
// started by name with its input, or a Go function) and a Rule (every N units, optionally at a time, or a cron
// expression). Computing the next run is pure and lives here; running schedules is package scheduler's job.
//
//	schedule.Schedule{
//		Name: "Nightly report",
//		Run:  schedule.Workflow("task_nightly_report", map[string]any{"format": "pdf"}),
//		When: schedule.Every(1, schedule.Day).At("03:00"),
//	}
package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Target is what a schedule runs: a workflow or task by name with its input, or a Go function.
type Target struct {
	workflow string
	input    []map[string]any
	fn       func(context.Context) error
	fnName   string
}

// Workflow runs the workflow or task called name, started as the SYSTEM user with input (one map per page of
// its input form, like the reference's user_inputs; none for a task without a form), and waits until it ends.
func Workflow(name string, input ...map[string]any) Target {
	return Target{workflow: name, input: input}
}

// Func runs a Go function. name identifies it in listings and in "scheduler force" keywords.
func Func(name string, fn func(ctx context.Context) error) Target {
	return Target{fn: fn, fnName: name}
}

// Name is the workflow's or the function's name.
func (t Target) Name() string {
	if t.fn != nil {
		return t.fnName
	}
	return t.workflow
}

// Workflow returns the workflow's name and input; ok is false for a function.
func (t Target) Workflow() (name string, input []map[string]any, ok bool) {
	return t.workflow, t.input, t.fn == nil && t.workflow != ""
}

// Func returns the function; ok is false for a workflow.
func (t Target) Func() (fn func(context.Context) error, ok bool) { return t.fn, t.fn != nil }

// String describes the target: "workflow task_clean_up_tasks", "workflow x {"a":1}", "func refresh".
func (t Target) String() string {
	switch {
	case t.fn != nil:
		return "func " + t.fnName
	case t.workflow == "":
		return "nothing"
	case len(t.input) == 0:
		return "workflow " + t.workflow
	}
	in, err := json.Marshal(t.input)
	if err != nil {
		return fmt.Sprintf("workflow %s %v", t.workflow, t.input)
	}
	return "workflow " + t.workflow + " " + string(in)
}

// Schedule is a named, timed job.
type Schedule struct {
	// Name identifies the schedule: unique, shown by show-schedule, matched by force, and the key of its state in
	// the database (renaming a schedule starts its timing afresh).
	Name string
	// Run is what it runs.
	Run Target
	// When says when it runs.
	When Rule
	// SkipIfUnfinished makes a workflow schedule skip a run while a process of its workflow exists that is neither
	// completed nor aborted (the reference's guard on validate products, later its no_uncompleted_instance
	// predicate). Functions never overlap: one scheduler runs one job at a time.
	SkipIfUnfinished bool
}

// ErrInvalidSchedule is wrapped by every error about a schedule's declaration.
var ErrInvalidSchedule = errors.New("schedule: invalid schedule")

// Validate reports what is wrong with the declaration.
func (s Schedule) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return fmt.Errorf("%w: a schedule needs a name", ErrInvalidSchedule)
	case s.Run.fn == nil && s.Run.workflow == "":
		return fmt.Errorf("%w %q: nothing to run: use schedule.Workflow(name) or schedule.Func(name, fn)", ErrInvalidSchedule, s.Name)
	case s.Run.fn != nil && s.Run.fnName == "":
		return fmt.Errorf("%w %q: the function needs a name", ErrInvalidSchedule, s.Name)
	case s.SkipIfUnfinished && s.Run.fn != nil:
		return fmt.Errorf("%w %q: SkipIfUnfinished needs a workflow target", ErrInvalidSchedule, s.Name)
	}
	if err := s.When.Err(); err != nil {
		return fmt.Errorf("%w %q: %w", ErrInvalidSchedule, s.Name, err)
	}
	return nil
}

// Matches reports whether keyword is part of the schedule's name or of its target's name, case-sensitively, as
// the reference's "scheduler force" matches the schedule's name and function name. The empty keyword matches all.
func (s Schedule) Matches(keyword string) bool {
	return strings.Contains(s.Name, keyword) || strings.Contains(s.Run.Name(), keyword)
}

// List is an ordered list of schedules. Order matters where the reference's ALL_SCHEDULERS order did: force runs
// matching schedules in list order.
type List []Schedule

// With returns the list with the schedules added; one with the name of an existing schedule replaces it in place.
func (l List) With(add ...Schedule) List {
	out := slices.Clone(l)
	for _, s := range add {
		if i := slices.IndexFunc(out, func(o Schedule) bool { return o.Name == s.Name }); i >= 0 {
			out[i] = s
		} else {
			out = append(out, s)
		}
	}
	return out
}

// Without returns the list without the schedules of those names.
func (l List) Without(names ...string) List {
	return slices.DeleteFunc(slices.Clone(l), func(s Schedule) bool { return slices.Contains(names, s.Name) })
}

// Get returns the schedule called name.
func (l List) Get(name string) (Schedule, bool) {
	i := slices.IndexFunc(l, func(s Schedule) bool { return s.Name == name })
	if i < 0 {
		return Schedule{}, false
	}
	return l[i], true
}

// Names returns the schedules' names in list order.
func (l List) Names() []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.Name
	}
	return out
}

// Match returns the schedules that Matches keyword, in list order.
func (l List) Match(keyword string) List {
	var out List
	for _, s := range l {
		if s.Matches(keyword) {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks every declaration and that names are unique.
func (l List) Validate() error {
	seen := map[string]bool{}
	var errs []error
	for _, s := range l {
		if err := s.Validate(); err != nil {
			errs = append(errs, err)
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("%w %q: two schedules have this name", ErrInvalidSchedule, s.Name))
		}
		seen[s.Name] = true
	}
	return errors.Join(errs...)
}

// The names of the core's schedules, the reference's, for WithoutSchedules and replacements.
const (
	ResumeWorkflows        = "Resume workflows"
	CleanUpTasks           = "Clean up tasks"
	SubscriptionsValidator = "Subscriptions Validator"
	ValidateProducts       = "Validate Products and inactive subscriptions"
	// ValidateAwaitingCallbacks is not among 4.3.0's schedules: later releases run the task every 30 seconds.
	ValidateAwaitingCallbacks = "Validate awaiting callbacks"
)

// Defaults returns the core's schedules (orchestrator-core 4.3.0's, running the tasks that later replaced its
// inline code): resume workflows every hour, clean up tasks every 6 hours, validate subscriptions daily at 00:10
// and products daily at 02:30, the two validators skipped while an earlier run of theirs is unfinished; and, as
// later releases do, task_validate_awaiting_callbacks every 30 seconds, which starts a process only when a
// callback has run out of time (its run predicate).
func Defaults() List {
	return List{
		{Name: ResumeWorkflows, Run: Workflow("task_resume_workflows"), When: Every(1, Hour)},
		{Name: CleanUpTasks, Run: Workflow("task_clean_up_tasks"), When: Every(6, Hour)},
		{Name: SubscriptionsValidator, Run: Workflow("task_validate_subscriptions"), When: Every(1, Day).At("00:10"), SkipIfUnfinished: true},
		{Name: ValidateProducts, Run: Workflow("task_validate_products"), When: Every(1, Day).At("02:30"), SkipIfUnfinished: true},
		{Name: ValidateAwaitingCallbacks, Run: Workflow("task_validate_awaiting_callbacks"), When: Every(30, Second)},
	}
}
