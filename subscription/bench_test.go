package subscription_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
)

// sized returns a new Thing with n own instances (n even, at least 2): the root, a spare leaf, and mids each
// holding a leaf, every leaf with a few values.
func sized(ctx context.Context, t testing.TB, s *subscription.Store, n int) *Thing {
	t.Helper()
	th, err := subscription.Create[Thing](ctx, s, "Thing red", "bench")
	require.NoError(t, err)
	leaf := func(i int) LeafBlock {
		return LeafBlock{Name: ptr("leaf-" + strconv.Itoa(i)), Count: ptr(int64(i)), Words: []string{"a", "b"}, Size: i}
	}
	th.Spare = ptr(leaf(0))
	for i := range (n - 2) / 2 {
		th.Root.Mids = append(th.Root.Mids, MidBlock{Title: "mid-" + strconv.Itoa(i), Leaf: leaf(i)})
	}
	return th
}

// counter counts the statements a store sends.
type counter struct{ n atomic.Int64 }

func (c *counter) hook(string) { c.n.Add(1) }

// TestLoadQueryCount shows that loading takes the same two queries whatever the size of the tree (plus SET LOCAL
// jit = off on PostgreSQL), and saving an unchanged subscription five statements.
func TestLoadQueryCount(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		var c counter
		_, s := setup(t, target.URI, subscription.WithQueryHook(c.hook))
		for _, n := range []int{2, 10, 100, 1000} {
			th := sized(ctx, t, s, n)
			require.NoError(t, s.Save(ctx, th))
			require.Equal(t, n, ownInstances(t, th))
			c.n.Store(0)
			loaded, err := subscription.Load[Thing](ctx, s, th.SubscriptionID)
			require.NoError(t, err)
			require.Equal(t, th, loaded)
			queries := 2
			if target.Name == dbtest.Postgres {
				queries++ // SET LOCAL jit = off
			}
			require.EqualValues(t, queries, c.n.Load(), "queries to load %d instances", n)

			c.n.Store(0)
			require.NoError(t, s.Save(ctx, th))
			require.EqualValues(t, 5, c.n.Load(), "statements to save %d unchanged instances", n)
		}
	})
}

// BenchmarkSaveLoad saves and loads subscriptions of 10, 100 and 1,000 block instances on each database:
// save-new stores a new subscription, save-changed stores one whose every leaf changed a value, load reads one.
//
//	scripts/with-postgres go test -bench . -run '^$' ./subscription/
func BenchmarkSaveLoad(b *testing.B) {
	ctx := context.Background()
	for _, target := range dbtest.Targets(b) {
		b.Run(target.Name, func(b *testing.B) {
			var c counter
			_, s := setup(b, target.URI, subscription.WithQueryHook(c.hook))
			for _, n := range []int{10, 100, 1000} {
				b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
					b.Run("save-new", func(b *testing.B) {
						things := make([]*Thing, b.N)
						for i := range things {
							things[i] = sized(ctx, b, s, n)
						}
						c.n.Store(0)
						b.ResetTimer()
						for i := range b.N {
							if err := s.Save(ctx, things[i]); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(c.n.Load())/float64(b.N), "queries/op")
					})
					th := sized(ctx, b, s, n)
					require.NoError(b, s.Save(ctx, th))
					b.Run("save-changed", func(b *testing.B) {
						c.n.Store(0)
						b.ResetTimer()
						for i := range b.N {
							for j := range th.Root.Mids {
								*th.Root.Mids[j].Leaf.Count = int64(i)
							}
							if err := s.Save(ctx, th); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(c.n.Load())/float64(b.N), "queries/op")
					})
					b.Run("load", func(b *testing.B) {
						c.n.Store(0)
						b.ResetTimer()
						for range b.N {
							if _, err := s.Load(ctx, th.SubscriptionID); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(c.n.Load())/float64(b.N), "queries/op")
					})
				})
			}
		})
	}
}
