package subscription_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/subscription"
)

// The test model has every kind of field: each value kind, value and pointer fields, lists of values, nested,
// optional and listed blocks, a root field of a block type that is also nested, and links to instances of
// another subscription (Provider's leaves).

type Color string

func (Color) Values() []Color { return []Color{"red", "green", "blue"} }

type Weight int

func (Weight) Bounds() (lo, hi int64) { return -5, 100 }

type LeafBlock struct {
	domain.Block `wfo:"TestLeaf"`
	Name         *string       `wfo:"leaf_name"`
	Count        *int64        `wfo:"count"`
	Flag         *bool         `wfo:"flag"`
	ExternalID   *uuid.UUID    `wfo:"external_id"`
	Addr         *netip.Addr   `wfo:"addr"`
	Net          *netip.Prefix `wfo:"net"`
	When         *time.Time    `wfo:"when"`
	Color        *Color        `wfo:"color"`
	Weight       *Weight       `wfo:"weight"`
	Words        []string      `wfo:"words"`
	Numbers      []int         `wfo:"numbers"`
	Size         int           `wfo:"size"`
	Enabled      bool          `wfo:"enabled"`
}

type MidBlock struct {
	domain.Block `wfo:"TestMid"`
	Title        string      `wfo:"title"`
	Leaf         LeafBlock   `wfo:"leaf"`
	Extra        *LeafBlock  `wfo:"extra"`
	Leaves       []LeafBlock `wfo:"leaves,max=6"`
	Shared       *LeafBlock  `wfo:"shared"`
}

type RootBlock struct {
	domain.Block `wfo:"TestRoot"`
	Mid          *MidBlock   `wfo:"mid"`
	Mids         []MidBlock  `wfo:"mids"`
	Remote       []LeafBlock `wfo:"remote"`
}

type Thing struct {
	domain.Subscription
	Color Color      `wfo:"color"`
	Root  RootBlock  `wfo:"root"`
	Spare *LeafBlock `wfo:"spare"`
}

type ProviderBlock struct {
	domain.Block `wfo:"TestProvider"`
	Leaves       []LeafBlock `wfo:"leaves"`
}

type Provider struct {
	domain.Subscription
	Provider ProviderBlock `wfo:"provider"`
}

// Gadget has fields required from later lifecycles.
type GadgetBlock struct {
	domain.Block `wfo:"TestGadget"`
	Serial       *string    `wfo:"serial,required=active"`
	Part         *LeafBlock `wfo:"part,required=provisioning"`
	Spares       []MidBlock `wfo:"spares,min=1"`
}

type Gadget struct {
	domain.Subscription
	Gadget GadgetBlock `wfo:"gadget"`
}

var registry = domain.MustNewRegistry(
	domain.Product[Thing]("Thing red", "Thing blue"),
	domain.Product[Provider]("Provider"),
	domain.Product[Gadget]("Gadget"),
)

var fixedInputs = map[string]map[string]string{"Thing red": {"color": "red"}, "Thing blue": {"color": "blue"}}

func setup(t testing.TB, uri string, opts ...subscription.Option) (*database.DB, *subscription.Store) {
	t.Helper()
	db := coretest.Open(t, uri)
	coretest.Catalogue(t, db, registry, fixedInputs)
	return db, subscription.New(db, registry, opts...)
}

func ptr[T any](v T) *T { return &v }

// rebind turns ? into $n for PostgreSQL.
func rebind(db *database.DB, q string) string {
	if db.Dialect != database.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rows returns a query's rows, each as its columns' text joined by " | " (NULL as "NULL").
func rows(t testing.TB, db *database.DB, query string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(rebind(db, query), args...)
	require.NoError(t, err)
	defer rs.Close()
	cols, err := rs.Columns()
	require.NoError(t, err)
	var out []string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rs.Scan(ptrs...))
		var parts []string
		for _, v := range vals {
			if !v.Valid {
				parts = append(parts, "NULL")
			} else {
				parts = append(parts, v.String)
			}
		}
		out = append(out, strings.Join(parts, " | "))
	}
	require.NoError(t, rs.Err())
	return out
}

func count(t testing.TB, db *database.DB, query string, args ...any) int {
	t.Helper()
	n, err := strconv.Atoi(rows(t, db, query, args...)[0])
	require.NoError(t, err)
	return n
}

// gen makes random subscriptions of the test model.
type gen struct {
	r       *rand.Rand
	foreign []LeafBlock // instances of another subscription that trees may link to
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) text() string {
	pieces := []string{"", "a", "Zürich", "o'neil", `"quoted"`, "tab\there", "10", "9", " ", "ü", "日本", "%", "_"}
	var b strings.Builder
	for range g.r.IntN(4) {
		b.WriteString(pieces[g.r.IntN(len(pieces))])
	}
	return b.String()
}

func maybe[T any](g *gen, f func() T) *T {
	if g.chance(0.3) {
		return nil
	}
	v := f()
	return &v
}

// sortedByText sorts a list as loading returns it: by the stored strings.
func sortedByText[T any](list []T, text func(T) string) []T {
	slices.SortStableFunc(list, func(a, b T) int { return strings.Compare(text(a), text(b)) })
	return list
}

