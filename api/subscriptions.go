package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// The reasons a workflow is not offered on a subscription, as the reference's keys (which its UI translates).
const (
	ReasonNotInSync          = "subscription.not_in_sync"
	ReasonRelationsNotInSync = "subscription.relations_not_in_sync"
	ReasonInvalidStatus      = "subscription.no_modify_invalid_status"
	ReasonInUseByOthers      = "subscription.no_modify_subscription_in_use_by_others"
)

// UsableWhileOutOfSync are the workflows offered on subscriptions out of sync whatever they were made with (the
// reference's WF_USABLE_WHILE_OUT_OF_SYNC).
var UsableWhileOutOfSync = []string{"modify_note"}

// RelatedDetail names a related subscription in a reason's details.
type RelatedDetail struct {
	SubscriptionID          uuid.UUID `json:"subscription_id"`
	SubscriptionDescription string    `json:"subscription_description"`
}

// OfferedWorkflow is a workflow of a subscription's product and, when it cannot start on the subscription, why.
// Keys without a value are left out, as the reference does.
type OfferedWorkflow struct {
	Name                                   string              `json:"name"`
	Description                            *string             `json:"description,omitempty"`
	Reason                                 string              `json:"reason,omitempty"`
	UsableWhen                             *[]domain.Lifecycle `json:"usable_when,omitempty"`
	Status                                 domain.Lifecycle    `json:"status,omitempty"`
	Action                                 string              `json:"action,omitempty"`
	LockedRelations                        []uuid.UUID         `json:"locked_relations,omitempty"`
	LockedRelationsDetail                  []RelatedDetail     `json:"locked_relations_detail,omitempty"`
	UnterminatedInUseBySubscriptions       []uuid.UUID         `json:"unterminated_in_use_by_subscriptions,omitempty"`
	UnterminatedInUseBySubscriptionsDetail []RelatedDetail     `json:"unterminated_in_use_by_subscriptions_detail,omitempty"`
}

// SubscriptionWorkflows are the workflows of a subscription's product by target, and why the subscription as a
// whole refuses them (reason, locked relations), when it does.
type SubscriptionWorkflows struct {
	Reason                string            `json:"reason,omitempty"`
	LockedRelations       []uuid.UUID       `json:"locked_relations,omitempty"`
	LockedRelationsDetail []RelatedDetail   `json:"locked_relations_detail,omitempty"`
	Create                []OfferedWorkflow `json:"create"`
	Modify                []OfferedWorkflow `json:"modify"`
	Terminate             []OfferedWorkflow `json:"terminate"`
	System                []OfferedWorkflow `json:"system"`
	Reconcile             []OfferedWorkflow `json:"reconcile"`
	Validate              []OfferedWorkflow `json:"validate"`
}

type subscriptionIDParam struct {
	SubscriptionID uuid.UUID `path:"subscription_id" doc:"the subscription id"`
}

func (s *Server) subscriptionRoutes() {
	tags := []string{"subscriptions"}
	huma.Register(s.api, huma.Operation{OperationID: "subscription-workflows", Method: http.MethodGet, Path: "/api/subscriptions/workflows/{subscription_id}",
		Summary: "The workflows of a subscription's product, and why each cannot start on it", Tags: tags,
		Description: "The workflows linked to the subscription's product, by target. A workflow that cannot start on the " +
			"subscription carries a reason: subscription.not_in_sync, subscription.relations_not_in_sync (with " +
			"locked_relations), subscription.no_modify_invalid_status (with usable_when, status and action) or " +
			"subscription.no_modify_subscription_in_use_by_others (with unterminated_in_use_by_subscriptions). The " +
			"first two also appear at the top level.",
		Errors: []int{404, 422}}, s.subscriptionWorkflows)
	huma.Register(s.api, huma.Operation{OperationID: "set-subscription-in-sync", Method: http.MethodPut, Path: "/api/subscriptions/{subscription_id}/set_in_sync",
		Summary: "Mark a subscription in sync", Tags: tags,
		Description: "Refused (422) while a workflow's process on the subscription has neither completed nor been aborted, " +
			"unless the server runs with DISABLE_INSYNC_CHECK.",
		Errors: []int{404, 422}}, s.setInSync)
}

func (s *Server) subscriptionWorkflows(ctx context.Context, in *subscriptionIDParam) (*struct{ Body SubscriptionWorkflows }, error) {
	out, err := SubscriptionWorkflowsOf(ctx, s.subs, s.eng.Registry(), in.SubscriptionID)
	if errors.Is(err, subscription.ErrNotFound) {
		return nil, problem(http.StatusNotFound, "")
	}
	if err != nil {
		return nil, s.internal(ctx, "subscription workflows", err)
	}
	return &struct{ Body SubscriptionWorkflows }{Body: *out}, nil
}

