package subscription_test

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
)

// provider saves a Provider subscription with n leaves, which Things link to.
func provider(ctx context.Context, t testing.TB, s *subscription.Store, g *gen, n int) *Provider {
	t.Helper()
	p, err := subscription.Create[Provider](ctx, s, "Provider", "c")
	require.NoError(t, err)
	for range n {
		p.Provider.Leaves = append(p.Provider.Leaves, g.leaf())
	}
	require.NoError(t, s.Save(ctx, p))
	p, err = subscription.Load[Provider](ctx, s, p.SubscriptionID)
	require.NoError(t, err)
	return p
}

// TestSaveLoadProperty saves random trees, with instances of another subscription among them, and loads them
// back equal; then changes them (dropping, replacing and adding subtrees) and checks again, and that exactly the
// reachable own instances are left and the other subscription is untouched.
func TestSaveLoadProperty(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		g := &gen{r: rand.New(rand.NewPCG(1, 2))}
		prov := provider(ctx, t, s, g, 5)
		g.foreign = prov.Provider.Leaves
		provRows := rows(t, db, "SELECT subscription_instance_id, label FROM subscription_instances WHERE subscription_id = ? ORDER BY 1", prov.SubscriptionID.String())

		linked, dropped := 0, 0
		for seed := range uint64(30) {
			g.r = rand.New(rand.NewPCG(seed, 7))
			th := g.thing(ctx, t, s)
			for round := range 3 {
				require.NoError(t, s.Save(ctx, th), "%s round %d", describe(seed), round)
				loaded, err := subscription.Load[Thing](ctx, s, th.SubscriptionID)
				require.NoError(t, err, describe(seed))
				require.Equal(t, th, loaded, "%s round %d", describe(seed), round)
				own := ownInstances(t, th)
				require.Equal(t, own, count(t, db, "SELECT COUNT(*) FROM subscription_instances WHERE subscription_id = ?", th.SubscriptionID.String()),
					"%s round %d: the own instances left are those reachable", describe(seed), round)
				deps, err := s.DependsOn(ctx, th.SubscriptionID)
				require.NoError(t, err)
				linked += len(deps)
				g.mutate(th)
				if ownInstances(t, th) < own {
					dropped++
				}
			}
		}
		require.Greater(t, linked, 10, "trees link to the provider's instances")
		require.Greater(t, dropped, 10, "changes leave own instances unreachable")
		again, err := subscription.Load[Provider](ctx, s, prov.SubscriptionID)
		require.NoError(t, err)
		require.Equal(t, prov, again, "linked instances of another subscription are never modified")
		require.Equal(t, provRows, rows(t, db, "SELECT subscription_instance_id, label FROM subscription_instances WHERE subscription_id = ? ORDER BY 1", prov.SubscriptionID.String()))
	})
}

