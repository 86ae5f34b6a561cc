package process

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// WithProducts gives the engine the application's domain model: steps reach the subscription store through
// Subscriptions, and every registered subscription model a step returns is saved in the step's transaction, as
// the reference saves the models in a step's result.
func WithProducts(reg *domain.Registry) Option {
	return func(e *Engine) {
		if reg != nil {
			e.products = reg
			e.models = modelSaver{reg: reg}
		}
	}
}

type storeKey struct{}

// ErrNoProducts: a step needs the subscription store but the engine has no domain model (WithProducts).
var ErrNoProducts = errors.New("the engine has no products registered (process.WithProducts)")

// Subscriptions returns the subscription store of the engine running the step, working in the step's
// transaction: what the step loads, saves, locks or unlocks through it commits with the step.
func Subscriptions(ctx *workflow.Context) (*subscription.Store, error) {
	s, ok := ctx.Value(storeKey{}).(*subscription.Store)
	if !ok {
		return nil, fmt.Errorf("process: step %q: %w", ctx.StepName, ErrNoProducts)
	}
	tx, err := ctx.Tx()
	if err != nil {
		return nil, err
	}
	return s.WithTx(tx), nil
}

// modelSaver saves subscription models of registered product types.
type modelSaver struct{ reg *domain.Registry }

func (modelSaver) SaveModel(ctx *workflow.Context, v any) (bool, error) {
	m, ok := v.(domain.Model)
	if !ok {
		return false, nil
	}
	s, err := Subscriptions(ctx)
	if err != nil {
		return false, err
	}
	if _, ok := s.Registry().ProductTypeOf(m); !ok {
		return false, nil
	}
	return true, s.Save(ctx, m)
}

// MarshalModel gives a registered model's JSON in the state: the reference's shape (domain.Registry.MarshalModel).
func (ms modelSaver) MarshalModel(v any) ([]byte, bool, error) {
	m, ok := v.(domain.Model)
	if !ok || ms.reg == nil {
		return nil, false, nil
	}
	if _, ok := ms.reg.ProductTypeOf(m); !ok {
		return nil, false, nil
	}
	data, err := ms.reg.MarshalModel(m)
	return data, true, err
}

// LoadModel loads a registered model that a step takes as input from the database, by its subscription id.
func (ms modelSaver) LoadModel(ctx *workflow.Context, v any) (bool, error) {
	m, ok := v.(domain.Model)
	if !ok || ms.reg == nil {
		return false, nil
	}
	if _, ok := ms.reg.ProductTypeOf(m); !ok {
		return false, nil
	}
	id := m.SubscriptionBase().SubscriptionID
	if id == uuid.Nil {
		return true, nil
	}
	s, err := Subscriptions(ctx)
	if err != nil {
		return false, err
	}
	loaded, err := s.Load(ctx, id)
	if err != nil {
		return false, err
	}
	reflect.ValueOf(v).Elem().Set(reflect.ValueOf(loaded).Elem())
	return true, nil
}

// modelCheck remembers that the domain model matched the database catalogue, so it is compared once per engine;
// a mismatch is compared again next time (after db migrate-domain-models has run, the engine goes on).
type modelCheck struct {
	mu     sync.Mutex
	ok     bool
	logged string
}

// CheckModel compares the engine's domain model with the catalogue in the database (subscription.CheckCatalogue)
// once: Start, Resume, Restart, Unpause and the pool's poller refuse to run anything while it fails, with an
// error listing every difference.
func (e *Engine) CheckModel(ctx context.Context) error {
	if e.subs == nil {
		return nil
	}
	e.check.mu.Lock()
	defer e.check.mu.Unlock()
	if e.check.ok {
		return nil
	}
	if err := e.subs.CheckCatalogue(ctx); err != nil {
		return fmt.Errorf("process: %w", err)
	}
	e.check.ok = true
	return nil
}

// modelReady is CheckModel for the pool: it logs a failure once (until it changes) instead of returning it.
func (e *Engine) modelReady(ctx context.Context) bool {
	err := e.CheckModel(ctx)
	if err == nil {
		return true
	}
	e.check.mu.Lock()
	defer e.check.mu.Unlock()
	if msg := err.Error(); msg != e.check.logged {
		e.check.logged = msg
		e.logger.Error("not running processes", "error", err)
	}
	return false
}
