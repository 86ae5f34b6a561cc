package process

import (
	"errors"
	"fmt"

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
			e.models = modelSaver{}
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
type modelSaver struct{}

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