// TestStorageFormat reads the rows a save writes, byte for byte: the reference's encodings, one row per list
// element, no row for nil, relations with order_id and domain_model_attr.
func TestStorageFormat(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		th, err := subscription.Create[Thing](ctx, s, "Thing red", "customer-1")
		require.NoError(t, err)
		sid := uuid.MustParse("0A3B189E-8BF9-4888-9912-ACE4E6543002")
		th.SubscriptionID = sid
		th.Root.SubscriptionInstanceID = uuid.MustParse("11111111-1111-4111-8111-111111111111")
		th.Root.OwnerSubscriptionID = sid
		th.Status = domain.Active
		th.Insync = true
		th.StartDate = ptr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		th.EndDate = ptr(time.Date(2026, 1, 2, 3, 4, 5, 123000, time.UTC))
		th.Root.Mids = []MidBlock{{
			Block: domain.Block{SubscriptionInstanceID: uuid.MustParse("22222222-2222-4222-8222-222222222222"), Label: "first"},
			Title: "m0",
			Leaf: LeafBlock{
				Block:      domain.Block{SubscriptionInstanceID: uuid.MustParse("33333333-3333-4333-8333-333333333333")},
				Name:       ptr("xe-0/0/1"),
				Count:      ptr(int64(-12)),
				Flag:       ptr(false),
				ExternalID: ptr(uuid.MustParse("A3BB189E-8BF9-3888-9912-ACE4E6543002")),
				Addr:       ptr(netip.MustParseAddr("2001:db8:0:0:0:0:0:1")),
				Net:        ptr(netip.MustParsePrefix("192.0.2.1/24")),
				When:       ptr(time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.UTC)),
				Color:      ptr(Color("green")),
				Words:      []string{"b", "a", "b"},
				Numbers:    []int{9, 10},
				Size:       7,
				Enabled:    true,
			},
		}, {
			Block: domain.Block{SubscriptionInstanceID: uuid.MustParse("44444444-4444-4444-8444-444444444444")},
			Leaf:  LeafBlock{Block: domain.Block{SubscriptionInstanceID: uuid.MustParse("55555555-5555-4555-8555-555555555555")}},
		}}
		require.NoError(t, s.Save(ctx, th))

		sub := rows(t, db, "SELECT subscription_id, description, status, customer_id, insync, start_date, end_date, note, version FROM subscriptions")
		if db.Dialect == database.SQLite {
			require.Equal(t, []string{"0a3b189e-8bf9-4888-9912-ace4e6543002 | Initial subscription of Thing red | active | customer-1 | 1 | " +
				"2026-01-02 03:04:05+00:00 | 2026-01-02 03:04:05.000123+00:00 | NULL | 1"}, sub)
		} else {
			require.Len(t, sub, 1)
			var insync bool
			var start, end time.Time
			require.NoError(t, db.QueryRow("SELECT insync, start_date, end_date FROM subscriptions").Scan(&insync, &start, &end))
			require.True(t, insync)
			require.True(t, th.StartDate.Equal(start))
			require.True(t, th.EndDate.Equal(end))
			require.Contains(t, sub[0], "0a3b189e-8bf9-4888-9912-ace4e6543002 | Initial subscription of Thing red | active | customer-1 | true | ")
		}

		values := rows(t, db, `SELECT si.subscription_instance_id, rt.resource_type, v.value
FROM subscription_instance_values v
JOIN subscription_instances si ON si.subscription_instance_id = v.subscription_instance_id
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
ORDER BY 1, 2, 3`)
		require.Equal(t, []string{
			"22222222-2222-4222-8222-222222222222 | title | m0",
			"33333333-3333-4333-8333-333333333333 | addr | 2001:db8::1",
			"33333333-3333-4333-8333-333333333333 | color | green",
			"33333333-3333-4333-8333-333333333333 | count | -12",
			"33333333-3333-4333-8333-333333333333 | enabled | True",
			"33333333-3333-4333-8333-333333333333 | external_id | a3bb189e-8bf9-3888-9912-ace4e6543002",
			"33333333-3333-4333-8333-333333333333 | flag | False",
			"33333333-3333-4333-8333-333333333333 | leaf_name | xe-0/0/1",
			"33333333-3333-4333-8333-333333333333 | net | 192.0.2.1/24",
			"33333333-3333-4333-8333-333333333333 | numbers | 10",
			"33333333-3333-4333-8333-333333333333 | numbers | 9",
			"33333333-3333-4333-8333-333333333333 | size | 7",
			"33333333-3333-4333-8333-333333333333 | when | 2026-01-02 03:04:05.120000+00:00",
			"33333333-3333-4333-8333-333333333333 | words | a",
			"33333333-3333-4333-8333-333333333333 | words | b",
			"33333333-3333-4333-8333-333333333333 | words | b",
			"44444444-4444-4444-8444-444444444444 | title | ",
			"55555555-5555-4555-8555-555555555555 | enabled | False",
			"55555555-5555-4555-8555-555555555555 | size | 0",
		}, values, "no row for nil values (weight, leaf 55555555's pointers), one per list element")

		instances := rows(t, db, `SELECT si.subscription_instance_id, si.subscription_id, pb.name, si.label
FROM subscription_instances si JOIN product_blocks pb ON pb.product_block_id = si.product_block_id ORDER BY 1`)
		require.Equal(t, []string{
			"11111111-1111-4111-8111-111111111111 | 0a3b189e-8bf9-4888-9912-ace4e6543002 | TestRoot | NULL",
			"22222222-2222-4222-8222-222222222222 | 0a3b189e-8bf9-4888-9912-ace4e6543002 | TestMid | first",
			"33333333-3333-4333-8333-333333333333 | 0a3b189e-8bf9-4888-9912-ace4e6543002 | TestLeaf | NULL",
			"44444444-4444-4444-8444-444444444444 | 0a3b189e-8bf9-4888-9912-ace4e6543002 | TestMid | NULL",
			"55555555-5555-4555-8555-555555555555 | 0a3b189e-8bf9-4888-9912-ace4e6543002 | TestLeaf | NULL",
		}, instances)
		require.Equal(t, []string{
			"11111111-1111-4111-8111-111111111111 | 22222222-2222-4222-8222-222222222222 | 0 | mids",
			"11111111-1111-4111-8111-111111111111 | 44444444-4444-4444-8444-444444444444 | 1 | mids",
			"22222222-2222-4222-8222-222222222222 | 33333333-3333-4333-8333-333333333333 | 0 | leaf",
			"44444444-4444-4444-8444-444444444444 | 55555555-5555-4555-8555-555555555555 | 0 | leaf",
		}, rows(t, db, "SELECT in_use_by_id, depends_on_id, order_id, domain_model_attr FROM subscription_instance_relations ORDER BY 1, 2"))

		// Saving again unchanged writes nothing: value rows keep their ids.
		before := rows(t, db, "SELECT subscription_instance_value_id FROM subscription_instance_values ORDER BY 1")
		require.NoError(t, s.Save(ctx, th))
		require.Equal(t, before, rows(t, db, "SELECT subscription_instance_value_id FROM subscription_instance_values ORDER BY 1"))
		require.Equal(t, 2, th.Version, "the database bumps the version on every update, and Save reads it back")
	})
}

