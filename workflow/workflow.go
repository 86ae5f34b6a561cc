// Package workflow declares workflows: their name, target, description, whether they are tasks, their initial input
// form and their steps. It does not run them; package process does, persisting every step.
//
// A workflow is a list of steps. A step is a typed Go function: its input struct is decoded from the process state
// (a JSON object) by json tags, and its output is merged back into the state, so the state between steps is JSON:
//
//	type nameIn struct {
//		Name string `json:"name"`
//	}
//	type greeting struct {
//		Greeting string `json:"greeting"`
//	}
//
//	var Greet = &workflow.Workflow{
//		Name:        "greet",
//		Target:      workflow.TargetSystem,
//		Description: "Greet someone",
//		Form:        workflow.FormFor[struct {
//			Name string `json:"name" validate:"required"`
//		}](),
//		Steps: []workflow.Step{
//			workflow.Init,
//			workflow.NewStep("Greet", func(ctx *workflow.Context, in nameIn) (greeting, error) {
//				return greeting{Greeting: "Hello " + in.Name}, nil
//			}),
//			workflow.Done,
//		},
//	}
//
// Steps come in the reference's kinds: NewStep, NewRetryStep (an error makes the process wait for a retry instead
// of failing), NewInputStep (the process suspends until it is resumed with input valid for the step's form) and
// conditional steps (Step.If, Conditional). Init, Done and AbortStep are the reference's init, done and abort.
package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Target is what a workflow does to a subscription (workflows.target).
type Target string

// The targets of orchestrator-core 4.3.0.
const (
	TargetCreate    Target = "CREATE"
	TargetModify    Target = "MODIFY"
	TargetTerminate Target = "TERMINATE"
	TargetSystem    Target = "SYSTEM"
	TargetValidate  Target = "VALIDATE"
)

// Targets lists the targets in the reference's order.
var Targets = []Target{TargetCreate, TargetModify, TargetTerminate, TargetSystem, TargetValidate}

// Assignee is who has to act on a process (processes.assignee): SYSTEM unless an input step or a task's failure
// says otherwise.
type Assignee string

// The assignees of orchestrator-core.
const (
	AssigneeNOC          Assignee = "NOC"
	AssigneeSystem       Assignee = "SYSTEM"
	AssigneeChanges      Assignee = "CHANGES"
	AssigneeKlantsupport Assignee = "KLANTSUPPORT"
)

// Workflow is a workflow or task declared in code. It is known to the database by Name: a row in workflows with the
// same name (written by a revision, e.g. one made with db migrate-workflows) is needed before it can run.
type Workflow struct {
	// Name is the workflow's unique name, e.g. "create_node" (workflows.name).
	Name string
	// Target says what the workflow does to a subscription; tasks use TargetSystem.
	Target Target
	// Description is the human description (workflows.description).
	Description string
	// IsTask marks a task: a workflow not tied to a product, run by the scheduler or by hand, whose failures are
	// refined to inconsistent_data/api_unavailable and whose completed runs task_clean_up_tasks removes.
	IsTask bool
	// Form validates the initial input; nil accepts any input and adds nothing to the state.
	Form Form
	// Steps run in order.
	Steps []Step
	// RunPredicate, when set, decides at every start whether the workflow may start now: a non-empty reason
	// refuses the start (the reference's run_predicate). The API answers 412 with the reason, and the scheduler
	// skips that run. process.NoUncompletedInstance is the common one.
	RunPredicate RunPredicate
}

// InitialForm returns the workflow's form, an empty one when it has none.
func (w *Workflow) InitialForm() Form {
	if w.Form == nil {
		return EmptyForm
	}
	return w.Form
}

// MaxDescription is the length, in characters, of workflows.description: orchestrator-core bounds it since 4.8
// (its revision d69e10434a04).
const MaxDescription = 2000

// Check reports what is wrong with the declaration: an empty or spaced name, an unknown target, a description
// longer than MaxDescription, no steps, an unnamed step, a form (the initial one or an input step's) that is not
// valid (see FormFor).
func (w *Workflow) Check() error {
	var problems []string
	if w.Name == "" || strings.ContainsAny(w.Name, " \t\n") {
		problems = append(problems, fmt.Sprintf("name %q must be non-empty without spaces", w.Name))
	}
	if !slices.Contains(Targets, w.Target) {
		problems = append(problems, fmt.Sprintf("target %q is not one of CREATE, MODIFY, TERMINATE, SYSTEM, VALIDATE", w.Target))
	}
	if n := utf8.RuneCountInString(w.Description); n > MaxDescription {
		problems = append(problems, fmt.Sprintf("the description has %d characters; workflows.description holds at most %d", n, MaxDescription))
	}
	if len(w.Steps) == 0 {
		problems = append(problems, "no steps")
	}
	if w.Form != nil {
		if err := CheckForm(w.Form); err != nil {
			problems = append(problems, err.Error())
		}
	}
	for i, s := range w.Steps {
		if s.name == "" || (s.fn == nil && s.kind != kindInput && s.kind != kindAwaitCallback) {
			problems = append(problems, fmt.Sprintf("step %d is not made with NewStep, NewRetryStep or NewInputStep", i+1))
		}
		if s.form != nil {
			if err := CheckForm(s.form); err != nil {
				problems = append(problems, fmt.Sprintf("step %q: %v", s.name, err))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("workflow: %s: %s", w.Name, strings.Join(problems, "; "))
	}
	return nil
}

// ErrUnknownWorkflow is returned for a workflow name that is not registered.
var ErrUnknownWorkflow = errors.New("workflow does not exist")

// Registry is the set of workflows an application knows, by name.
type Registry struct {
	byName map[string]*Workflow
}

// NewRegistry returns a registry holding wfs; see Add.
func NewRegistry(wfs ...*Workflow) (*Registry, error) {
	r := &Registry{byName: map[string]*Workflow{}}
	if err := r.Add(wfs...); err != nil {
		return nil, err
	}
	return r, nil
}

// MustRegistry is NewRegistry for declarations known to be valid; it panics on an error.
func MustRegistry(wfs ...*Workflow) *Registry {
	r, err := NewRegistry(wfs...)
	if err != nil {
		panic(err)
	}
	return r
}

// Add registers workflows. A declaration that fails Check or a name registered twice is an error and nothing is
// added.
func (r *Registry) Add(wfs ...*Workflow) error {
	seen := map[string]bool{}
	for _, w := range wfs {
		if err := w.Check(); err != nil {
			return err
		}
		if _, dup := r.byName[w.Name]; dup || seen[w.Name] {
			return fmt.Errorf("workflow: %s is registered twice", w.Name)
		}
		seen[w.Name] = true
	}
	for _, w := range wfs {
		r.byName[w.Name] = w
	}
	return nil
}

// Get returns the workflow registered under name.
func (r *Registry) Get(name string) (*Workflow, error) {
	if r != nil {
		if w, ok := r.byName[name]; ok {
			return w, nil
		}
	}
	return nil, fmt.Errorf("workflow: %s: %w", name, ErrUnknownWorkflow)
}

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	_, err := r.Get(name)
	return err == nil
}

// All returns the registered workflows sorted by name.
func (r *Registry) All() []*Workflow {
	if r == nil {
		return nil
	}
	out := make([]*Workflow, 0, len(r.byName))
	for _, w := range r.byName {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b *Workflow) int { return strings.Compare(a.Name, b.Name) })
	return out
}
