package wrapper

import (
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// KeyOldSubscriptions is the state key under which Lock keeps a copy of each subscription as it was before the
// workflow changed it, by subscription id.
const KeyOldSubscriptions = "__old_subscriptions__"

// SubscriptionID finds the subscription a step works on in the state: the key subscription_id, else the id of the
// model under "subscription".
func SubscriptionID(st workflow.State) (uuid.UUID, error) {
	if s, ok := st["subscription_id"].(string); ok && s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			return uuid.Nil, fmt.Errorf("wrapper: subscription_id %q is not a UUID", s)
		}
		return id, nil
	}
	if m, ok := st["subscription"].(map[string]any); ok {
		for _, k := range []string{"SubscriptionID", "subscription_id"} {
			if s, ok := m[k].(string); ok && s != "" {
				return uuid.Parse(s)
			}
		}
	}
	return uuid.Nil, errors.New("wrapper: the state has no subscription_id (nor a subscription with an id)")
}

// store returns the subscription store in the step's transaction; without a domain model, one that can still
// lock, unlock and find relations (which need no model).
func store(ctx *workflow.Context) (*subscription.Store, error) {
	s, err := process.Subscriptions(ctx)
	if errors.Is(err, process.ErrNoProducts) {
		tx, err := ctx.Tx()
		if err != nil {
			return nil, err
		}
		return subscription.New(ctx.DB, nil).WithTx(tx), nil
	}
	return s, err
}

// StoreProcessSubscription is the reference's store_process_subscription: the step "Create Process Subscription
// relation", which records in processes_subscriptions that this process works on the state's subscription.
var StoreProcessSubscription = workflow.NewStep("Create Process Subscription relation", func(ctx *workflow.Context, st workflow.State) (struct{}, error) {
	id, err := SubscriptionID(st)
	if err != nil {
		return struct{}{}, err
	}
	s, err := store(ctx)
	if err != nil {
		return struct{}{}, err
	}
	if err := s.LinkProcess(ctx, ctx.ProcessID, id, string(ctx.Workflow.Target)); err != nil {
		return struct{}{}, fmt.Errorf("wrapper: %w", err)
	}
	return struct{}{}, nil
})

// Lock is the reference's unsync: the step "Lock subscription", which takes the subscription's insync lock (it
// fails when the subscription is already out of sync) and keeps a copy of the subscription as it was under
// __old_subscriptions__ (unless the state has one already).
var Lock = workflow.NewStep("Lock subscription", func(ctx *workflow.Context, st workflow.State) (workflow.State, error) {
	return lock(ctx, st, true)
})

// LockUnchecked is the reference's unsync_unchecked, for validate workflows: the step "Lock subscription"
// without the in-sync check.
var LockUnchecked = workflow.NewStep("Lock subscription", func(ctx *workflow.Context, st workflow.State) (workflow.State, error) {
	return lock(ctx, st, false)
})

func lock(ctx *workflow.Context, st workflow.State, check bool) (workflow.State, error) {
	id, err := SubscriptionID(st)
	if err != nil {
		return nil, err
	}
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	out := workflow.State{}
	m, err := s.Load(ctx, id)
	switch {
	case err == nil:
		if check {
			old, _ := st[KeyOldSubscriptions].(map[string]any)
			if old == nil {
				old = map[string]any{}
			}
			if _, ok := old[id.String()]; !ok {
				old[id.String()] = m
			}
			out[KeyOldSubscriptions] = old
		}
	case errors.Is(err, subscription.ErrNotRegistered) || errors.Is(err, subscription.ErrInvalid):
		m = nil // locked all the same, without a model in the state
	default:
		return nil, err
	}
	if check {
		if err := s.Lock(ctx, id); err != nil {
			if errors.Is(err, subscription.ErrNotInSync) {
				return nil, errors.New("Subscription is already out of sync, cannot continue!")
			}
			return nil, err
		}
	} else if err := s.SetInsync(ctx, id, false); err != nil {
		return nil, fmt.Errorf("wrapper: %w", err)
	}
	if m != nil {
		m.SubscriptionBase().Insync = false
		out["subscription"] = m
	}
	return out, nil
}

// Unlock is the reference's resync: the step "Unlock subscription", which releases the insync lock (insync
// becomes true) and puts the subscription, as stored, in the state.
var Unlock = workflow.NewStep("Unlock subscription", func(ctx *workflow.Context, st workflow.State) (workflow.State, error) {
	id, err := SubscriptionID(st)
	if err != nil {
		return nil, err
	}
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Unlock(ctx, id); err != nil {
		return nil, err
	}
	m, err := s.Load(ctx, id)
	switch {
	case err == nil:
		return workflow.State{"subscription": m}, nil
	case errors.Is(err, subscription.ErrNotRegistered) || errors.Is(err, subscription.ErrInvalid):
		return nil, nil
	}
	return nil, err
})

// SetStatus is the reference's set_status: the step "Set subscription to '<status>'", which moves the subscription
// to the lifecycle (every field the lifecycle requires must be set, and the subscriptions using it must allow the
// move) and saves it.
func SetStatus(lc domain.Lifecycle) workflow.Step {
	return workflow.NewStep(fmt.Sprintf("Set subscription to '%s'", lc), func(ctx *workflow.Context, st workflow.State) (workflow.State, error) {
		id, err := SubscriptionID(st)
		if err != nil {
			return nil, err
		}
		s, err := process.Subscriptions(ctx)
		if err != nil {
			return nil, err
		}
		m, err := s.Load(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := s.ChangeLifecycle(ctx, m, lc); err != nil {
			return nil, err
		}
		return workflow.State{"subscription": m}, nil
	})
}
