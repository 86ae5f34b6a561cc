package wrapper

import (
	"slices"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/workflow"
)

// Rules are what decides, besides the link to the subscription's product, whether a workflow is offered on a
// subscription: Offered applies them, and the API's list of a subscription's workflows gives the reason each
// one is not.
type Rules struct {
	// UsableIn are the subscription statuses the workflow may start on (none for a create workflow).
	UsableIn []domain.Lifecycle
	// WhileOutOfSync: the workflow may start on a subscription, or one related to it, that is out of sync (tasks,
	// SYSTEM and VALIDATE workflows, and those made with UsableWhileOutOfSync).
	WhileOutOfSync bool
	// BlockedByInUseBy: subscriptions that use this one and are not terminated refuse the workflow (terminate
	// workflows, unless made with BlockedByInUseBy(false), and those made with BlockedByInUseBy(true)).
	BlockedByInUseBy bool
}

// RulesOf returns the rules Offered applies to wf: those it was made with, the defaults of its target for a
// workflow not made by this package.
func RulesOf(wf *workflow.Workflow) Rules {
	o := optionsOf(wf)
	if wf.Target == workflow.TargetCreate {
		o = build(nil)
	}
	return rulesFrom(wf, o)
}

// rulesFrom returns the rules of wf made with the options o.
func rulesFrom(wf *workflow.Workflow, o *options) Rules {
	r := Rules{UsableIn: o.usable, WhileOutOfSync: o.outOfSync || wf.IsTask || wf.Target == workflow.TargetSystem || wf.Target == workflow.TargetValidate,
		BlockedByInUseBy: wf.Target == workflow.TargetTerminate}
	if r.UsableIn == nil {
		r.UsableIn = DefaultUsable[wf.Target]
	}
	r.UsableIn = slices.Clone(r.UsableIn)
	if r.UsableIn == nil {
		r.UsableIn = []domain.Lifecycle{}
	}
	if o.blockedInUse != nil {
		r.BlockedByInUseBy = *o.blockedInUse
	}
	return r
}