// SubscriptionWorkflowsOf lists the workflows of a subscription's product (registered in reg or only in the
// database) by target, each with the reason it cannot start on the subscription, decided by the rules Offered
// applies (wrapper.RulesOf).
func SubscriptionWorkflowsOf(ctx context.Context, subs *subscription.Store, reg *workflow.Registry, id uuid.UUID) (*SubscriptionWorkflows, error) {
	sub, err := subs.Row(ctx, id)
	if err != nil {
		return nil, err
	}
	products, err := subs.ProductDetails(ctx, sub.ProductID)
	if err != nil {
		return nil, err
	}
	out := &SubscriptionWorkflows{Create: []OfferedWorkflow{}, Modify: []OfferedWorkflow{}, Terminate: []OfferedWorkflow{},
		System: []OfferedWorkflow{}, Reconcile: []OfferedWorkflow{}, Validate: []OfferedWorkflow{}}
	var related []subscription.Summary
	for _, list := range []func(context.Context, uuid.UUID) ([]subscription.Summary, error){subs.InUseBy, subs.DependsOn} {
		rs, err := list(ctx, id)
		if err != nil {
			return nil, err
		}
		related = append(related, rs...)
	}
	var locked []uuid.UUID
	var lockedDetail []RelatedDetail
	for _, r := range related {
		if !r.Insync && !slices.Contains(locked, r.SubscriptionID) {
			locked = append(locked, r.SubscriptionID)
			lockedDetail = append(lockedDetail, RelatedDetail{r.SubscriptionID, r.Description})
		}
	}
	switch {
	case !sub.Insync:
		out.Reason = ReasonNotInSync
	case len(locked) > 0:
		out.Reason, out.LockedRelations, out.LockedRelationsDetail = ReasonRelationsNotInSync, locked, lockedDetail
	}
	var users []subscription.Summary // read once, when a workflow needs them
	usersRead := false
	if len(products) == 0 {
		return out, nil
	}
	for _, row := range products[0].Workflows {
		item := OfferedWorkflow{Name: row.Name, Description: &row.Description}
		wf, err := reg.Get(row.Name)
		if err != nil {
			wf = &workflow.Workflow{Name: row.Name, Target: workflow.Target(row.Target), IsTask: row.IsTask}
		}
		rules := wrapper.RulesOf(wf)
		target := strings.ToUpper(row.Target)
		if slices.Contains(UsableWhileOutOfSync, row.Name) {
			rules.WhileOutOfSync = true
		}
		if target == "RECONCILE" {
			rules = wrapper.Rules{UsableIn: []domain.Lifecycle{domain.Active}, WhileOutOfSync: true}
		}
		action := "modified"
		if target == string(workflow.TargetTerminate) {
			action = "terminated"
		}
		if !rules.WhileOutOfSync && out.Reason != "" {
			item.Reason, item.LockedRelations, item.LockedRelationsDetail = out.Reason, out.LockedRelations, out.LockedRelationsDetail
		}
		if item.Reason == "" && rules.BlockedByInUseBy {
			if !usersRead {
				if users, err = subs.InUseBy(ctx, id); err != nil {
					return nil, err
				}
				usersRead = true
			}
			for _, u := range users {
				if u.Status != domain.Terminated {
					item.UnterminatedInUseBySubscriptions = append(item.UnterminatedInUseBySubscriptions, u.SubscriptionID)
					item.UnterminatedInUseBySubscriptionsDetail = append(item.UnterminatedInUseBySubscriptionsDetail, RelatedDetail{u.SubscriptionID, u.Description})
				}
			}
			if len(item.UnterminatedInUseBySubscriptions) > 0 {
				item.Reason, item.Action = ReasonInUseByOthers, action
			}
		}
		if item.Reason == "" && !slices.Contains(rules.UsableIn, sub.Status) {
			item.Reason, item.UsableWhen, item.Status, item.Action = ReasonInvalidStatus, &rules.UsableIn, sub.Status, action
		}
		switch target {
		case "CREATE":
			out.Create = append(out.Create, item)
		case "MODIFY":
			out.Modify = append(out.Modify, item)
		case "TERMINATE":
			out.Terminate = append(out.Terminate, item)
		case "SYSTEM":
			out.System = append(out.System, item)
		case "RECONCILE":
			out.Reconcile = append(out.Reconcile, item)
		case "VALIDATE":
			out.Validate = append(out.Validate, item)
		}
	}
	return out, nil
}

func (s *Server) setInSync(ctx context.Context, in *subscriptionIDParam) (*nullOutput, error) {
	sub, err := s.subs.Row(ctx, in.SubscriptionID)
	if errors.Is(err, subscription.ErrNotFound) {
		return nil, problem(http.StatusNotFound, fmt.Sprintf("Subscription with %s does not exist in the database", in.SubscriptionID))
	}
	if err != nil {
		return nil, s.internal(ctx, "set in sync", err)
	}
	if sub.Insync {
		return &nullOutput{Body: json.RawMessage("null")}, nil
	}
	if !s.cfg.DisableInsyncCheck {
		notTask := false
		ps, _, err := s.eng.List(ctx, process.ListFilter{Subscription: in.SubscriptionID, IsTask: &notTask, Sort: []process.SortKey{{Field: "started_at"}}})
		if err != nil {
			return nil, s.internal(ctx, "set in sync", err)
		}
		var open []string
		for _, p := range ps {
			if p.Status != process.Completed && p.Status != process.Aborted {
				open = append(open, "'"+p.ID.String()+"'")
			}
		}
		if len(open) > 0 {
			return nil, problem(http.StatusUnprocessableEntity, fmt.Sprintf("Subscription %s has still failed processes with id's: [%s]", in.SubscriptionID, strings.Join(open, ", ")))
		}
	}
	if err := s.subs.SetInsync(ctx, in.SubscriptionID, true); err != nil {
		return nil, s.internal(ctx, "set in sync", err)
	}
	return &nullOutput{Body: json.RawMessage("null")}, nil
}
