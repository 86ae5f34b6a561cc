package wrapper_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
	"github.com/wfo-go/wfo/wrapper"
)

type WidgetBlock struct {
	domain.Block `wfo:"Widget"`
	Label        *string `wfo:"widget_label,required=active"`
}

type Widget struct {
	domain.Subscription
	Widget WidgetBlock `wfo:"widget"`
}

type UserBlock struct {
	domain.Block `wfo:"WidgetUser"`
	Uses         *WidgetBlock `wfo:"uses,required=active"`
}

type User struct {
	domain.Subscription
	User UserBlock `wfo:"user"`
}

var products = domain.MustNewRegistry(domain.Product[Widget]("Widget"), domain.Product[User]("User"))

type createIn struct {
	ProductName string  `json:"product_name"`
	Label       *string `json:"label"`
	Uses        string  `json:"uses"`
}

var createWidget = wrapper.Create("create_widget", "Create widget", workflow.FormFor[struct {
	Label *string `json:"label"`
}](), []workflow.Step{
	workflow.NewStep("Create subscription", func(ctx *workflow.Context, in createIn) (map[string]any, error) {
		s, err := process.Subscriptions(ctx)
		if err != nil {
			return nil, err
		}
		w, err := subscription.Create[Widget](ctx, s, in.ProductName, "c")
		if err != nil {
			return nil, err
		}
		w.Widget.Label = in.Label
		return map[string]any{"subscription": w, "subscription_id": w.SubscriptionID}, nil
	}),
	wrapper.StoreProcessSubscription,
})

var createUser = wrapper.Create("create_user", "Create user", workflow.FormFor[struct {
	Uses string `json:"uses" validate:"required,uuid"`
}](), []workflow.Step{
	workflow.NewStep("Create subscription", func(ctx *workflow.Context, in createIn) (map[string]any, error) {
		s, err := process.Subscriptions(ctx)
		if err != nil {
			return nil, err
		}
		w, err := subscription.Load[Widget](ctx, s, uuid.MustParse(in.Uses))
		if err != nil {
			return nil, err
		}
		u, err := subscription.Create[User](ctx, s, in.ProductName, "c")
		if err != nil {
			return nil, err
		}
		u.User.Uses = &w.Widget
		return map[string]any{"subscription": u, "subscription_id": u.SubscriptionID}, nil
	}),
})

var modifyWidget = wrapper.Modify("modify_widget", "Modify widget", nil, wrapper.EnsureProvisioning(
	workflow.NewStep("Relabel", func(ctx *workflow.Context, in struct {
		SubscriptionID uuid.UUID `json:"subscription_id"`
	}) (map[string]any, error) {
		s, err := process.Subscriptions(ctx)
		if err != nil {
			return nil, err
		}
		w, err := subscription.Load[Widget](ctx, s, in.SubscriptionID)
		if err != nil {
			return nil, err
		}
		if w.Status != domain.Provisioning {
			return nil, errors.New("not provisioning")
		}
		label := "relabelled"
		w.Widget.Label = &label
		return map[string]any{"subscription": w}, nil
	})))

var terminateWidget = wrapper.Terminate("terminate_widget", "Terminate widget", nil, nil)

var validateWidget = wrapper.Validate("validate_widget", "Validate widget", nil, wrapper.UsableIn(domain.Active, domain.Provisioning))

func setup(t *testing.T, target dbtest.Target) *workflowtest.Harness {
	t.Helper()
	h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Products(products),
		workflowtest.Workflows(createWidget, createUser, modifyWidget, terminateWidget, validateWidget))
	coretest.Catalogue(t, h.DB, products, nil)
	for _, link := range [][2]string{
		{"Widget", "create_widget"}, {"Widget", "modify_widget"}, {"Widget", "terminate_widget"}, {"Widget", "validate_widget"},
		{"User", "create_user"},
	} {
		_, err := h.DB.Exec(`INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id
FROM products p, workflows w WHERE p.name = $1 AND w.name = $2`, link[0], link[1])
		require.NoError(t, err)
	}
	return h
}

func product(t *testing.T, h *workflowtest.Harness, name string) string {
	var id string
	require.NoError(t, h.DB.QueryRow("SELECT product_id FROM products WHERE name = $1", name).Scan(&id))
	return id
}