func (g *gen) leaf() LeafBlock {
	l := LeafBlock{
		Name:       maybe(g, g.text),
		Count:      maybe(g, func() int64 { return int64(g.r.Uint64()) }),
		Flag:       maybe(g, func() bool { return g.chance(0.5) }),
		ExternalID: maybe(g, uuid.New),
		Addr: maybe(g, func() netip.Addr {
			if g.chance(0.5) {
				return netip.AddrFrom4([4]byte{byte(g.r.IntN(256)), byte(g.r.IntN(256)), 0, byte(g.r.IntN(256))})
			}
			var a [16]byte
			for i := range a {
				if g.chance(0.5) {
					a[i] = byte(g.r.IntN(256))
				}
			}
			return netip.AddrFrom16(a)
		}),
		Net: maybe(g, func() netip.Prefix {
			return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(g.r.IntN(256)), byte(g.r.IntN(256)), 1}), g.r.IntN(33))
		}),
		When: maybe(g, func() time.Time {
			micro := int64(0)
			if g.chance(0.5) {
				micro = g.r.Int64N(1_000_000)
			}
			return time.Unix(g.r.Int64N(4_000_000_000), micro*1000).UTC()
		}),
		Color:   maybe(g, func() Color { return Color("").Values()[g.r.IntN(3)] }),
		Weight:  maybe(g, func() Weight { return Weight(g.r.IntN(106) - 5) }),
		Size:    g.r.IntN(2000) - 1000,
		Enabled: g.chance(0.5),
	}
	for range g.r.IntN(4) {
		l.Words = append(l.Words, g.text())
	}
	for range g.r.IntN(4) {
		l.Numbers = append(l.Numbers, g.r.IntN(200)-100)
	}
	sortedByText(l.Words, func(s string) string { return s })
	sortedByText(l.Numbers, strconv.Itoa)
	if g.chance(0.3) {
		l.Label = g.text()
	}
	return l
}

// anyLeaf is a new leaf or, sometimes, one of another subscription.
func (g *gen) anyLeaf() LeafBlock {
	if len(g.foreign) > 0 && g.chance(0.4) {
		return g.foreign[g.r.IntN(len(g.foreign))]
	}
	return g.leaf()
}

func (g *gen) mid() MidBlock {
	m := MidBlock{Title: g.text(), Leaf: g.leaf()}
	if g.chance(0.5) {
		m.Extra = ptr(g.leaf())
	}
	for range g.r.IntN(4) {
		m.Leaves = append(m.Leaves, g.leaf())
	}
	if g.chance(0.5) {
		m.Shared = ptr(g.anyLeaf())
	}
	return m
}

func (g *gen) thing(ctx context.Context, t testing.TB, s *subscription.Store) *Thing {
	product := []string{"Thing red", "Thing blue"}[g.r.IntN(2)]
	th, err := subscription.Create[Thing](ctx, s, product, g.text())
	require.NoError(t, err)
	th.Status = domain.Lifecycles[g.r.IntN(len(domain.Lifecycles))]
	th.Insync = g.chance(0.5)
	th.Note = g.text()
	th.Description = g.text()
	if g.chance(0.5) {
		th.StartDate = ptr(time.Unix(g.r.Int64N(4_000_000_000), g.r.Int64N(1_000_000)*1000).UTC())
	}
	if g.chance(0.3) {
		th.EndDate = ptr(time.Unix(g.r.Int64N(4_000_000_000), 0).UTC())
	}
	if g.chance(0.6) {
		th.Root.Mid = ptr(g.mid())
	}
	for range g.r.IntN(4) {
		th.Root.Mids = append(th.Root.Mids, g.mid())
	}
	for range g.r.IntN(3) {
		th.Root.Remote = append(th.Root.Remote, g.anyLeaf())
	}
	if g.chance(0.5) {
		th.Spare = ptr(g.leaf())
	}
	return th
}

// mutate changes a saved thing: drops, replaces and adds subtrees and changes values, keeping some instances.
func (g *gen) mutate(th *Thing) {
	var mids []MidBlock
	for _, m := range th.Root.Mids {
		if g.chance(0.6) {
			if g.chance(0.5) {
				m.Extra = nil
			}
			m.Title = g.text()
			fresh := g.leaf()
			fresh.Block = m.Leaf.Block // same instance, new values
			m.Leaf = fresh
			if len(m.Leaves) > 0 && g.chance(0.5) {
				m.Leaves = m.Leaves[1:]
				if len(m.Leaves) == 0 {
					m.Leaves = nil
				}
			}
			mids = append(mids, m)
		}
	}
	if g.chance(0.5) {
		mids = append(mids, g.mid())
	}
	g.r.Shuffle(len(mids), func(i, j int) { mids[i], mids[j] = mids[j], mids[i] })
	if len(mids) == 0 {
		mids = nil
	}
	th.Root.Mids = mids
	if th.Root.Mid != nil && g.chance(0.5) {
		th.Root.Mid = nil
	}
	if g.chance(0.5) {
		th.Spare = nil
	} else if th.Spare == nil {
		th.Spare = ptr(g.leaf())
	}
	if len(th.Root.Remote) > 0 {
		th.Root.Remote = th.Root.Remote[:g.r.IntN(len(th.Root.Remote))]
	}
	if len(th.Root.Remote) == 0 {
		th.Root.Remote = nil // an empty list loads as nil
	}
	th.Insync = !th.Insync
}

// ownInstances counts the instances a model holds that its subscription owns.
func ownInstances(t testing.TB, m domain.Model) int {
	p, ok := registry.ProductTypeOf(m)
	require.True(t, ok)
	tree, err := p.Flatten(m)
	require.NoError(t, err)
	n := 0
	for _, inst := range tree.Instances {
		if inst.Owner == m.SubscriptionBase().SubscriptionID {
			n++
		}
	}
	return n
}

func describe(seed uint64) string { return fmt.Sprintf("seed %d", seed) }
