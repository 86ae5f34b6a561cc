package workflow

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// State keys of a callback step, as the reference names them.
const (
	// CallbackRouteKey holds the path an external system posts its result to (the default route key).
	CallbackRouteKey = "callback_route"
	// CallbackResultKey is where the posted result lands in the state unless the step names another key.
	CallbackResultKey = "callback_result"
	// CallbackTokenKey holds the secret part of the route, checked when the result is posted.
	CallbackTokenKey = "__callback_token"
	// CallbackResultKeyKey names the state key the result is stored under.
	CallbackResultKeyKey = "__callback_result_key"
	// CallbackProgressKey holds the last progress an external system posted while the step waits.
	CallbackProgressKey = "callback_progress"
	// CallbackTimeoutKey holds how long, in seconds from the start of the await step, the callback may take
	// (CallbackTimeout); the task task_validate_awaiting_callbacks fails the process after that.
	CallbackTimeoutKey = "__callback_timeout"
)

// CallbackOption changes a callback step.
type CallbackOption func(*callbackConfig)

type callbackConfig struct {
	resultKey, routeKey string
	timeout             time.Duration
}

// ResultKey names the state key the posted result is stored under (default callback_result).
func ResultKey(key string) CallbackOption { return func(c *callbackConfig) { c.resultKey = key } }

// RouteKey names the state key the callback route is published under (default callback_route).
func RouteKey(key string) CallbackOption { return func(c *callbackConfig) { c.routeKey = key } }

// CallbackTimeout bounds the wait: a process still awaiting the callback d after the await step started is failed
// ("Callback timed out") by the task task_validate_awaiting_callbacks, and can be retried. Without it the process
// waits as long as it takes.
func CallbackTimeout(d time.Duration) CallbackOption {
	return func(c *callbackConfig) { c.timeout = d }
}

// CallbackStep is the reference's callback_step: the steps "<name> - Create endpoint" (a random token and the
// route /api/processes/<process_id>/callback/<token> in the state), action (which hands the route to the external
// system), "<name> - Await callback" (the process becomes awaiting_callback until the system posts its result to
// the route: see the API's callback route and the engine's Callback), validate (which checks the result, found in
// the state under the result key) and "<name> - Cleanup callback step" (which drops the token, the route, the
// progress and the timeout).
// The reference logs these as one step group; wfo logs each as a step of its own.
func CallbackStep(name string, action, validate Step, opts ...CallbackOption) []Step {
	cfg := callbackConfig{resultKey: CallbackResultKey, routeKey: CallbackRouteKey}
	for _, o := range opts {
		o(&cfg)
	}
	create := NewStep(name+" - Create endpoint", func(ctx *Context, _ struct{}) (State, error) {
		token, err := newCallbackToken()
		if err != nil {
			return nil, err
		}
		out := State{
			CallbackTokenKey:     token,
			cfg.routeKey:         fmt.Sprintf("/api/processes/%s/callback/%s", ctx.ProcessID, token),
			CallbackResultKeyKey: cfg.resultKey,
		}
		if cfg.timeout > 0 {
			out[CallbackTimeoutKey] = cfg.timeout.Seconds()
		}
		return out, nil
	})
	await := Step{name: name + " - Await callback", kind: kindAwaitCallback}
	cleanup := NewStep(name+" - Cleanup callback step", func(*Context, struct{}) (State, error) {
		return State{keyRemoveKeys: []any{CallbackTokenKey, CallbackResultKeyKey, cfg.routeKey, CallbackProgressKey, CallbackTimeoutKey}}, nil
	})
	return []Step{create, action, await, validate, cleanup}
}

// keyRemoveKeys lists the state keys the step log drops from the state it writes.
const keyRemoveKeys = "__remove_keys"

// IsAwaitCallback reports whether the step waits for a callback (the middle of a CallbackStep).
func (s Step) IsAwaitCallback() bool { return s.kind == kindAwaitCallback }

// newCallbackToken is 32 random bytes in URL-safe base64 without padding, as Python's secrets.token_urlsafe().
func newCallbackToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("workflow: callback token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
