package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/catalogue"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// ProductForm returns the form of a create workflow's first page: the product (a product id under "product"),
// which must have the workflow linked. Its output is the product's id and name (product, product_name).
func ProductForm() workflow.Form { return productForm{} }

type productForm struct{}

type productPage struct {
	Product uuid.UUID `json:"product" validate:"required"`
}

func (productForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	page, err := workflow.Decode[productPage](fc, input)
	if err != nil {
		return nil, err
	}
	name, ok, err := catalogue.New(fc.DB).ProductForWorkflow(fc, page.Product, fc.Workflow.Name)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %w", err)
	}
	if !ok {
		return nil, workflow.FieldErrors{{Field: "product", Message: "This workflow is not valid for this product"}}
	}
	return workflow.State{"product": page.Product.String(), "product_name": name}, nil
}

// SubscriptionForm returns the form of the first page of a modify, terminate or validate workflow: the
// subscription (subscription_id), on which the workflow must be offered (see Offered; opts as for the workflow),
// and optionally the version the user saw, which must still be the subscription's. Its output is the
// subscription's subscription_id, product, customer_id and version.
func SubscriptionForm(opts ...Option) workflow.Form { return subscriptionForm{opts: build(opts)} }

// subscriptionForm is the first page of a modify, terminate or validate workflow.
type subscriptionForm struct {
	opts *options
}

type subscriptionPage struct {
	SubscriptionID uuid.UUID `json:"subscription_id" validate:"required"`
	Version        *int      `json:"version"`
}

func (f subscriptionForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	page, err := workflow.Decode[subscriptionPage](fc, input)
	if err != nil {
		return nil, err
	}
	sub, err := readSubscription(fc, fc.DB, page.SubscriptionID)
	if errors.Is(err, subscription.ErrNotFound) {
		return nil, workflow.FieldErrors{{Field: "subscription_id", Message: "Subscription not found"}}
	}
	if err != nil {
		return nil, err
	}
	if err := offered(fc, fc.DB, sub, fc.Workflow, f.opts); err != nil {
		var fe workflow.FieldErrors
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, workflow.FieldErrors{{Field: "subscription_id", Message: err.Error(), Err: err}}
	}
	if page.Version != nil && *page.Version != sub.Version {
		return nil, workflow.FieldErrors{{Field: "version", Message: fmt.Sprintf("Stale data: the subscription is at version %d, the form was filled in at version %d", sub.Version, *page.Version)}}
	}
	return workflow.State{
		"subscription_id": sub.ID.String(),
		"product":         sub.ProductID.String(),
		"customer_id":     sub.CustomerID,
		"version":         sub.Version,
	}, nil
}

func readSubscription(ctx context.Context, db *database.DB, id uuid.UUID) (*subscription.Row, error) {
	r, err := subscription.New(db, nil).Row(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("wrapper: %w", err)
	}
	return r, nil
}

// DefaultUsable are the subscription statuses a workflow of each target may start on, unless it says otherwise
// (the reference's TARGET_DEFAULT_USABLE_MAP).
var DefaultUsable = map[workflow.Target][]domain.Lifecycle{
	workflow.TargetCreate:    {},
	workflow.TargetModify:    {domain.Active},
	workflow.TargetTerminate: {domain.Active, domain.Provisioning},
	workflow.TargetSystem:    {domain.Active},
	workflow.TargetValidate:  {domain.Active},
}

// The reasons a workflow is not offered for a subscription, with the reference's keys and texts.
var (
	ErrNotOffered      = errors.New("This workflow is not valid for this subscription")
	ErrNotInSync       = errors.New("This workflow cannot be started: Subscription already has a running process or task")
	ErrRelationsLocked = errors.New("This workflow cannot be started: This subscription can not be modified because some related subscriptions are not insync")
	ErrInvalidStatus   = errors.New("This workflow cannot be started: This subscription can not be modified because of the status it has")
	ErrInUseByOthers   = errors.New("This workflow cannot be started: This subscription can not be modified as it is used in other subscriptions")
)

