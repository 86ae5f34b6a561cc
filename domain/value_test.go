package domain_test

import (
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

// valueTypeOf describes a field's value type through a one-field block.
func valueTypeOf[T any](t testing.TB) *domain.ValueType {
	t.Helper()
	type block struct {
		domain.Block `wfo:"B"`
		V            *T `wfo:"v"`
	}
	type product struct {
		domain.Subscription
		B block `wfo:"b"`
	}
	reg, err := domain.NewRegistry(domain.Product[product]("P"))
	require.NoError(t, err)
	b, _ := reg.Block("B")
	return b.Field("v").Value
}

type Speed int

func (Speed) Values() []Speed { return []Speed{1000, 10000} }

type Small uint8

func (Small) Bounds() (lo, hi int64) { return 1, 9 }

// TestEncoding writes every kind as orchestrator-core's str() does and reads it back.
func TestEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		vt    *domain.ValueType
		value any
		text  string
	}{
		{"string", valueTypeOf[string](t), "xe-0/0/1 ünïcode", "xe-0/0/1 ünïcode"},
		{"empty string", valueTypeOf[string](t), "", ""},
		{"int", valueTypeOf[int](t), -42, "-42"},
		{"int64", valueTypeOf[int64](t), int64(9007199254740993), "9007199254740993"},
		{"uint16", valueTypeOf[uint16](t), uint16(65535), "65535"},
		{"true", valueTypeOf[bool](t), true, "True"},
		{"false", valueTypeOf[bool](t), false, "False"},
		{"uuid", valueTypeOf[uuid.UUID](t), uuid.MustParse("A3BB189E-8BF9-3888-9912-ACE4E6543002"), "a3bb189e-8bf9-3888-9912-ace4e6543002"},
		{"ipv4", valueTypeOf[netip.Addr](t), netip.MustParseAddr("192.0.2.1"), "192.0.2.1"},
		{"ipv6", valueTypeOf[netip.Addr](t), netip.MustParseAddr("2001:DB8:0:0:1:0:0:1"), "2001:db8::1:0:0:1"},
		{"ipv6 single zero group", valueTypeOf[netip.Addr](t), netip.MustParseAddr("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1"},
		{"network", valueTypeOf[netip.Prefix](t), netip.MustParsePrefix("10.0.0.0/8"), "10.0.0.0/8"},
		{"interface", valueTypeOf[netip.Prefix](t), netip.MustParsePrefix("10.1.2.3/24"), "10.1.2.3/24"},
		{"datetime", valueTypeOf[time.Time](t), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "2026-01-02 03:04:05+00:00"},
		{"datetime micro", valueTypeOf[time.Time](t), time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.UTC), "2026-01-02 03:04:05.120000+00:00"},
		// The reference stores str() of the datetime it was given: a non-UTC offset stays (#12 item 14).
		{"datetime offset", valueTypeOf[time.Time](t), time.Date(2026, 1, 2, 5, 4, 5, 0, time.FixedZone("", 2*3600)), "2026-01-02 05:04:05+02:00"},
		{"datetime negative offset", valueTypeOf[time.Time](t), time.Date(2026, 1, 2, 3, 4, 5, 1000, time.FixedZone("", -(5*3600+30*60))), "2026-01-02 03:04:05.000001-05:30"},
		// Python's ipaddress writes an IPv4-mapped IPv6 address in hexadecimal groups.
		{"ipv4-mapped", valueTypeOf[netip.Addr](t), netip.MustParseAddr("::ffff:10.0.0.1"), "::ffff:a00:1"},
		{"ipv4-mapped network", valueTypeOf[netip.Prefix](t), netip.MustParsePrefix("::ffff:10.0.0.0/104"), "::ffff:a00:0/104"},
		{"int enum", valueTypeOf[Speed](t), Speed(10000), "10000"},
		{"str enum", valueTypeOf[Affiliation](t), External, "external"},
		{"constrained", valueTypeOf[Small](t), Small(9), "9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.text, tt.vt.Encode(reflect.ValueOf(tt.value)))
			back, err := tt.vt.Decode(tt.text)
			require.NoError(t, err)
			require.Equal(t, tt.value, back.Interface())
		})
	}
}

