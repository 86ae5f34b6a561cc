// Package wrapper builds the standard workflows of a product around the application's own steps, as
// orchestrator-core's create_workflow, modify_workflow, terminate_workflow and validate_workflow do, and holds the
// standard subscription steps they add: store the process–subscription link, lock and unlock the subscription
// (insync), and set its lifecycle status.
//
//	var CreateNode = wrapper.Create("create_node", "Create Node", workflow.FormFor[NodeForm](),
//		[]workflow.Step{constructNode, wrapper.StoreProcessSubscription, provisionNode})
//
// gives the steps Start, construct, link, provision, Set subscription to 'active', Unlock subscription, Done, and a
// form that asks the product (one linked to create_node) before NodeForm's fields. Modify, terminate and validate
// workflows ask the subscription instead, and refuse to start when the workflow is not offered for it (spec/core.md
// §2.8): not linked to its product, its status not usable, out of sync, related subscriptions out of sync, or (to
// terminate) in use by subscriptions that are not terminated.
package wrapper

import (
	"slices"
	"sync"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/workflow"
)

// Option adjusts a wrapped workflow.
type Option func(*options)

type options struct {
	status       domain.Lifecycle
	usable       []domain.Lifecycle
	outOfSync    bool
	blockedInUse *bool
	extra        []workflow.Step
}

// Status sets the lifecycle a create workflow leaves its subscription in (default active).
func Status(lc domain.Lifecycle) Option { return func(o *options) { o.status = lc } }

// UsableIn sets the subscription statuses the workflow may start on (the reference's WF_USABLE_MAP); by default
// MODIFY, SYSTEM and VALIDATE workflows need an active subscription, TERMINATE an active or provisioning one.
func UsableIn(lcs ...domain.Lifecycle) Option {
	return func(o *options) { o.usable = append([]domain.Lifecycle{}, lcs...) }
}

// UsableWhileOutOfSync lets the workflow start on a subscription that is out of sync (the reference's
// WF_USABLE_WHILE_OUT_OF_SYNC).
func UsableWhileOutOfSync() Option { return func(o *options) { o.outOfSync = true } }

// BlockedByInUseBy sets whether the workflow is refused while other subscriptions that are not terminated use
// the subscription (default: only terminate workflows are).
func BlockedByInUseBy(blocked bool) Option { return func(o *options) { o.blockedInUse = &blocked } }

// AdditionalSteps adds steps after the application's own, before the wrapper's closing steps.
func AdditionalSteps(steps ...workflow.Step) Option {
	return func(o *options) { o.extra = append(o.extra, steps...) }
}

func build(opts []Option) *options {
	o := &options{status: domain.Active}
	for _, f := range opts {
		f(o)
	}
	return o
}

func steps(parts ...[]workflow.Step) []workflow.Step { return slices.Concat(parts...) }

// declared holds the options of every workflow this package made, so that Offered decides with the same options as
// the workflow's form, whichever form the application gave.
var declared sync.Map // *workflow.Workflow -> *options

func remember(wf *workflow.Workflow, o *options) *workflow.Workflow {
	declared.Store(wf, o)
	return wf
}

// optionsOf returns the options a workflow was made with: those of Create, Modify, ..., else those of the
// SubscriptionForm its form starts with (a workflow put together by hand, like the core's modify_note), else the
// defaults.
func optionsOf(wf *workflow.Workflow) *options {
	if o, ok := declared.Load(wf); ok {
		return o.(*options)
	}
	if wf.Form != nil {
		if f, ok := workflow.Pages(wf.Form)[0].(subscriptionForm); ok && f.opts != nil {
			return f.opts
		}
	}
	return build(nil)
}

// Create is a CREATE workflow: its form asks the product (which must have this workflow linked) and then form's
// fields; its steps are Start, steps, Set subscription to the status (active by default), Unlock subscription and
// Done. The application's steps create the subscription (returning it as "subscription" with its
// "subscription_id"), usually store the process–subscription link, and provision it.
func Create(name, description string, form workflow.Form, own []workflow.Step, opts ...Option) *workflow.Workflow {
	o := build(opts)
	return remember(&workflow.Workflow{
		Name: name, Target: workflow.TargetCreate, Description: description,
		Form:  workflow.Forms(productForm{}, form),
		Steps: steps([]workflow.Step{workflow.Init}, own, o.extra, []workflow.Step{SetStatus(o.status), Unlock, workflow.Done}),
	}, o)
}

// Modify is a MODIFY workflow: its form asks the subscription (and optionally the version the user saw) and then
// form's fields; its steps are Start, Create Process Subscription relation, Lock subscription, steps, Unlock
// subscription and Done.
func Modify(name, description string, form workflow.Form, own []workflow.Step, opts ...Option) *workflow.Workflow {
	o := build(opts)
	return remember(&workflow.Workflow{
		Name: name, Target: workflow.TargetModify, Description: description,
		Form:  workflow.Forms(subscriptionForm{opts: o}, form),
		Steps: steps([]workflow.Step{workflow.Init, StoreProcessSubscription, Lock}, own, o.extra, []workflow.Step{Unlock, workflow.Done}),
	}, o)
}

// Terminate is a TERMINATE workflow: as Modify, with Set subscription to 'terminated' before Unlock subscription.
// It is refused while subscriptions that are not terminated use the subscription.
func Terminate(name, description string, form workflow.Form, own []workflow.Step, opts ...Option) *workflow.Workflow {
	o := build(opts)
	return remember(&workflow.Workflow{
		Name: name, Target: workflow.TargetTerminate, Description: description,
		Form: workflow.Forms(subscriptionForm{opts: o}, form),
		Steps: steps([]workflow.Step{workflow.Init, StoreProcessSubscription, Lock}, own, o.extra,
			[]workflow.Step{SetStatus(domain.Terminated), Unlock, workflow.Done}),
	}, o)
}

// Validate is a VALIDATE workflow: its form asks the subscription; its steps are Start, Create Process
// Subscription relation, Lock subscription (without the in-sync check), steps, Unlock subscription and Done.
// The application's steps return an error when the subscription is not as it should be.
func Validate(name, description string, own []workflow.Step, opts ...Option) *workflow.Workflow {
	o := build(opts)
	return remember(&workflow.Workflow{
		Name: name, Target: workflow.TargetValidate, Description: description,
		Form:  subscriptionForm{opts: o},
		Steps: steps([]workflow.Step{workflow.Init, StoreProcessSubscription, LockUnchecked}, own, o.extra, []workflow.Step{Unlock, workflow.Done}),
	}, o)
}

// EnsureProvisioning wraps modify steps in Set subscription to 'provisioning' and Set subscription to 'active',
// as the reference's ensure_provisioning_status.
func EnsureProvisioning(own ...workflow.Step) []workflow.Step {
	return steps([]workflow.Step{SetStatus(domain.Provisioning)}, own, []workflow.Step{SetStatus(domain.Active)})
}