// offered says whether wf may start on the subscription (spec/core.md §2.8): it must be linked to the
// subscription's product; unless it is a task, a SYSTEM workflow or usable while out of sync, the subscription and
// the subscriptions it uses or is used by must be in sync; the subscription's status must be one the workflow is
// usable in; and a terminate workflow is refused while subscriptions that are not terminated use it. nil means
// offered; otherwise one of the errors above, with details.
func offered(ctx context.Context, db *database.DB, sub *subscription.Row, wf *workflow.Workflow, o *options) error {
	if o == nil {
		o = build(nil)
	}
	linked, err := catalogue.New(db).WorkflowLinked(ctx, sub.ProductID, wf.Name)
	if err != nil {
		return fmt.Errorf("wrapper: %w", err)
	}
	if !linked {
		return ErrNotOffered
	}
	rel := subscription.New(db, nil)
	rules := rulesFrom(wf, o)
	if !rules.WhileOutOfSync {
		if !sub.Insync {
			return ErrNotInSync
		}
		var locked []string
		for _, list := range []func(context.Context, uuid.UUID) ([]subscription.Summary, error){rel.InUseBy, rel.DependsOn} {
			related, err := list(ctx, sub.ID)
			if err != nil {
				return err
			}
			for _, r := range related {
				if !r.Insync {
					locked = append(locked, r.SubscriptionID.String())
				}
			}
		}
		if len(locked) > 0 {
			return fmt.Errorf("%w (%s)", ErrRelationsLocked, strings.Join(locked, ", "))
		}
	}
	if !slices.Contains(rules.UsableIn, sub.Status) {
		return fmt.Errorf("%w (%s; usable when %s)", ErrInvalidStatus, sub.Status, joinLifecycles(rules.UsableIn))
	}
	if rules.BlockedByInUseBy {
		users, err := rel.InUseBy(ctx, sub.ID)
		if err != nil {
			return err
		}
		var live []string
		for _, u := range users {
			if u.Status != domain.Terminated {
				live = append(live, u.SubscriptionID.String())
			}
		}
		if len(live) > 0 {
			return fmt.Errorf("%w (%s)", ErrInUseByOthers, strings.Join(live, ", "))
		}
	}
	return nil
}

func joinLifecycles(lcs []domain.Lifecycle) string {
	if len(lcs) == 0 {
		return "never"
	}
	s := make([]string, len(lcs))
	for i, lc := range lcs {
		s[i] = string(lc)
	}
	return strings.Join(s, ", ")
}

// Offered says whether wf may start on subscription id (spec/core.md §2.8): it must be linked to the
// subscription's product; unless it is a task, a SYSTEM workflow or usable while out of sync, the subscription and
// the subscriptions it uses or is used by must be in sync; the subscription's status must be one the workflow is
// usable in; and a terminate workflow is refused while subscriptions that are not terminated use it. nil means
// offered; otherwise one of the Err values above, with details. The forms of Modify, Terminate and Validate check
// exactly this, with the options the workflow was made with (UsableIn, UsableWhileOutOfSync, BlockedByInUseBy), so
// Offered and starting the workflow agree. A Create workflow is never offered on an existing subscription.
func Offered(ctx context.Context, db *database.DB, id uuid.UUID, wf *workflow.Workflow) error {
	sub, err := readSubscription(ctx, db, id)
	if err != nil {
		return err
	}
	o := optionsOf(wf)
	if wf.Target == workflow.TargetCreate {
		o = build(nil) // a create workflow's options say nothing about existing subscriptions
	}
	return offered(ctx, db, sub, wf, o)
}

// Schemas describes the product page as the reference's create workflows do.
func (productForm) Schemas() ([]json.RawMessage, error) {
	return []json.RawMessage{json.RawMessage(`{"additionalProperties":false,"properties":{"product":{"format":"productId","title":"Product","type":"string"}},"required":["product"],"title":"unknown","type":"object"}`)}, nil
}

// Schemas describes the subscription page as the reference's modify, terminate and validate workflows do.
func (subscriptionForm) Schemas() ([]json.RawMessage, error) {
	return []json.RawMessage{json.RawMessage(`{"additionalProperties":false,"properties":{"subscription_id":{"format":"uuid","title":"Subscription Id","type":"string"},"version":{"anyOf":[{"type":"integer"},{"type":"null"}],"default":null,"title":"Version"}},"required":["subscription_id"],"title":"unknown","type":"object"}`)}, nil
}