// TestLoadReferenceRows loads a subscription whose rows were written the way orchestrator-core writes them, with
// what it may leave that wfo does not write itself: list values out of order, relations without
// domain_model_attr, a value row of a resource type the model no longer has, a NULL label.
func TestLoadReferenceRows(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		exec := func(q string, args ...any) {
			t.Helper()
			_, err := db.Exec(rebind(db, q), args...)
			require.NoError(t, err, q)
		}
		sid, root, mid, leaf := "6f1c1a2e-5f60-4d3a-9a57-0c5f0f7e9b10", "6f1c1a2e-5f60-4d3a-9a57-0c5f0f7e9b11", "6f1c1a2e-5f60-4d3a-9a57-0c5f0f7e9b12", "6f1c1a2e-5f60-4d3a-9a57-0c5f0f7e9b13"
		insync, start := "true", "'2025-03-04 05:06:07.000008+00:00'"
		if db.Dialect == database.SQLite {
			insync = "1"
		}
		exec(`INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync, start_date, note, version)
SELECT ?, 'Node of customer', 'active', product_id, 'cust', `+insync+`, `+start+`, 'a note', 3 FROM products WHERE name = 'Thing blue'`, sid)
		block := func(id, name string) {
			exec(`INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id, label)
SELECT ?, ?, product_block_id, NULL FROM product_blocks WHERE name = ?`, id, sid, name)
		}
		block(root, "TestRoot")
		block(mid, "TestMid")
		block(leaf, "TestLeaf")
		value := func(id, rt, v string) {
			exec(`INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT ?, resource_type_id, ? FROM resource_types WHERE resource_type = ?`, id, v, rt)
		}
		value(mid, "title", "from python")
		for rt, v := range map[string]string{"flag": "True", "enabled": "False", "size": "42", "count": "9007199254740993",
			"external_id": "a3bb189e-8bf9-3888-9912-ace4e6543002", "addr": "10.0.0.1", "net": "10.0.0.0/8",
			"when": "2025-03-04 05:06:07.123456+00:00", "color": "blue", "weight": "-5"} {
			value(leaf, rt, v)
		}
		for _, v := range []string{"9", "10", "-1"} {
			value(leaf, "numbers", v)
		}
		for _, v := range []string{"zeta", "Zeta", "alpha"} {
			value(leaf, "words", v)
		}
		exec("INSERT INTO resource_types (resource_type) VALUES ('retired')")
		value(leaf, "retired", "old")
		rel := func(parent, child string, order int, attr any) {
			exec("INSERT INTO subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) VALUES (?, ?, ?, ?)", parent, child, order, attr)
		}
		rel(root, mid, 0, "mid")
		rel(mid, leaf, 0, "leaf")
		rel(mid, leaf, 1, nil) // a relation without domain_model_attr is ignored

		th, err := subscription.Load[Thing](ctx, s, uuid.MustParse(sid))
		require.NoError(t, err)
		require.Equal(t, Color("blue"), th.Color, "the fixed input comes from the product")
		require.Equal(t, domain.Active, th.Status)
		require.True(t, th.Insync)
		require.Equal(t, "a note", th.Note)
		require.Equal(t, 3, th.Version)
		require.Equal(t, time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC), *th.StartDate)
		require.Nil(t, th.EndDate)
		require.Equal(t, "Thing blue", th.Product.Name)
		require.Equal(t, "Thing", th.Product.ProductType)
		require.Equal(t, &MidBlock{
			Block: domain.Block{SubscriptionInstanceID: uuid.MustParse(mid), OwnerSubscriptionID: uuid.MustParse(sid)},
			Title: "from python",
			Leaf: LeafBlock{
				Block:      domain.Block{SubscriptionInstanceID: uuid.MustParse(leaf), OwnerSubscriptionID: uuid.MustParse(sid)},
				Count:      ptr(int64(9007199254740993)),
				Flag:       ptr(true),
				ExternalID: ptr(uuid.MustParse("a3bb189e-8bf9-3888-9912-ace4e6543002")),
				Addr:       ptr(netip.MustParseAddr("10.0.0.1")),
				Net:        ptr(netip.MustParsePrefix("10.0.0.0/8")),
				When:       ptr(time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)),
				Color:      ptr(Color("blue")),
				Weight:     ptr(Weight(-5)),
				Words:      []string{"Zeta", "alpha", "zeta"},
				Numbers:    []int{-1, 10, 9},
				Size:       42,
			},
		}, th.Root.Mid, "list values sorted as strings, as the reference loads them")

		// Saving keeps the row of the resource type the block does not declare, and drops the relation without
		// domain_model_attr (as the reference rewrites a block's relations).
		require.NoError(t, s.Save(ctx, th))
		require.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM subscription_instance_values WHERE value = 'old'"))
		require.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM subscription_instance_relations WHERE domain_model_attr IS NULL"))
	})
}