func TestWrappers(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := setup(t, target)
		ctx := context.Background()
		store := subscription.New(h.DB, products)

		// A create workflow only for its own products.
		_, err := h.Start("create_widget", map[string]any{"product": product(t, h, "User")})
		require.ErrorContains(t, err, "product: This workflow is not valid for this product")

		// The status change to active needs the label: the process fails at it, the subscription stays initial and
		// out of sync, and a retry after fixing the data completes.
		p := h.Run("create_widget", map[string]any{"product": product(t, h, "Widget")})
		h.RequireStatus(p, process.Failed)
		require.Equal(t, "Set subscription to 'active'", p.LastStep)
		require.Contains(t, p.FailedReason, "widget_label")
		id := uuid.MustParse(p.State["subscription_id"].(string))
		w, err := subscription.Load[Widget](ctx, store, id)
		require.NoError(t, err)
		require.Equal(t, domain.Initial, w.Status)
		require.False(t, w.Insync)
		label := "first"
		w.Widget.Label = &label
		require.NoError(t, store.Save(ctx, w))
		require.NoError(t, h.Engine.Retry(ctx, p.ID))
		p = h.Get(p.ID)
		h.RequireStatus(p, process.Completed)
		w, err = subscription.Load[Widget](ctx, store, id)
		require.NoError(t, err)
		require.Equal(t, domain.Active, w.Status)
		require.True(t, w.Insync)

		// Modify goes through provisioning and back to active.
		p = h.Run("modify_widget", map[string]any{"subscription_id": id.String()})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create Process Subscription relation", "Lock subscription", "Set subscription to 'provisioning'",
			"Relabel", "Set subscription to 'active'", "Unlock subscription", "Done"}, p.StepNames())

		// Out of sync: modify is refused, validate (a validation) is not.
		_, err = h.DB.Exec("UPDATE subscriptions SET insync = $1 WHERE subscription_id = $2", false, id)
		require.NoError(t, err)
		_, err = h.Start("modify_widget", map[string]any{"subscription_id": id.String()})
		require.ErrorIs(t, err, wrapper.ErrNotInSync)
		require.NoError(t, wrapper.Offered(ctx, h.DB, id, validateWidget))
		p = h.Run("validate_widget", map[string]any{"subscription_id": id.String()})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create Process Subscription relation", "Lock subscription", "Unlock subscription", "Done"}, p.StepNames())

		// A user of the widget: the widget cannot be terminated while the user is not, and locking the user locks
		// the widget's relations.
		p = h.Run("create_user", map[string]any{"product": product(t, h, "User"), "uses": id.String()})
		h.RequireStatus(p, process.Completed)
		userID := uuid.MustParse(p.State["subscription_id"].(string))
		require.ErrorIs(t, wrapper.Offered(ctx, h.DB, id, terminateWidget), wrapper.ErrInUseByOthers)
		_, err = h.DB.Exec("UPDATE subscriptions SET insync = $1 WHERE subscription_id = $2", false, userID)
		require.NoError(t, err)
		require.ErrorIs(t, wrapper.Offered(ctx, h.DB, id, modifyWidget), wrapper.ErrRelationsLocked)
		_, err = h.DB.Exec("UPDATE subscriptions SET status = 'terminated' WHERE subscription_id = $1", userID)
		require.NoError(t, err)
		_, err = h.DB.Exec("UPDATE subscriptions SET insync = $1", true)
		require.NoError(t, err)
		require.NoError(t, wrapper.Offered(ctx, h.DB, id, terminateWidget))
		require.ErrorIs(t, wrapper.Offered(ctx, h.DB, id, createWidget), wrapper.ErrInvalidStatus)

		// A stale version and an unknown subscription.
		_, err = h.Start("modify_widget", map[string]any{"subscription_id": id.String(), "version": 1})
		require.ErrorContains(t, err, "version: Stale data")
		_, err = h.Start("modify_widget", map[string]any{"subscription_id": uuid.NewString()})
		require.ErrorContains(t, err, "subscription_id: Subscription not found")

		p = h.Run("terminate_widget", map[string]any{"subscription_id": id.String()})
		h.RequireStatus(p, process.Completed)
		w, err = subscription.Load[Widget](ctx, store, id)
		require.NoError(t, err)
		require.Equal(t, domain.Terminated, w.Status)
		require.NotNil(t, w.EndDate)
	})
}

// Lock refuses a subscription that is out of sync, with the reference's message; without a domain model it still
// locks and unlocks.
func TestLockRefusesOutOfSync(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := setup(t, target)
		p := h.Run("create_widget", map[string]any{"product": product(t, h, "Widget"), "label": "x"})
		h.RequireStatus(p, process.Completed)
		state := workflow.State{"subscription_id": p.State["subscription_id"]}
		lock := func() workflow.Result {
			ctx := &workflow.Context{Context: context.Background(), DB: h.DB, StepName: "Lock subscription", Workflow: modifyWidget}
			res := wrapper.Lock.Execute(ctx, state)
			if tx := ctx.ActiveTx(); tx != nil {
				require.NoError(t, tx.Commit())
			}
			return res
		}
		require.Equal(t, workflow.StepSuccess, lock().Status)
		res := lock()
		require.Equal(t, workflow.StepFailed, res.Status)
		require.Equal(t, "Subscription is already out of sync, cannot continue!", res.State["error"])
	})
}
