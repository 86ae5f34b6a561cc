package database_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
)

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, postgres string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c IN (?, ?)", "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"},
		{"SELECT '?' || ? FROM \"odd?\" -- why?\nWHERE x = ?", "SELECT '?' || $1 FROM \"odd?\" -- why?\nWHERE x = $2"},
		{"SELECT 'it''s?' , ?", "SELECT 'it''s?' , $1"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
		{"SELECT ? -- trailing?", "SELECT $1 -- trailing?"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.postgres, database.Postgres.Rebind(tt.in), tt.in)
		require.Equal(t, tt.in, database.SQLite.Rebind(tt.in), tt.in)
	}
}

func TestUpsertSQL(t *testing.T) {
	t.Parallel()
	u := database.Upsert{Table: "t", Columns: []string{"a", "b"}, Key: []string{"a"}, Update: []string{"b"}, Set: []string{"deleted_at = NULL"}, Rows: 2}
	require.Equal(t, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT (a) DO UPDATE SET deleted_at = NULL, b = excluded.b", u.SQL(database.Postgres))
	require.Equal(t, "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING", database.Upsert{Table: "t", Columns: []string{"a", "b"}}.SQL(database.SQLite))
	require.Equal(t, "?, ?, ?", database.Placeholders(3, 0))
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	for _, s := range []string{
		"2026-03-01 12:00:00.123456+00:00", // the SQLite form, Python's str()
		"2026-03-01T12:00:00.123456Z",      // RFC 3339
		"2026-03-01 14:00:00.123456+02",    // PostgreSQL's text output
		"2026-03-01 12:00:00.123456",       // no offset: UTC (SQLAlchemy on SQLite)
	} {
		got, err := database.ParseTime(s)
		require.NoError(t, err, s)
		require.True(t, want.Equal(got), s)
	}
	got, err := database.ParseTime("2026-03-01 12:00:00.123+00:00") // milliseconds, the core schema's SQLite defaults
	require.NoError(t, err)
	require.True(t, want.Truncate(time.Millisecond).Equal(got))
	_, err = database.ParseTime("yesterday")
	require.ErrorContains(t, err, `"yesterday" is not a timestamp`)
}

// FuzzRebind holds Rebind against the plainest reading of its rule, one character at a time: outside quotes and
// comments each ? becomes the next $n; everything else is copied.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "SELECT '?' || ? FROM \"odd?\" -- why?\nWHERE x = ?", "'it''s?' , ?", "'unterminated ?", "? -- trailing?", "-?-- ?\n?", `"?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		want := plainRebind(q)
		if got := database.Postgres.Rebind(q); got != want {
			t.Fatalf("Rebind(%q) = %q, want %q", q, got, want)
		}
		if got := database.SQLite.Rebind(q); got != q {
			t.Fatalf("SQLite Rebind(%q) = %q", q, got)
		}
	})
}

func plainRebind(q string) string {
	out, n := "", 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\'' || c == '"':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				return out + q[i:]
			}
			out += q[i : i+end+2]
			i += end + 1
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i - 1
			}
			out += q[i : i+end+1]
			i += end
		case c == '?':
			n++
			out += "$" + strconv.Itoa(n)
		default:
			out += q[i : i+1]
		}
	}
	return out
}
