package subscription_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
)

// TestChangeLifecycle validates every field required in the new lifecycle, recursively, and sets the dates.
func TestChangeLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 10, 0, 0, 123456789, time.UTC)
		_, s := setup(t, target.URI, subscription.WithClock(func() time.Time { return now }))
		g, err := subscription.Create[Gadget](ctx, s, "Gadget", "c")
		require.NoError(t, err)
		require.Len(t, g.Gadget.Spares, 1)
		require.NoError(t, s.Save(ctx, g))

		err = s.ChangeLifecycle(ctx, g, domain.Active)
		require.EqualError(t, err, "subscription: cannot move to active: gadget.serial is required from active; gadget.part is required from provisioning")
		require.ErrorIs(t, err, subscription.ErrInvalid)
		var ve *domain.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, []string{"gadget.serial is required from active", "gadget.part is required from provisioning"}, ve.Problems)
		require.Equal(t, domain.Initial, g.Status, "a refused move changes nothing")
		require.EqualError(t, s.ChangeLifecycle(ctx, g, "finished"), `subscription: cannot move to "finished": domain: unknown lifecycle "finished" (valid: initial, provisioning, active, migrating, disabled, terminated)`)

		g.Gadget.Part = &LeafBlock{}
		require.NoError(t, s.ChangeLifecycle(ctx, g, domain.Provisioning))
		require.Nil(t, g.StartDate)
		g.Gadget.Spares = nil
		require.EqualError(t, s.ChangeLifecycle(ctx, g, domain.Active), "subscription: cannot move to active: gadget.serial is required from active; gadget.spares has 0 items, at least 1 is required")
		g.Gadget.Spares = []MidBlock{{}}
		g.Gadget.Serial = ptr("SN1")
		require.NoError(t, s.ChangeLifecycle(ctx, g, domain.Active))
		require.Equal(t, domain.Active, g.Status)
		require.Equal(t, now.Truncate(time.Microsecond), *g.StartDate)
		require.Nil(t, g.EndDate)
		require.NoError(t, s.Save(ctx, g))

		loaded, err := subscription.Load[Gadget](ctx, s, g.SubscriptionID)
		require.NoError(t, err)
		require.Equal(t, g, loaded)
		require.NoError(t, s.ChangeLifecycle(ctx, loaded, domain.Terminated))
		require.Equal(t, now.Truncate(time.Microsecond), *loaded.StartDate, "start_date is set only once")
		require.Equal(t, now.Truncate(time.Microsecond), *loaded.EndDate)
		loaded.Gadget.Serial = nil
		require.NoError(t, s.ChangeLifecycle(ctx, loaded, domain.Initial), "initial requires only what is always there")
	})
}

// TestUnsafeStatusChange applies spec/core.md §2.7's table: a subscription whose top-level block is used by
// another subscription may move to a status only while the user's status is one the new status allows.
func TestUnsafeStatusChange(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		owner, err := subscription.Create[Thing](ctx, s, "Thing red", "c")
		require.NoError(t, err)
		owner.Spare = &LeafBlock{Size: 1}
		require.NoError(t, s.Save(ctx, owner))
		user, err := subscription.Create[Thing](ctx, s, "Thing blue", "c")
		require.NoError(t, err)
		user.Root.Remote = []LeafBlock{*owner.Spare}
		require.NoError(t, s.Save(ctx, user))

		allowed := map[domain.Lifecycle][]domain.Lifecycle{
			domain.Initial:      {domain.Initial},
			domain.Active:       {domain.Initial, domain.Provisioning, domain.Migrating, domain.Active, domain.Terminated, domain.Disabled},
			domain.Migrating:    {domain.Initial, domain.Migrating, domain.Terminated},
			domain.Provisioning: {domain.Initial, domain.Provisioning, domain.Active, domain.Terminated},
			domain.Terminated:   {domain.Initial, domain.Terminated},
			domain.Disabled:     {domain.Initial, domain.Disabled, domain.Terminated},
		}
		for _, userStatus := range domain.Lifecycles {
			_, err := db.Exec(rebind(db, "UPDATE subscriptions SET status = ? WHERE subscription_id = ?"), string(userStatus), user.SubscriptionID.String())
			require.NoError(t, err)
			for _, to := range domain.Lifecycles {
				m := *owner
				err := s.ChangeLifecycle(ctx, &m, to)
				if slices.Contains(allowed[to], userStatus) {
					require.NoError(t, err, "%s used by %s", to, userStatus)
					require.Equal(t, to, m.Status)
					continue
				}
				require.ErrorIs(t, err, subscription.ErrUnsafeStatusChange, "%s used by %s", to, userStatus)
				require.EqualError(t, err, fmt.Sprintf("subscription: cannot move %s to %s: unsafe status change of a subscription with depending subscriptions: in use by %s (%s)",
					owner.SubscriptionID, to, user.SubscriptionID, userStatus))
				require.Equal(t, owner.Status, m.Status)
			}
		}

		// Only top-level blocks count: the provider's leaves are nested in its provider block.
		g := &gen{r: rand.New(rand.NewPCG(3, 4))}
		prov := provider(ctx, t, s, g, 1)
		user.Root.Remote = append(user.Root.Remote, prov.Provider.Leaves[0])
		require.NoError(t, s.Save(ctx, user))
		for _, to := range domain.Lifecycles {
			m := *prov
			require.NoError(t, s.ChangeLifecycle(ctx, &m, to))
		}
	})
}