// TestLoadRefuses names what keeps a subscription from loading.
func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		id := uuid.New()
		_, err := s.Load(ctx, id)
		require.ErrorIs(t, err, subscription.ErrNotFound)
		require.EqualError(t, err, "subscription: "+id.String()+": not found")

		_, err = s.Create(ctx, "Thing green", "c")
		require.EqualError(t, err, `subscription: product "Thing green": not registered in the registry (registered: Gadget, Provider, Thing blue, Thing red)`)
		other := subscription.New(db, domain.MustNewRegistry(domain.Product[Thing]("Thing red")))
		_, err = other.Create(ctx, "Thing red", "c")
		require.NoError(t, err)
		_, err = subscription.New(db, domain.MustNewRegistry(domain.Product[Thing]("Thing purple"))).Create(ctx, "Thing purple", "c")
		require.EqualError(t, err, `subscription: product "Thing purple": not found in the database (products)`)

		th, err := subscription.Create[Thing](ctx, s, "Thing blue", "c")
		require.NoError(t, err)
		require.NoError(t, s.Save(ctx, th))
		_, err = subscription.Load[Provider](ctx, s, th.SubscriptionID)
		require.EqualError(t, err, "subscription: "+th.SubscriptionID.String()+" is a *subscription_test.Thing, not a *subscription_test.Provider")
		_, err = other.Load(ctx, th.SubscriptionID)
		require.ErrorIs(t, err, subscription.ErrNotRegistered)

		// A stored value the model cannot hold, and a model not valid for its stored status.
		th.Root.Mid = &MidBlock{}
		require.NoError(t, s.Save(ctx, th))
		leaf := th.Root.Mid.Leaf.SubscriptionInstanceID.String()
		_, err = db.Exec(rebind(db, `UPDATE subscription_instance_values SET value = 'many' WHERE subscription_instance_id = ?
AND resource_type_id = (SELECT resource_type_id FROM resource_types WHERE resource_type = 'size')`), leaf)
		require.NoError(t, err)
		_, err = s.Load(ctx, th.SubscriptionID)
		require.EqualError(t, err, "subscription: loading "+th.SubscriptionID.String()+": domain: subscription "+th.SubscriptionID.String()+
			": root: TestRoot instance "+th.Root.SubscriptionInstanceID.String()+": mid: TestMid instance "+th.Root.Mid.SubscriptionInstanceID.String()+
			": leaf: TestLeaf instance "+leaf+`: size: "many" is not an integer of 64 bits`)
		_, err = db.Exec(rebind(db, `UPDATE subscription_instance_values SET value = '500' WHERE value = 'many'`))
		require.NoError(t, err)
		_, err = db.Exec(rebind(db, `INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT ?, resource_type_id, 'purple' FROM resource_types WHERE resource_type = 'color'`), leaf)
		require.NoError(t, err)
		_, err = s.Load(ctx, th.SubscriptionID)
		require.EqualError(t, err, "subscription: loading "+th.SubscriptionID.String()+`: domain: subscription `+th.SubscriptionID.String()+
			": root: TestRoot instance "+th.Root.SubscriptionInstanceID.String()+": mid: TestMid instance "+th.Root.Mid.SubscriptionInstanceID.String()+
			": leaf: TestLeaf instance "+leaf+`: color: "purple" is not one of red, green, blue`)
		_, err = db.Exec(rebind(db, `DELETE FROM subscription_instance_values WHERE value = 'purple'`))
		require.NoError(t, err)
		for i := range 7 {
			_, err = db.Exec(rebind(db, "INSERT INTO subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) VALUES (?, ?, ?, 'leaves')"),
				th.Root.Mid.SubscriptionInstanceID.String(), leaf, i+1)
			require.NoError(t, err)
		}
		_, err = s.Load(ctx, th.SubscriptionID)
		require.ErrorIs(t, err, subscription.ErrInvalid)
		require.EqualError(t, err, "subscription: loading "+th.SubscriptionID.String()+": not valid for initial: root.mid.leaves has 7 items, at most 6 are allowed")
	})
}