// TestDecodeReference reads forms the reference or PostgreSQL may have written that wfo does not write itself,
// and refuses what is not a value of the type.
func TestDecodeReference(t *testing.T) {
	t.Parallel()
	tm := valueTypeOf[time.Time](t)
	for text, want := range map[string]time.Time{
		"2026-01-02 03:04:05+00:00":        time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"2026-01-02T03:04:05.5+00:00":      time.Date(2026, 1, 2, 3, 4, 5, 500000000, time.UTC),
		"2026-01-02 05:04:05+02:00":        time.Date(2026, 1, 2, 5, 4, 5, 0, time.FixedZone("", 2*3600)), // the offset is kept
		"2026-01-02 03:04:05Z":             time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"2026-01-02 03:04:05.123456":       time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC),
		"2026-01-02 03:04:05.123456789+00": time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC),
	} {
		got, err := tm.Decode(text)
		require.NoError(t, err, text)
		require.Equal(t, want, got.Interface(), text)
	}
	b := valueTypeOf[bool](t)
	for text, want := range map[string]bool{"True": true, "False": false, "true": true, "0": false} {
		got, err := b.Decode(text)
		require.NoError(t, err)
		require.Equal(t, want, got.Bool())
	}

	bad := []struct {
		vt   *domain.ValueType
		text string
		err  string
	}{
		{valueTypeOf[bool](t), "yes", `"yes" is not a bool (True or False)`},
		{valueTypeOf[int8](t), "300", `"300" is not an integer of 8 bits`},
		{valueTypeOf[uint](t), "-1", `"-1" is not an unsigned integer of 64 bits`},
		{valueTypeOf[uuid.UUID](t), "nope", `"nope" is not a UUID`},
		{valueTypeOf[netip.Addr](t), "10.0.0.256", `"10.0.0.256" is not an IP address`},
		{valueTypeOf[netip.Prefix](t), "10.0.0.1", `"10.0.0.1" is not an IP prefix`},
		{tm, "yesterday", `"yesterday" is not a datetime (YYYY-MM-DD HH:MM:SS[.ffffff]+00:00)`},
		{valueTypeOf[Speed](t), "100", `"100" is not one of 1000, 10000`},
		{valueTypeOf[Affiliation](t), "Internal", `"Internal" is not one of internal, external`},
		{valueTypeOf[Small](t), "0", `0 is out of range [1, 9]`},
		{valueTypeOf[Age](t), "151", `151 is out of range [0, 150]`},
	}
	for _, tt := range bad {
		_, err := tt.vt.Decode(tt.text)
		require.EqualError(t, err, tt.err)
	}
}

// FuzzDecode checks that whatever a stored value decodes to encodes to a form that decodes to the same value:
// reading what another tool wrote and writing it back is stable.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"0", "-1", "True", "False", "10.0.0.1", "2001:db8::1", "10.0.0.0/8", "::/0",
		"2026-01-02 03:04:05+00:00", "2026-01-02 03:04:05.000001+00:00", "a3bb189e-8bf9-3888-9912-ace4e6543002",
		"{A3BB189E-8BF9-3888-9912-ACE4E6543002}", "1000", "internal", "fe80::1%eth0", "::ffff:10.0.0.1"} {
		f.Add(s)
	}
	t := f
	types := []*domain.ValueType{
		valueTypeOf[int](t), valueTypeOf[uint8](t), valueTypeOf[bool](t), valueTypeOf[uuid.UUID](t),
		valueTypeOf[netip.Addr](t), valueTypeOf[netip.Prefix](t), valueTypeOf[time.Time](t),
		valueTypeOf[Speed](t), valueTypeOf[Affiliation](t), valueTypeOf[Small](t), valueTypeOf[string](t),
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, vt := range types {
			v, err := vt.Decode(s)
			if err != nil {
				continue
			}
			text := vt.Encode(v)
			again, err := vt.Decode(text)
			if err != nil {
				t.Fatalf("%s: %q decodes, its encoding %q does not: %v", vt.Type, s, text, err)
			}
			if !reflect.DeepEqual(v.Interface(), again.Interface()) || vt.Encode(again) != text {
				t.Fatalf("%s: %q -> %v -> %q -> %v", vt.Type, s, v, text, again)
			}
		}
	})
}
