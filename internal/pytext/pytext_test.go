package pytext

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The forms are Python's: str(datetime), datetime.isoformat() cut to seconds, str(ipaddress.ip_address(...)).
func TestTime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t        time.Time
		str, iso string
	}{
		{time.Date(2025, 2, 1, 10, 0, 5, 0, time.UTC), "2025-02-01 10:00:05+00:00", "2025-02-01T10:00:05+00:00"},
		{time.Date(2025, 2, 1, 12, 0, 5, 120000999, time.FixedZone("CET", 2*3600)), "2025-02-01 12:00:05.120000+02:00", "2025-02-01T12:00:05+02:00"},
		{time.Date(2025, 2, 1, 4, 30, 5, 999, time.FixedZone("", -(5*3600+30*60))), "2025-02-01 04:30:05-05:30", "2025-02-01T04:30:05-05:30"},
		{time.Date(1900, 1, 1, 0, 0, 0, 1000, time.FixedZone("LMT", 1172)), "1900-01-01 00:00:00.000001+00:19:32", "1900-01-01T00:00:00+00:19:32"},
	} {
		require.Equal(t, tc.str, Time(tc.t))
		require.Equal(t, tc.iso, ISOSeconds(tc.t))
		back, ok := ParseTime(tc.str)
		require.True(t, ok, tc.str)
		require.True(t, back.Equal(tc.t.Truncate(time.Microsecond)), tc.str)
		require.Equal(t, tc.str, Time(back), "the offset is kept")
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("", 2*3600)
	for s, want := range map[string]time.Time{
		"2026-01-02 03:04:05+00:00":         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"2026-01-02T03:04:05.5Z":            time.Date(2026, 1, 2, 3, 4, 5, 500000000, time.UTC),
		"2026-01-02 05:04:05+02:00":         time.Date(2026, 1, 2, 5, 4, 5, 0, plus2),
		"2026-01-02 05:04:05.123+02":        time.Date(2026, 1, 2, 5, 4, 5, 123000000, plus2),
		"2026-01-02 03:04:05.123456":        time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC),
		"2026-01-02 03:04:05.123456789+00":  time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC),
		"2026-01-02 03:23:37+00:19:32":      time.Date(2026, 1, 2, 3, 23, 37, 0, time.FixedZone("", 1172)),
		"2026-01-02 03:04:05.000001-05:30":  time.Date(2026, 1, 2, 3, 4, 5, 1000, time.FixedZone("", -19800)),
		"2026-01-02T03:04:05.000001+00:00":  time.Date(2026, 1, 2, 3, 4, 5, 1000, time.UTC),
		"2026-01-02 03:04:05.000001 +00:00": {},
	} {
		got, ok := ParseTime(s)
		if want.IsZero() {
			require.False(t, ok, s)
			continue
		}
		require.True(t, ok, s)
		require.Equal(t, want, got, s)
	}
}

func TestAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"10.0.0.1":              "10.0.0.1",
		"2001:db8::1":           "2001:db8::1",
		"::ffff:10.0.0.1":       "::ffff:a00:1",
		"::ffff:0.0.0.0":        "::ffff:0:0",
		"::ffff:192.0.2.128":    "::ffff:c000:280",
		"::ffff:1.2.3.4%eth0":   "::ffff:102:304%eth0",
		"0:0:0:0:0:ffff:0a00:1": "::ffff:a00:1",
		"fe80::1%eth0":          "fe80::1%eth0",
		"::":                    "::",
	} {
		a := netip.MustParseAddr(in)
		require.Equal(t, want, Addr(a), in)
		back := netip.MustParseAddr(Addr(a))
		require.Equal(t, a, back, in)
	}
	for in, want := range map[string]string{
		"10.0.0.0/8":          "10.0.0.0/8",
		"::ffff:10.0.0.0/104": "::ffff:a00:0/104",
		"::ffff:10.1.2.3/120": "::ffff:a01:203/120",
		"2001:db8::/32":       "2001:db8::/32",
	} {
		require.Equal(t, want, Prefix(netip.MustParsePrefix(in)), in)
	}
}