// TestSaveRefuses: invalid for the status, a link to an instance that is not there.
func TestSaveRefuses(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		_, s := setup(t, target.URI)
		th, err := subscription.Create[Thing](ctx, s, "Thing blue", "c")
		require.NoError(t, err)
		th.Root.Mids = make([]MidBlock, 1)
		th.Root.Mids[0].Leaves = make([]LeafBlock, 7)
		err = s.Save(ctx, th)
		require.ErrorIs(t, err, subscription.ErrInvalid)
		require.EqualError(t, err, "subscription: cannot save "+th.SubscriptionID.String()+": not valid for initial: root.mids[0].leaves has 7 items, at most 6 are allowed")

		th.Root.Mids[0].Leaves = nil
		ghost := uuid.New()
		th.Root.Mids[0].Shared = &LeafBlock{Block: domain.Block{SubscriptionInstanceID: ghost, OwnerSubscriptionID: uuid.New()}}
		err = s.Save(ctx, th)
		require.ErrorContains(t, err, "linked TestLeaf instance "+ghost.String()+" of subscription")
		require.ErrorContains(t, err, "does not exist")
		_, err = s.Load(ctx, th.SubscriptionID)
		require.ErrorIs(t, err, subscription.ErrNotFound, "a failed save leaves nothing behind")
	})
}

// TestSaveKeepsUndeclaredValues stores values of resource types the model does not declare (as a renamed field
// or another application would leave them) and checks that a load-save round trip keeps them, also when the
// declared values of the same instance change.
func TestSaveKeepsUndeclaredValues(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		th, err := subscription.Create[Thing](ctx, s, "Thing red", "c")
		require.NoError(t, err)
		th.Root.Mids = []MidBlock{{Title: "m0", Leaf: LeafBlock{Name: ptr("old")}}}
		require.NoError(t, s.Save(ctx, th))
		leaf := th.Root.Mids[0].Leaf.SubscriptionInstanceID.String()
		for _, q := range []string{
			"INSERT INTO resource_types (resource_type, description) VALUES ('peer_name', 'a field the model renamed')",
			"INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value) SELECT '" + leaf + "', resource_type_id, 'peer-1' FROM resource_types WHERE resource_type = 'peer_name'",
			"INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value) SELECT '" + leaf + "', resource_type_id, 'peer-2' FROM resource_types WHERE resource_type = 'peer_name'",
		} {
			_, err := db.Exec(q)
			require.NoError(t, err, q)
		}
		undeclared := `SELECT v.value FROM subscription_instance_values v JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
WHERE rt.resource_type = 'peer_name' ORDER BY 1`

		loaded, err := subscription.Load[Thing](ctx, s, th.SubscriptionID)
		require.NoError(t, err)
		require.NoError(t, s.Save(ctx, loaded))
		require.Equal(t, []string{"peer-1", "peer-2"}, rows(t, db, undeclared), "an unchanged round trip keeps them")

		loaded.Root.Mids[0].Leaf.Name = ptr("new")
		loaded.Root.Mids[0].Leaf.Words = []string{"w"}
		require.NoError(t, s.Save(ctx, loaded))
		require.Equal(t, []string{"peer-1", "peer-2"}, rows(t, db, undeclared), "changing declared values keeps them")
		require.Equal(t, []string{"new"}, rows(t, db, `SELECT v.value FROM subscription_instance_values v
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id WHERE rt.resource_type = 'leaf_name'`))

		loaded.Root.Mids = nil
		require.NoError(t, s.Save(ctx, loaded))
		require.Empty(t, rows(t, db, undeclared), "values of an instance the model drops go with the instance")
	})
}

