package workflow

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
)

// StepStatus is the outcome of a step, as logged in process_steps.status.
type StepStatus string

// The step statuses of orchestrator-core.
const (
	StepSuccess          StepStatus = "success"
	StepSkipped          StepStatus = "skipped"
	StepSuspend          StepStatus = "suspend"
	StepWaiting          StepStatus = "waiting"
	StepAwaitingCallback StepStatus = "awaiting_callback"
	StepFailed           StepStatus = "failed"
	StepAbort            StepStatus = "abort"
	StepComplete         StepStatus = "complete"
)

// Cleared reports whether a logged step of this status counts as done when a process is recovered: everything
// except failed, suspend, waiting and awaiting_callback.
func (s StepStatus) Cleared() bool {
	switch s {
	case StepFailed, StepSuspend, StepWaiting, StepAwaitingCallback:
		return false
	}
	return true
}

// Continues reports whether the process goes on to the next step after this outcome.
func (s StepStatus) Continues() bool { return s == StepSuccess || s == StepSkipped }

type stepKind int

const (
	kindStep stepKind = iota
	kindRetry
	kindInput
	kindDone
	kindAwaitCallback
)

// Step is one step of a workflow. Make steps with NewStep, NewRetryStep and NewInputStep; Init, Done and AbortStep
// are ready-made.
type Step struct {
	name     string
	kind     stepKind
	assignee Assignee
	form     Form
	cond     func(State) bool
	fn       func(*Context, State) (State, error)
	origin   string
}

// Name is the step's name, as logged in process_steps.name.
func (s Step) Name() string { return s.name }

// Assignee is who acts on the process while it waits in this step: the input step's assignee, SYSTEM otherwise.
func (s Step) Assignee() Assignee {
	if s.assignee == "" {
		return AssigneeSystem
	}
	return s.assignee
}

// IsInput reports whether the step is an input step.
func (s Step) IsInput() bool { return s.kind == kindInput }

// Form is the form that input for this step must satisfy when the process is resumed before it: the input step's
// form, an empty form for every other step.
func (s Step) Form() Form {
	if s.kind == kindInput && s.form != nil {
		return s.form
	}
	return EmptyForm
}

// If returns the step made conditional: when pred is false for the state the step is skipped (logged as skipped,
// the state unchanged).
func (s Step) If(pred func(State) bool) Step {
	prev := s.cond
	s.cond = func(st State) bool { return (prev == nil || prev(st)) && pred(st) }
	return s
}

// Conditional makes each of steps conditional on pred, evaluated when the step is reached, as the reference's
// conditional(pred)(steps).
func Conditional(pred func(State) bool, steps ...Step) []Step {
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = s.If(pred)
	}
	return out
}

// NewStep makes a step from a typed function. The function's input In is decoded from the state (a struct by its
// json tags, or State itself for the whole state); its output Out is encoded to a JSON object and merged into the
// state (a struct, a map, State, or struct{} for nothing). A returned error (or a panic) fails the process with the
// error as reason; the state before the step is kept.
func NewStep[In, Out any](name string, fn func(*Context, In) (Out, error)) Step {
	return Step{name: name, kind: kindStep, fn: adapt(fn), origin: origin(fn)}
}

// NewRetryStep is NewStep whose errors make the process wait (status waiting) to be retried later, by
// task_resume_workflows or by hand, instead of failing it.
func NewRetryStep[In, Out any](name string, fn func(*Context, In) (Out, error)) Step {
	return Step{name: name, kind: kindRetry, fn: adapt(fn), origin: origin(fn)}
}

// NewInputStep makes a step that suspends the process until it is resumed with input valid for the form of F (see
// FormFor). The validated input is merged into the state and the process continues.
func NewInputStep[F any](name string, assignee Assignee) Step {
	return InputStep(name, assignee, FormFor[F]())
}

// InputStep is NewInputStep with any Form.
func InputStep(name string, assignee Assignee, form Form) Step {
	return Step{name: name, kind: kindInput, assignee: assignee, form: form}
}

// Init is the reference's init: the step "Start", which passes the state through.
var Init = NewStep("Start", func(*Context, State) (State, error) { return nil, nil })

// Done is the reference's done: the step "Done", which completes the process.
var Done = Step{name: "Done", kind: kindDone, fn: func(*Context, State) (State, error) { return nil, nil }, origin: "workflow.Done"}

// AbortStep is the reference's abort: the step "Abort", which aborts the process.
var AbortStep = NewStep("Abort", func(*Context, State) (State, error) { return nil, Abort("Workflow aborted") })

// Result is the outcome of executing a step.
type Result struct {
	Status StepStatus
	// State is the state after the step; for a failed or waiting step, the error as the reference logs it
	// ({"class": ..., "error": ..., "details": ...}).
	State State
	// Err is the error of a failed, waiting or aborted step.
	Err error
	// Traceback says where a failed or waiting step went wrong: the step function and the error chain, or the
	// goroutine's stack for a panic.
	Traceback string
}

