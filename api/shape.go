package api

import (
	"context"
	"encoding/json"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// Process is a process as the reference's API shows it (GET /api/processes/{id}), fields in its order. Times are
// Unix seconds. CurrentState, Steps and Form are set only for one process, not in lists. Note is null when unset.
type Process struct {
	ProcessID      uuid.UUID            `json:"process_id"`
	WorkflowID     uuid.UUID            `json:"workflow_id"`
	WorkflowName   string               `json:"workflow_name"`
	IsTask         bool                 `json:"is_task"`
	CreatedBy      *string              `json:"created_by"`
	FailedReason   *string              `json:"failed_reason"`
	StartedAt      float64              `json:"started_at"`
	LastStatus     string               `json:"last_status"`
	LastStep       *string              `json:"last_step"`
	Assignee       string               `json:"assignee"`
	LastModifiedAt float64              `json:"last_modified_at"`
	Traceback      *string              `json:"traceback"`
	ProductID      *uuid.UUID           `json:"product_id"`
	CustomerID     *string              `json:"customer_id"`
	WorkflowTarget *string              `json:"workflow_target"`
	Subscriptions  []LinkedSubscription `json:"subscriptions"`
	CurrentState   workflow.State       `json:"current_state"`
	Steps          []Step               `json:"steps"`
	Form           json.RawMessage      `json:"form"`
	Note           *string              `json:"note"`
}

// LinkedSubscription is a subscription of a process, in the reference's order.
type LinkedSubscription struct {
	SubscriptionID       uuid.UUID `json:"subscription_id"`
	StartDate            *float64  `json:"start_date"`
	Description          string    `json:"description"`
	Status               string    `json:"status"`
	ProductID            uuid.UUID `json:"product_id"`
	CustomerID           string    `json:"customer_id"`
	Insync               bool      `json:"insync"`
	Note                 *string   `json:"note"`
	Name                 *string   `json:"name"`
	EndDate              *float64  `json:"end_date"`
	Product              Product   `json:"product"`
	CustomerDescriptions any       `json:"customer_descriptions"`
	Tag                  *string   `json:"tag"`
	Version              int       `json:"version"`
}

// Product is a product inside a linked subscription.
type Product struct {
	ProductID   uuid.UUID `json:"product_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	ProductType string    `json:"product_type"`
	Status      string    `json:"status"`
	Tag         string    `json:"tag"`
	CreatedAt   *float64  `json:"created_at"`
	EndDate     *float64  `json:"end_date"`
}

// Step is a logged step, or a pending one (name and status "pending", everything else null).
type Step struct {
	StepID     *uuid.UUID     `json:"step_id"`
	Name       string         `json:"name"`
	Status     string         `json:"status"`
	CreatedBy  *string        `json:"created_by"`
	Executed   *float64       `json:"executed"`
	Started    *float64       `json:"started"`
	Completed  *float64       `json:"completed"`
	CommitHash *string        `json:"commit_hash"`
	State      workflow.State `json:"state"`
	StateDelta workflow.State `json:"state_delta"`
}

// Epoch is a time as Unix seconds with microseconds, as the reference's API writes datetimes.
func Epoch(t time.Time) float64 {
	return float64(t.UnixMicro()) / 1e6
}

func epochPtr(t *time.Time) *float64 {
	if t == nil {
		return nil
	}
	f := Epoch(*t)
	return &f
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ProcessView builds the API shape of a process: its row, linked subscriptions read through subs (nil: none
// shown), and, with detail, its current state, its steps (logged, then those still to run in wf, when wf is
// known) and the form the next resume is validated by (form, already a JSON Schema, or nil).
func ProcessView(ctx context.Context, p *process.Process, subs *subscription.Store, wf *workflow.Workflow, detail bool, form json.RawMessage) (*Process, error) {
	out := &Process{
		ProcessID: p.ID, WorkflowID: p.WorkflowID, WorkflowName: p.Workflow, IsTask: p.IsTask, CreatedBy: strPtr(p.CreatedBy),
		FailedReason: strPtr(p.FailedReason), StartedAt: Epoch(p.StartedAt), LastStatus: string(p.Status),
		LastStep: strPtr(p.LastStep), Assignee: string(p.Assignee), LastModifiedAt: Epoch(p.LastModifiedAt),
		Traceback: strPtr(p.Traceback), WorkflowTarget: strPtr(string(p.Target)), Subscriptions: []LinkedSubscription{},
		Note: strPtr(p.Note),
	}
	if subs != nil && len(p.Subscriptions) > 0 {
		rows, err := subs.Rows(ctx, p.Subscriptions...)
		if err != nil {
			return nil, err
		}
		for i, r := range rows {
			if i == 0 {
				pid, cid := r.Product.ProductID, r.CustomerID
				out.ProductID, out.CustomerID = &pid, &cid
			}
			out.Subscriptions = append(out.Subscriptions, linked(r))
		}
	}
	if !detail {
		return out, nil
	}
	out.CurrentState = p.State
	out.Steps = Steps(p, wf)
	out.Form = form
	return out, nil
}

func linked(r *subscription.Listing) LinkedSubscription {
	return LinkedSubscription{
		SubscriptionID: r.SubscriptionID, StartDate: epochPtr(r.StartDate), Description: r.Description, Status: r.Status,
		ProductID: r.Product.ProductID, CustomerID: r.CustomerID, Insync: r.Insync, Note: r.Note, EndDate: epochPtr(r.EndDate),
		Product: productOf(r.Product), Version: r.Version,
	}
}

func productOf(p subscription.ProductRow) Product {
	return Product{ProductID: p.ProductID, Name: p.Name, Description: p.Description, ProductType: p.ProductType, Status: p.Status,
		Tag: p.Tag, CreatedAt: epochPtr(p.CreatedAt), EndDate: epochPtr(p.EndDate)}
}

// Steps returns a process's steps as the API shows them: the logged ones with their state deltas, then one pending
// entry per step of wf still to run (none once the process completed or was aborted, or when wf is nil).
func Steps(p *process.Process, wf *workflow.Workflow) []Step {
	out := []Step{}
	var prev workflow.State
	cleared := 0
	for _, s := range p.Steps {
		id := s.ID
		started, completed := Epoch(s.StartedAt), Epoch(s.CompletedAt)
		st := Step{StepID: &id, Name: s.Name, Status: string(s.Status), CreatedBy: strPtr(s.CreatedBy), Executed: &completed,
			Started: &started, Completed: &completed, State: s.State, StateDelta: Delta(prev, s.State)}
		if st.State == nil {
			st.State = workflow.State{}
		}
		out = append(out, st)
		if s.Status == workflow.StepSuccess || s.Status == workflow.StepSkipped || s.Status == workflow.StepComplete {
			prev = s.State
		}
		if s.Status.Cleared() && s.Name != process.AbortStepName {
			cleared++
		}
	}
	if wf == nil || p.Status == process.Completed || p.Status == process.Aborted {
		return out
	}
	for i := cleared; i < len(wf.Steps); i++ {
		out = append(out, Step{Name: wf.Steps[i].Name(), Status: "pending"})
	}
	return out
}

// Delta returns the keys of now that are new or changed against before; where both values are objects it
// recurses and leaves out keys without a change inside. With no before, it is the whole of now.
func Delta(before, now workflow.State) workflow.State {
	if before == nil {
		return now
	}
	out := workflow.State{}
	for k, v := range now {
		old, ok := before[k]
		if !ok {
			out[k] = v
			continue
		}
		if reflect.DeepEqual(old, v) {
			continue
		}
		om, ok1 := asObject(old)
		nm, ok2 := asObject(v)
		if ok1 && ok2 {
			if d := Delta(om, nm); len(d) > 0 {
				out[k] = map[string]any(d)
			}
			continue
		}
		out[k] = v
	}
	return out
}

func asObject(v any) (workflow.State, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case workflow.State:
		return m, true
	}
	return nil, false
}
