package database_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
)

// The conformance suite: every behaviour of the dialect seam, run on SQLite and on PostgreSQL.

// open connects to the target, closing the database when the test ends.
func open(t *testing.T, target dbtest.Target) *database.DB {
	t.Helper()
	loc, err := database.ParseURI(target.URI)
	require.NoError(t, err)
	db, err := database.Open(context.Background(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *database.DB, query string, args ...any) {
	t.Helper()
	_, err := db.ExecContext(context.Background(), db.Dialect.Rebind(query), args...)
	require.NoError(t, err, query)
}

func TestConformanceTimestamps(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, target)
		d := db.Dialect
		exec(t, db, "CREATE TABLE ts (id INTEGER PRIMARY KEY, at "+d.TimestampType()+")")

		times := []time.Time{
			time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
			time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC), // nanoseconds are truncated to microseconds
			time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.FixedZone("CET", 3600)),
			time.Date(2026, 3, 1, 11, 59, 59, 500000000, time.FixedZone("X", -7200)),
		}
		for i, tm := range times {
			exec(t, db, "INSERT INTO ts (id, at) VALUES (?, ?)", i, d.Time(tm))
		}
		exec(t, db, "INSERT INTO ts (id, at) VALUES (?, ?)", len(times), d.NullTime(time.Time{}))

		var got []time.Time
		rows, err := db.QueryContext(ctx, "SELECT at FROM ts WHERE at IS NOT NULL ORDER BY at")
		require.NoError(t, err)
		for rows.Next() {
			var tm time.Time
			require.NoError(t, rows.Scan(database.ScanTime{T: &tm}))
			got = append(got, tm)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		want := []time.Time{times[2], times[0], times[1], times[3]} // the database's order is time order
		require.Len(t, got, len(want))
		for i := range want {
			require.True(t, want[i].Truncate(time.Microsecond).Equal(got[i]), "row %d: want %v, got %v", i, want[i], got[i])
			require.Equal(t, time.UTC, got[i].Location())
		}

		null := time.Now()
		require.NoError(t, db.QueryRowContext(ctx, d.Rebind("SELECT at FROM ts WHERE id = ?"), len(times)).Scan(database.ScanTime{T: &null}))
		require.True(t, null.IsZero())

		// The database clock, compared in SQL with a bound time and read back.
		before := time.Now().Add(-time.Second)
		exec(t, db, "INSERT INTO ts (id, at) VALUES (100, "+d.Now()+")")
		var now time.Time
		var later bool
		require.NoError(t, db.QueryRowContext(ctx, d.Rebind("SELECT at, at > ? FROM ts WHERE id = 100"), d.Time(before)).Scan(database.ScanTime{T: &now}, &later))
		require.True(t, later)
		require.WithinDuration(t, time.Now(), now, 5*time.Second)

		// A deadline on the database clock: ahead of Now by the milliseconds given, in the same form.
		exec(t, db, "INSERT INTO ts (id, at) VALUES (101, "+d.NowPlus("?")+")", 90_000)
		exec(t, db, "INSERT INTO ts (id, at) VALUES (102, "+d.NowPlus("?")+")", -90_000)
		var ahead, behind time.Time
		var aheadLater, behindEarlier bool
		require.NoError(t, db.QueryRowContext(ctx, "SELECT at, at > "+d.Now()+" FROM ts WHERE id = 101").Scan(database.ScanTime{T: &ahead}, &aheadLater))
		require.NoError(t, db.QueryRowContext(ctx, "SELECT at, at < "+d.Now()+" FROM ts WHERE id = 102").Scan(database.ScanTime{T: &behind}, &behindEarlier))
		require.True(t, aheadLater)
		require.True(t, behindEarlier)
		require.WithinDuration(t, now.Add(90*time.Second), ahead, 5*time.Second)
		require.WithinDuration(t, now.Add(-90*time.Second), behind, 5*time.Second)

		if d == database.SQLite {
			// One text form, Python's str() of a UTC datetime, written by Now and by Time alike.
			var a, b, c string
			require.NoError(t, db.QueryRowContext(ctx, "SELECT at FROM ts WHERE id = 100").Scan(&a))
			require.NoError(t, db.QueryRowContext(ctx, "SELECT at FROM ts WHERE id = 0").Scan(&b))
			require.NoError(t, db.QueryRowContext(ctx, "SELECT at FROM ts WHERE id = 1").Scan(&c))
			require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3}000)?\+00:00$`, a)
			require.NotContains(t, a, ".000000+")
			var deadline string
			require.NoError(t, db.QueryRowContext(ctx, "SELECT at FROM ts WHERE id = 101").Scan(&deadline))
			require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3}000)?\+00:00$`, deadline)
			require.Equal(t, "2026-03-01 12:00:00+00:00", b)
			require.Equal(t, "2026-03-01 12:00:00.123456+00:00", c)
			require.Equal(t, b, database.FormatTime(times[0]))
		}
	})
}

