package subscription_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
)

// TestValueEncodingShared writes the values a database shared with the reference must hold in the reference's
// forms (Python's str() of the value): a datetime keeps its non-UTC offset, an IPv4-mapped IPv6 address is in
// hexadecimal groups; each loads back as it was saved, offset included, on both databases.
func TestValueEncodingShared(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		when     time.Time
		addr     netip.Addr
		net      netip.Prefix
		wantWhen string
		wantAddr string
		wantNet  string
	}{
		{"utc", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), netip.MustParseAddr("10.0.0.1"), netip.MustParsePrefix("10.0.0.0/8"),
			"2026-01-02 03:04:05+00:00", "10.0.0.1", "10.0.0.0/8"},
		{"offset", time.Date(2026, 1, 2, 5, 4, 5, 120000000, time.FixedZone("", 2*3600)), netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParsePrefix("::ffff:10.0.0.0/104"),
			"2026-01-02 05:04:05.120000+02:00", "::ffff:a00:1", "::ffff:a00:0/104"},
		{"negative offset", time.Date(2026, 1, 1, 21, 34, 5, 0, time.FixedZone("", -(5*3600+30*60))), netip.MustParseAddr("::ffff:192.0.2.128"), netip.MustParsePrefix("2001:db8::/32"),
			"2026-01-01 21:34:05-05:30", "::ffff:c000:280", "2001:db8::/32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
				t.Parallel()
				ctx := context.Background()
				db, s := setup(t, target.URI)
				th, err := subscription.Create[Thing](ctx, s, "Thing red", "customer-1")
				require.NoError(t, err)
				th.Root.Mids = []MidBlock{{Title: "m", Leaf: LeafBlock{When: &tc.when, Addr: &tc.addr, Net: &tc.net}}}
				require.NoError(t, s.Save(ctx, th))
				values := rows(t, db, `SELECT rt.resource_type, v.value FROM subscription_instance_values v
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
WHERE rt.resource_type IN ('when', 'addr', 'net') ORDER BY 1`)
				require.Equal(t, []string{"addr | " + tc.wantAddr, "net | " + tc.wantNet, "when | " + tc.wantWhen}, values)
				loaded, err := subscription.Load[Thing](ctx, s, th.SubscriptionID)
				require.NoError(t, err)
				leaf := loaded.Root.Mids[0].Leaf
				require.True(t, leaf.When.Equal(tc.when))
				_, wantOff := tc.when.Zone()
				_, gotOff := leaf.When.Zone()
				require.Equal(t, wantOff, gotOff, "the offset comes back")
				require.Equal(t, tc.addr, *leaf.Addr)
				require.Equal(t, tc.net, *leaf.Net)
			})
		})
	}
}