// Texts longer than the reference's columns hold (since 4.8) are refused before anything is written, on both
// databases, with what is too long and the limit; texts of exactly the limit are stored. A note of white space
// is stored as NULL.
func TestSaveRefusesTooLongTexts(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		th, err := subscription.Create[Thing](ctx, s, "Thing blue", "c")
		require.NoError(t, err)
		id := th.SubscriptionID.String()
		refuse := func(want string) {
			t.Helper()
			err := s.Save(ctx, th)
			require.ErrorIs(t, err, subscription.ErrTooLong)
			require.EqualError(t, err, "subscription: cannot save "+id+": "+want)
			_, err = s.Load(ctx, th.SubscriptionID)
			require.ErrorIs(t, err, subscription.ErrNotFound, "a refused save writes nothing")
		}
		th.Description = strings.Repeat("é", subscription.MaxDescription+1)
		refuse("the description has 2001 characters; subscriptions.description holds at most 2000: text too long for its column")
		th.Description = strings.Repeat("é", subscription.MaxDescription)
		th.Note = strings.Repeat("n", subscription.MaxNote+1)
		refuse("the note has 5001 characters; subscriptions.note holds at most 5000: text too long for its column")
		th.Note = "  \t "
		name := strings.Repeat("v", subscription.MaxValue+1)
		th.Spare = &LeafBlock{Name: &name}
		refuse("the value of leaf_name in block TestLeaf has 10001 characters; subscription_instance_values.value holds at most 10000: text too long for its column")
		name = name[1:]
		require.NoError(t, s.Save(ctx, th))
		require.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM subscriptions WHERE subscription_id = ? AND note IS NULL", id))
		loaded, err := subscription.Load[Thing](ctx, s, th.SubscriptionID)
		require.NoError(t, err)
		require.Equal(t, th.Description, loaded.Description)
		require.Equal(t, name, *loaded.Spare.Name)

		long := strings.Repeat("x", subscription.MaxNote+1)
		err = s.SetNote(ctx, th.SubscriptionID, &long)
		require.ErrorIs(t, err, subscription.ErrTooLong)
		blank := " "
		require.NoError(t, s.SetNote(ctx, th.SubscriptionID, &blank))
		note, err := s.Note(ctx, th.SubscriptionID)
		require.NoError(t, err)
		require.Nil(t, note)
	})
}

// TestListPages reads the list in pages: a limit alone, an offset alone (LIMIT ALL / LIMIT -1 by dialect) and both,
// always newest first and with the full count.
func TestListPages(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		_, s := setup(t, target.URI)
		g := &gen{r: rand.New(rand.NewPCG(3, 4))}
		for range 5 {
			provider(ctx, t, s, g, 1)
		}
		all, total, err := s.List(ctx, subscription.ListFilter{})
		require.NoError(t, err)
		require.Equal(t, 5, total)
		require.Len(t, all, 5)
		ids := func(ls []*subscription.Listing) []uuid.UUID {
			out := make([]uuid.UUID, len(ls))
			for i, l := range ls {
				out[i] = l.SubscriptionID
			}
			return out
		}
		for _, c := range []struct{ offset, limit, from, to int }{{0, 2, 0, 2}, {3, 0, 3, 5}, {1, 3, 1, 4}, {4, 10, 4, 5}, {7, 0, 5, 5}} {
			page, n, err := s.List(ctx, subscription.ListFilter{Offset: c.offset, Limit: c.limit})
			require.NoError(t, err)
			require.Equal(t, 5, n, "the count ignores the page")
			require.Equal(t, ids(all[c.from:c.to]), ids(page), "offset %d limit %d", c.offset, c.limit)
		}
	})
}
