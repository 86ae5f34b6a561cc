package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wfo-go/wfo/process"
)

// Omittable is a body field that may be left out, sent as null or sent with a value; only a field sent changes
// anything. huma does not validate a null it finds in an optional field, so a route that refuses null checks Null.
type Omittable[T any] struct {
	Sent  bool
	Null  bool
	Value T
}

// UnmarshalJSON records that the field was sent, and whether as null.
func (o *Omittable[T]) UnmarshalJSON(b []byte) error {
	o.Sent = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// Schema is the schema of the value (the field's tags add limits and nullability).
func (o Omittable[T]) Schema(r huma.Registry) *huma.Schema {
	return r.Schema(reflect.TypeOf(o.Value), true, "")
}

// Ptr is the value sent, nil for null.
func (o Omittable[T]) Ptr() *T {
	if o.Null {
		return nil
	}
	return &o.Value
}

type patchProcessInput struct {
	ProcessIDParam
	Body struct {
		Note Omittable[string] `json:"note,omitempty" maxLength:"5000" nullable:"true" doc:"the process's note; empty or null removes it"`
	}
}

func (s *Server) housekeepingRoutes() {
	tags := []string{"processes"}
	huma.Register(s.api, huma.Operation{OperationID: "update-process", Method: http.MethodPatch, Path: "/api/processes/{process_id}",
		Summary: "Edit a process's note", Tags: tags, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Description: "Only the keys sent are applied; an empty note is stored as NULL. Works while the engine is paused.",
		Errors:      []int{404, 413, 422}}, s.patchProcess)
	huma.Register(s.api, huma.Operation{OperationID: "delete-process", Method: http.MethodDelete, Path: "/api/processes/{process_id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a task with its steps", Tags: tags,
		Description: "Only tasks are deleted (400 for a workflow's process); the steps, input states and subscription links go with it. " +
			"Works while the engine is paused.",
		Errors: []int{400, 404, 422}}, s.deleteProcess)
	huma.Register(s.api, huma.Operation{OperationID: "resume-all-processes", Method: http.MethodPut, Path: "/api/processes/resume-all",
		Summary: "Retry every failed task", Tags: tags,
		Description: "Retries the tasks that are failed, waiting, api_unavailable or inconsistent_data, one after the other in the " +
			"background, skipping those that have been resumed meanwhile; the answer comes at once with their number. One " +
			"resume-all runs at a time in a server (409).",
		Errors: []int{409, 422, 503}}, s.resumeAll)
	huma.Register(s.api, huma.Operation{OperationID: "process-status-counts", Method: http.MethodGet, Path: "/api/processes/status-counts",
		Summary: "Processes and tasks counted by status", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body StatusCounts }, error) {
			ps, ts, err := s.eng.StatusCounts(ctx)
			if err != nil {
				return nil, s.internal(ctx, "status counts", err)
			}
			return &struct{ Body StatusCounts }{Body: StatusCounts{ProcessCounts: ps, TaskCounts: ts}}, nil
		})
}

func (s *Server) patchProcess(ctx context.Context, in *patchProcessInput) (*processOutput, error) {
	notFound := problem(http.StatusNotFound, fmt.Sprintf("Process with process_id %s not found", in.ProcessID))
	if in.Body.Note.Sent {
		err := s.eng.SetNote(ctx, in.ProcessID, in.Body.Note.Ptr())
		switch {
		case errors.Is(err, process.ErrNotFound):
			return nil, notFound
		case errors.Is(err, process.ErrNoteTooLong):
			return nil, &RequestError{status: http.StatusUnprocessableEntity, Detail: []RequestErrorItem{{Type: "string_too_long",
				Loc: []any{"body", "note"}, Msg: fmt.Sprintf("String should have at most %d characters", process.MaxNote), Input: in.Body.Note.Value}}}
		case err != nil:
			return nil, s.internal(ctx, "process note", err)
		}
	}
	p, err := s.eng.Get(ctx, in.ProcessID)
	if errors.Is(err, process.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, s.internal(ctx, "process note", err)
	}
	v, err := s.storedView(ctx, p)
	if err != nil {
		return nil, s.internal(ctx, "process note", err)
	}
	return &processOutput{Body: v}, nil
}

