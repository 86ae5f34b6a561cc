package domain

import "fmt"

// Lifecycle is a subscription's status (orchestrator-core's SubscriptionLifecycle), stored as these strings in
// subscriptions.status.
type Lifecycle string

// The subscription lifecycles.
const (
	Initial      Lifecycle = "initial"
	Provisioning Lifecycle = "provisioning"
	Active       Lifecycle = "active"
	Migrating    Lifecycle = "migrating"
	Disabled     Lifecycle = "disabled"
	Terminated   Lifecycle = "terminated"
)

// Lifecycles lists every lifecycle in the reference's order.
var Lifecycles = []Lifecycle{Initial, Provisioning, Active, Migrating, Disabled, Terminated}

// ParseLifecycle checks that s names a lifecycle.
func ParseLifecycle(s string) (Lifecycle, error) {
	for _, lc := range Lifecycles {
		if string(lc) == s {
			return lc, nil
		}
	}
	return "", fmt.Errorf("domain: unknown lifecycle %q (valid: initial, provisioning, active, migrating, disabled, terminated)", s)
}

// level orders the lifecycles that a field can be required from: a field required from provisioning must be set
// in provisioning and active. Migrating, disabled and terminated have no model of their own in the reference (a
// product type specialises initial, provisioning and active; other statuses fall back to the base, inactive
// model), so only what initial requires is required there.
func (lc Lifecycle) level() int {
	switch lc {
	case Provisioning:
		return 1
	case Active:
		return 2
	}
	return 0
}

// requiredIn reports whether a field required from "from" ("" = never) must be set in lifecycle lc.
func requiredIn(from, lc Lifecycle) bool {
	return from != "" && lc.level() >= from.level()
}

// safeUsers is the reference's table of which statuses the subscriptions using a subscription may have
// when that subscription moves to a new status (orchestrator-core's SAFE_USED_BY_TRANSITIONS_FOR_STATUS).
var safeUsers = map[Lifecycle][]Lifecycle{
	Initial:      {Initial},
	Active:       {Initial, Provisioning, Migrating, Active, Terminated, Disabled},
	Migrating:    {Initial, Migrating, Terminated},
	Provisioning: {Initial, Provisioning, Active, Terminated},
	Terminated:   {Initial, Terminated},
	Disabled:     {Initial, Disabled, Terminated},
}

// SafeInUseBy reports whether a subscription may move to lifecycle to while a subscription in lifecycle user uses
// one of its top-level blocks (spec/core.md §2.7).
func SafeInUseBy(to, user Lifecycle) bool {
	for _, ok := range safeUsers[to] {
		if ok == user {
			return true
		}
	}
	return false
}