// Execute runs the step on state. An input step suspends; a step whose condition is false is skipped. Panics in
// the step function are recovered into a failed result with the stack trace.
func (s Step) Execute(ctx *Context, state State) (res Result) {
	if s.cond != nil && !s.cond(state) {
		return Result{Status: StepSkipped, State: state}
	}
	switch s.kind {
	case kindInput:
		return Result{Status: StepSuspend, State: state}
	case kindAwaitCallback:
		return Result{Status: StepAwaitingCallback, State: state}
	}
	defer func() {
		if r := recover(); r != nil {
			err, ok := r.(error)
			if !ok {
				err = fmt.Errorf("%v", r)
			}
			res = Result{
				Status:    StepFailed,
				State:     ErrorState(&PanicError{Value: r, err: err}),
				Err:       &PanicError{Value: r, err: err},
				Traceback: fmt.Sprintf("panic in step %q (%s): %v\n\n%s", s.name, s.origin, r, debug.Stack()),
			}
		}
	}()
	out, err := s.fn(ctx, state.Clone())
	if err != nil {
		status := StepFailed
		var ab *AbortError
		switch {
		case errors.As(err, &ab):
			return Result{Status: StepAbort, State: state, Err: err}
		case s.kind == kindRetry:
			status = StepWaiting
		}
		return Result{Status: status, State: ErrorState(err), Err: err, Traceback: errorTraceback(s, err)}
	}
	next := state.Merge(out)
	if s.kind == kindDone {
		return Result{Status: StepComplete, State: next}
	}
	return Result{Status: StepSuccess, State: next}
}

func adapt[In, Out any](fn func(*Context, In) (Out, error)) func(*Context, State) (State, error) {
	return func(ctx *Context, st State) (State, error) {
		var in In
		switch p := any(&in).(type) {
		case *State:
			*p = st
		case *map[string]any:
			*p = st
		case *struct{}:
		default:
			if err := st.Decode(&in); err != nil {
				return nil, err
			}
			if err := loadModels(ctx, &in); err != nil {
				return nil, err
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if err := saveModels(ctx, &out); err != nil {
			return nil, err
		}
		return outputState(ctx, out)
	}
}

// origin names a function with its file and line, for tracebacks.
func origin(fn any) string {
	pc := reflect.ValueOf(fn).Pointer()
	f := runtime.FuncForPC(pc)
	if f == nil {
		return "unknown function"
	}
	file, line := f.FileLine(pc)
	return fmt.Sprintf("%s at %s:%d", f.Name(), file, line)
}

// PanicError is the error of a step that panicked.
type PanicError struct {
	// Value is what the step panicked with.
	Value any
	err   error
}

// Error says what the step panicked with.
func (e *PanicError) Error() string { return "panic: " + e.err.Error() }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error { return e.err }

// AbortError aborts the process when a step returns it (see Abort).
type AbortError struct{ Reason string }

// Error gives the reason of the abort.
func (e *AbortError) Error() string { return "workflow aborted: " + e.Reason }

// Abort returns an error that aborts the process (status aborted) instead of failing it.
func Abort(reason string) error { return &AbortError{Reason: reason} }

// FailureError is the reference's ProcessFailureError: a failure with details that are logged with it.
type FailureError struct {
	Message string
	Details any
}

// Error is the failure's message.
func (e *FailureError) Error() string { return e.Message }

// Fail returns an error that fails the process with message, logging details (any JSON value) in the step's state.
func Fail(message string, details any) error {
	return &FailureError{Message: message, Details: details}
}

// ErrInconsistentData marks a failure caused by inconsistent data (the reference's AssertionError and
// InconsistentData): a task failing with it gets status inconsistent_data and assignee NOC.
var ErrInconsistentData = errors.New("inconsistent data")

// ErrAPIUnavailable marks a failure because an external API is unavailable (the reference's MaxRetryError and
// HTTP 502/503/504): a task failing with it gets status api_unavailable.
var ErrAPIUnavailable = errors.New("api unavailable")

// ErrorState is the state logged for a failed or waiting step: the error's class (its Go type), message and, for
// a FailureError, details.
func ErrorState(err error) State {
	st := State{"class": ErrorClass(err), "error": err.Error()}
	var fe *FailureError
	if errors.As(err, &fe) && fe.Details != nil {
		st["details"] = fe.Details
	}
	if norm, nerr := StateOf(st); nerr == nil {
		return norm
	}
	st["details"] = fmt.Sprint(fe.Details)
	return st
}

// ErrorClass names an error's kind as the reference's error class: the Go type of the innermost error in the chain
// that is not a plain wrapper (fmt.Errorf) or a plain errors.New string; "error" when there is none.
func ErrorClass(err error) string {
	class := "error"
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e == ErrInconsistentData {
			return "InconsistentData"
		}
		if e == ErrAPIUnavailable {
			return "APIUnavailable"
		}
		t := reflect.TypeOf(e).String()
		switch t {
		case "*fmt.wrapError", "*fmt.wrapErrors", "*errors.errorString", "*errors.joinError":
			continue
		}
		class = strings.TrimPrefix(t, "*")
	}
	return class
}

func errorTraceback(s Step, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "error in step %q (%s)\n", s.name, s.origin)
	for e := err; e != nil; e = errors.Unwrap(e) {
		fmt.Fprintf(&b, "  %s: %s\n", reflect.TypeOf(e), e.Error())
	}
	return strings.TrimRight(b.String(), "\n")
}