// storedView is a process as the reference answers a note edit: built from the rows alone, so without the first
// subscription's product and customer, the workflow's target, the current state and the form; the steps as
// stored (their state and commit, no times or deltas) and the subscriptions with their customer descriptions.
func (s *Server) storedView(ctx context.Context, p *process.Process) (*Process, error) {
	v, err := ProcessView(ctx, p, s.subs, nil, false, nil)
	if err != nil {
		return nil, err
	}
	hashes, err := s.eng.CommitHashes(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	v.ProductID, v.CustomerID, v.WorkflowTarget = nil, nil, nil
	for i := range v.Subscriptions {
		v.Subscriptions[i].CustomerDescriptions = []any{}
	}
	v.Steps = []Step{}
	for _, st := range p.Steps {
		id := st.ID
		step := Step{StepID: &id, Name: st.Name, Status: string(st.Status), CreatedBy: strPtr(st.CreatedBy), State: st.State}
		if h, ok := hashes[st.ID]; ok {
			step.CommitHash = &h
		}
		v.Steps = append(v.Steps, step)
	}
	return v, nil
}

// StatusCounts counts processes by status, workflows' processes and tasks apart; statuses without processes are
// absent.
type StatusCounts struct {
	ProcessCounts map[process.Status]int `json:"process_counts"`
	TaskCounts    map[process.Status]int `json:"task_counts"`
}

type resumeAllOutput struct {
	Body struct {
		Count int `json:"count" doc:"how many tasks are retried"`
	}
}

func (s *Server) deleteProcess(ctx context.Context, in *ProcessIDParam) (*struct{}, error) {
	err := s.eng.Delete(ctx, in.ProcessID)
	switch {
	case errors.Is(err, process.ErrNotFound):
		return nil, problem(http.StatusNotFound, "")
	case errors.Is(err, process.ErrNotTask):
		return nil, problem(http.StatusBadRequest, "")
	case err != nil:
		return nil, s.internal(ctx, "delete process", err)
	}
	return nil, nil
}

func (s *Server) resumeAll(ctx context.Context, in *ReporterParam) (*resumeAllOutput, error) {
	if err := s.unlocked(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	switch {
	case s.closed:
		s.mu.Unlock()
		return nil, problem(http.StatusServiceUnavailable, "The server is shutting down")
	case s.resuming:
		s.mu.Unlock()
		return nil, problem(http.StatusConflict, "Another request to resume all processes is in progress")
	}
	s.resuming = true
	s.bg.Add(1)
	s.mu.Unlock()
	done := func() {
		s.mu.Lock()
		s.resuming = false
		s.mu.Unlock()
		s.bg.Done()
	}
	pids, err := s.eng.FailedTasks(ctx)
	if err != nil {
		done()
		return nil, s.internal(ctx, "resume all", err)
	}
	bctx := acting(context.WithoutCancel(ctx), in.Reporter)
	go func() {
		defer done()
		for _, pid := range pids {
			p, err := s.eng.Get(bctx, pid)
			if err != nil {
				s.cfg.Logger.ErrorContext(bctx, "api: resume all", "pid", pid, "error", err)
				continue
			}
			if !slices.Contains(process.Retryable, p.Status) {
				continue // resumed, running or done meanwhile
			}
			if err := s.eng.Retry(bctx, pid); err != nil {
				s.cfg.Logger.ErrorContext(bctx, "api: resume all", "pid", pid, "error", err)
			}
		}
	}()
	out := &resumeAllOutput{}
	out.Body.Count = len(pids)
	return out, nil
}