// TestRelatedSubscriptions: in use by and depends on at subscription level, and the insync lock.
func TestRelatedSubscriptions(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		_, s := setup(t, target.URI)
		g := &gen{r: rand.New(rand.NewPCG(5, 6))}
		prov := provider(ctx, t, s, g, 3)
		a, err := subscription.Create[Thing](ctx, s, "Thing red", "customer-a")
		require.NoError(t, err)
		a.Root.Remote = []LeafBlock{prov.Provider.Leaves[0], prov.Provider.Leaves[2]}
		a.Description = "A"
		require.NoError(t, s.Save(ctx, a))
		b, err := subscription.Create[Thing](ctx, s, "Thing blue", "customer-b")
		require.NoError(t, err)
		b.Root.Mids = []MidBlock{{Shared: &prov.Provider.Leaves[1]}}
		b.Spare = &LeafBlock{}
		require.NoError(t, s.Save(ctx, b))
		a.Root.Mid = &MidBlock{Shared: b.Spare}
		require.NoError(t, s.Save(ctx, a))

		ids := func(sums []subscription.Summary, err error) []uuid.UUID {
			t.Helper()
			require.NoError(t, err)
			var out []uuid.UUID
			for _, s := range sums {
				out = append(out, s.SubscriptionID)
			}
			return out
		}
		sorted := func(ids ...uuid.UUID) []uuid.UUID {
			slices.SortFunc(ids, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
			return ids
		}
		require.Equal(t, sorted(a.SubscriptionID, b.SubscriptionID), ids(s.InUseBy(ctx, prov.SubscriptionID)))
		require.Equal(t, []uuid.UUID{a.SubscriptionID}, ids(s.InUseBy(ctx, b.SubscriptionID)))
		require.Nil(t, ids(s.InUseBy(ctx, a.SubscriptionID)))
		require.Equal(t, sorted(prov.SubscriptionID, b.SubscriptionID), ids(s.DependsOn(ctx, a.SubscriptionID)))
		require.Nil(t, ids(s.DependsOn(ctx, prov.SubscriptionID)))
		users, err := s.InUseBy(ctx, b.SubscriptionID)
		require.NoError(t, err)
		require.Equal(t, []subscription.Summary{{SubscriptionID: a.SubscriptionID, Description: "A", Status: domain.Initial, CustomerID: "customer-a", ProductName: "Thing red"}}, users)

		// The insync lock: a workflow takes it (insync false) and gives it back.
		require.ErrorIs(t, s.Lock(ctx, a.SubscriptionID), subscription.ErrNotInSync, "a new subscription is not in sync")
		require.NoError(t, s.Unlock(ctx, a.SubscriptionID))
		require.NoError(t, s.Lock(ctx, a.SubscriptionID))
		err = s.Lock(ctx, a.SubscriptionID)
		require.EqualError(t, err, "subscription: lock "+a.SubscriptionID.String()+": subscription is already out of sync, cannot continue")
		require.NoError(t, s.Unlock(ctx, a.SubscriptionID))
		loaded, err := subscription.Load[Thing](ctx, s, a.SubscriptionID)
		require.NoError(t, err)
		require.True(t, loaded.Insync)
		require.Equal(t, 5, loaded.Version, "the update of the second save and the three lock changes bump the version")
		require.ErrorIs(t, s.Unlock(ctx, uuid.New()), subscription.ErrNotFound)
		require.ErrorIs(t, s.Lock(ctx, uuid.New()), subscription.ErrNotFound)
	})
}