func TestConformanceUpsert(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, target)
		d := db.Dialect
		exec(t, db, "CREATE TABLE kv (k VARCHAR(10) PRIMARY KEY, v VARCHAR(10), n INTEGER)")

		keep := database.Upsert{Table: "kv", Columns: []string{"k", "v", "n"}, Key: []string{"k"}, Rows: 2}
		_, err := db.ExecContext(ctx, keep.SQL(d), "a", "1", 1, "b", "1", 1)
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, keep.SQL(d), "a", "2", 2, "c", "2", 2) // a is kept
		require.NoError(t, err)
		anyKey := database.Upsert{Table: "kv", Columns: []string{"k", "v", "n"}}
		_, err = db.ExecContext(ctx, anyKey.SQL(d), "c", "3", 3)
		require.NoError(t, err)

		update := database.Upsert{Table: "kv", Columns: []string{"k", "v", "n"}, Key: []string{"k"}, Update: []string{"v"}, Set: []string{"n = 0"}}
		_, err = db.ExecContext(ctx, update.SQL(d), "b", "new", 9)
		require.NoError(t, err)

		got := map[string]string{}
		rows, err := db.QueryContext(ctx, "SELECT k, v, n FROM kv")
		require.NoError(t, err)
		for rows.Next() {
			var k, v string
			var n int
			require.NoError(t, rows.Scan(&k, &v, &n))
			got[k] = v + "/" + string(rune('0'+n))
		}
		require.NoError(t, rows.Err())
		require.Equal(t, map[string]string{"a": "1/1", "b": "new/0", "c": "2/2"}, got)
	})
}

func TestConformanceTablesAndTransactions(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, target)
		d := db.Dialect

		ok, err := d.TableExists(ctx, db, "things")
		require.NoError(t, err)
		require.False(t, ok)

		errFail := errors.New("fail")
		err = database.InTx(ctx, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY)")
			require.NoError(t, err)
			return errFail
		})
		require.ErrorIs(t, err, errFail)
		ok, err = d.TableExists(ctx, db, "things")
		require.NoError(t, err)
		require.False(t, ok, "a failed transaction is rolled back")

		require.NoError(t, database.InTx(ctx, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY)")
			return err
		}))
		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		defer conn.Close()
		ok, err = d.TableExists(ctx, conn, "things")
		require.NoError(t, err)
		require.True(t, ok)

		// Row locks: the clauses are accepted in a transaction on both; on PostgreSQL a second transaction skips
		// the row the first holds.
		exec(t, db, "INSERT INTO things (id) VALUES (1), (2)")
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer tx.Rollback()
		var id int
		require.NoError(t, tx.QueryRowContext(ctx, d.Rebind("SELECT id FROM things WHERE id = ?"+d.ForUpdate()), 1).Scan(&id))
		if d == database.Postgres {
			other, err := db.BeginTx(ctx, nil)
			require.NoError(t, err)
			defer other.Rollback()
			require.NoError(t, other.QueryRowContext(ctx, "SELECT id FROM things ORDER BY id LIMIT 1"+d.SkipLocked()).Scan(&id))
			require.Equal(t, 2, id)
		}
		require.NoError(t, tx.QueryRowContext(ctx, "SELECT id FROM things ORDER BY id LIMIT 1"+d.SkipLocked()).Scan(&id))
		require.Equal(t, 1, id, "a transaction's own locks do not hide rows from it")
		require.NoError(t, tx.Rollback())

		// An OFFSET without a limit.
		var ids []int
		rows, err := db.QueryContext(ctx, d.Rebind("SELECT id FROM things ORDER BY id "+d.NoLimit()+" OFFSET ?"), 1)
		require.NoError(t, err)
		for rows.Next() {
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		require.NoError(t, rows.Err())
		require.Equal(t, []int{2}, ids)
	})
}

func TestConformanceLocks(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db := open(t, target)

		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		defer conn.Close()
		unlock, err := db.Lock(ctx, conn, "conformance")
		require.NoError(t, err)
		unlock()
		unlock, err = db.Lock(ctx, conn, "conformance") // released, so taken again at once
		require.NoError(t, err)
		unlock()

		first, err := db.TryLock(ctx, "conformance")
		require.NoError(t, err)
		require.NotNil(t, first)
		require.NoError(t, first.Check(ctx))

		// A second holder: the same process stands in for another (a second connection, a second file handle).
		second, err := db.TryLock(ctx, "conformance")
		switch db.Dialect {
		case database.Postgres:
			require.NoError(t, err)
			require.Nil(t, second, "held elsewhere: stand by")
		case database.SQLite:
			var locked *database.LockedError
			require.ErrorAs(t, err, &locked)
			require.ErrorIs(t, err, database.ErrLocked)
			require.Equal(t, db.Path, locked.Path)
		}
		other, err := db.TryLock(ctx, "other")
		require.NoError(t, err)
		require.NotNil(t, other, "locks of other names are independent")
		other.Release()

		first.Release()
		again, err := db.TryLock(ctx, "conformance")
		require.NoError(t, err)
		require.NotNil(t, again)
		again.Release()
	})
}
