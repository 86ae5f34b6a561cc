package wrapper_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
	"github.com/wfo-go/wfo/wrapper"
)

// TestOfferedAgreesWithStart builds a Create, Modify, Terminate and Validate workflow with each wrapper option and
// checks, on subscriptions in each situation that an option changes, that Offered allows exactly the starts the
// engine accepts, for the same reason.
func TestOfferedAgreesWithStart(t *testing.T) {
	t.Parallel()
	options := map[string][]wrapper.Option{
		"default":       nil,
		"usable":        {wrapper.UsableIn(domain.Provisioning, domain.Terminated)},
		"out_of_sync":   {wrapper.UsableWhileOutOfSync()},
		"blocked":       {wrapper.BlockedByInUseBy(true)},
		"not_blocked":   {wrapper.BlockedByInUseBy(false)},
		"create_status": {wrapper.Status(domain.Provisioning)},
	}
	var wfs []*workflow.Workflow
	for opt, opts := range options {
		wfs = append(wfs,
			wrapper.Create("create_"+opt, "Create", nil, nil, opts...),
			wrapper.Modify("modify_"+opt, "Modify", nil, nil, opts...),
			wrapper.Terminate("terminate_"+opt, "Terminate", nil, nil, opts...),
			wrapper.Validate("validate_"+opt, "Validate", nil, opts...),
		)
	}
	// A workflow put together by hand around SubscriptionForm, as the core's modify_note is: Offered reads the
	// options from its form.
	wfs = append(wfs, &workflow.Workflow{Name: "modify_by_hand", Target: workflow.TargetModify, Description: "By hand",
		Form:  workflow.Forms(wrapper.SubscriptionForm(wrapper.UsableWhileOutOfSync())),
		Steps: []workflow.Step{workflow.Init, wrapper.StoreProcessSubscription, workflow.Done}})
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Products(products), workflowtest.Workflows(wfs...))
		coretest.Catalogue(t, h.DB, products, nil)
		_, err := h.DB.Exec(`INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id
FROM products p, workflows w WHERE p.name = 'Widget' AND w.name NOT LIKE 'task_%' AND w.name <> 'modify_note'`)
		require.NoError(t, err)
		store := subscription.New(h.DB, products)

		// widget makes a Widget subscription in a situation; each check gets its own, since a start changes it.
		widget := func(situation string) uuid.UUID {
			w, err := subscription.Create[Widget](ctx, store, "Widget", "c")
			require.NoError(t, err)
			label := "l"
			w.Widget.Label = &label
			w.Status, w.Insync = domain.Active, true
			switch situation {
			case "out of sync":
				w.Insync = false
			case "provisioning":
				w.Status = domain.Provisioning
			case "terminated":
				w.Status = domain.Terminated
			}
			require.NoError(t, store.Save(ctx, w))
			if situation == "in use" {
				u, err := subscription.Create[User](ctx, store, "User", "c")
				require.NoError(t, err)
				u.User.Uses = &w.Widget
				require.NoError(t, store.Save(ctx, u))
			}
			return w.SubscriptionID
		}
		offeredCount := 0
		for _, wf := range wfs {
			for _, situation := range []string{"active", "out of sync", "provisioning", "terminated", "in use"} {
				id := widget(situation)
				offered := wrapper.Offered(ctx, h.DB, id, wf)
				_, started := h.Start(wf.Name, map[string]any{"subscription_id": id.String()})
				what := fmt.Sprintf("%s on a subscription %s: offered %v, start %v", wf.Name, situation, offered, started)
				if offered == nil {
					offeredCount++
					require.NoError(t, started, what)
					continue
				}
				require.Error(t, started, what)
				if wf.Target != workflow.TargetCreate {
					require.ErrorContains(t, started, offered.Error(), what)
				}
			}
		}
		require.Greater(t, offeredCount, 20, "the situations include starts that are offered")
	})
}
