package scheduler

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/schedule"
)

// openDB opens the database with wfo's own tables (the scheduler's state) in place.
func openDB(t *testing.T, uri string) *database.DB {
	t.Helper()
	db := openBlank(t, uri)
	own, err := coremigration.OwnMigrator(db)
	require.NoError(t, err)
	require.NoError(t, own.Upgrade(t.Context(), "heads"))
	return db
}

func openBlank(t *testing.T, uri string) *database.DB {
	t.Helper()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// The state table on both databases: created on demand, every write a compare-and-set, times kept to the
// microsecond.
func TestStoreConformance(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		st := newSQLStore(openBlank(t, target.URI))
		ok, err := st.exists(ctx)
		require.NoError(t, err)
		require.False(t, ok)
		require.ErrorIs(t, st.ensure(ctx), errNoStateTable, "the table comes from wfo's own revisions")
		st = newSQLStore(openDB(t, target.URI))
		require.NoError(t, st.ensure(ctx))
		ok, err = st.exists(ctx)
		require.NoError(t, err)
		require.True(t, ok)

		next := time.Date(2026, 11, 25, 13, 0, 0, 123456789, time.UTC)
		won, err := st.plan(ctx, "a", "every 1 hour (UTC)", next, 0)
		require.NoError(t, err)
		require.True(t, won)
		won, err = st.plan(ctx, "a", "every 1 hour (UTC)", next, 0)
		require.NoError(t, err)
		require.False(t, won, "insert of an existing row")

		rows, err := st.load(ctx)
		require.NoError(t, err)
		a := rows["a"]
		require.Equal(t, int64(1), a.Version)
		require.True(t, a.Next.Equal(next.Truncate(time.Microsecond)), a.Next)
		require.True(t, a.LastStarted.IsZero())

		// Of many claims of one version exactly one wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				won, err := st.claim(ctx, "a", 1, next, next.Add(time.Hour), "me")
				assert.NoError(t, err)
				if won {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		require.Equal(t, int32(1), wins.Load())

		won, err = st.finish(ctx, "a", 2, next.Add(time.Minute), next.Add(2*time.Hour), Failed, "no luck")
		require.NoError(t, err)
		require.True(t, won)
		won, err = st.finish(ctx, "a", 2, next, next, Succeeded, "")
		require.NoError(t, err)
		require.False(t, won, "stale version")
		rows, err = st.load(ctx)
		require.NoError(t, err)
		a = rows["a"]
		require.Equal(t, int64(3), a.Version)
		require.Equal(t, Failed, a.LastStatus)
		require.Equal(t, "no luck", a.LastError)
		require.Equal(t, "me", a.LastOwner)
		require.True(t, a.LastFinished.Equal(next.Add(time.Minute).Truncate(time.Microsecond)))
		require.True(t, a.Next.Equal(next.Add(2*time.Hour).Truncate(time.Microsecond)))

		won, err = st.plan(ctx, "a", "every 2 hours (UTC)", next, 3)
		require.NoError(t, err)
		require.True(t, won)
	})
}

// Run on a real database: the first run one period after the start, then state for show-schedule.
func TestRunOnDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := openDB(t, target.URI)
		var runs atomic.Int32
		// The job stops the scheduler, which lets it finish and records it: one run, however busy the machine.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		list := schedule.List{{Name: "tick", When: schedule.Every(1, schedule.Second),
			Run: schedule.Func("tick", func(context.Context) error { runs.Add(1); cancel(); return nil })}}
		s, err := New(db, list, WithFollowerRetry(50*time.Millisecond))
		require.NoError(t, err)
		entries, err := s.Plan(t.Context())
		require.NoError(t, err)
		require.Len(t, entries, 1)
		require.True(t, entries[0].Last.Started.IsZero())

		require.NoError(t, s.Run(ctx))
		require.Equal(t, int32(1), runs.Load())
		entries, err = s.Plan(t.Context())
		require.NoError(t, err)
		require.Equal(t, Succeeded, entries[0].Last.Status)
		require.False(t, entries[0].Overdue)
		require.WithinDuration(t, time.Now().Add(500*time.Millisecond), entries[0].Next, 600*time.Millisecond)
	})
}

// On SQLite one scheduler runs per file; a second one says so and does not start.
func TestSQLiteAllowsOneScheduler(t *testing.T) {
	t.Parallel()
	uri := dbtest.SQLiteURI(t)
	list := schedule.List{{Name: "tick", When: schedule.Every(1, schedule.Hour), Run: schedule.Func("tick", func(context.Context) error { return nil })}}
	logs := &syncBuffer{}
	first, err := New(openDB(t, uri), list, WithLogger(testLogger(logs)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- first.Run(ctx) }()
	second, err := New(openDB(t, uri), list)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "leading") }, 5*time.Second, 10*time.Millisecond)
	err = second.Run(t.Context())
	require.ErrorIs(t, err, ErrAlreadyRunning)
	require.ErrorContains(t, err, "only one scheduler can run on an SQLite database")
	cancel()
	require.NoError(t, <-done)
	// Once the first has stopped, another may start.
	ctx2, cancel2 := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel2()
	require.NoError(t, second.Run(ctx2))
}

// Three schedulers on one PostgreSQL database, each with its own connections: one leads, each due run happens
// once; when the leader stops, another takes over within one interval.
func TestPostgresSchedulersRunEachDueJobOnce(t *testing.T) {
	t.Parallel()
	uri := dbtest.PostgresURL(t)
	var mu sync.Mutex
	var runs []time.Time
	var by []int
	var cancels []context.CancelFunc
	var wg sync.WaitGroup
	for i := range 3 {
		list := schedule.List{{Name: "tick", When: schedule.Every(1, schedule.Second), Run: schedule.Func("tick", func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			runs, by = append(runs, time.Now()), append(by, i)
			return nil
		})}}
		s, err := New(openDB(t, uri), list, WithFollowerRetry(100*time.Millisecond))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		cancels = append(cancels, cancel)
		wg.Go(func() { assert.NoError(t, s.Run(ctx)) })
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(runs) }
	require.Eventually(t, func() bool { return count() >= 2 }, 10*time.Second, 10*time.Millisecond)
	mu.Lock()
	leader := by[len(by)-1]
	mu.Unlock()
	stopped := time.Now()
	cancels[leader]()
	require.Eventually(t, func() bool { return count() >= 4 }, 10*time.Second, 10*time.Millisecond)
	for _, c := range cancels {
		c()
	}
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(runs); i++ {
		require.GreaterOrEqual(t, runs[i].Sub(runs[i-1]), 900*time.Millisecond, "runs %d and %d are too close: a run happened twice", i-1, i)
	}
	var after int
	for i, r := range runs {
		if r.After(stopped) {
			after = i
			break
		}
	}
	require.NotEqual(t, leader, by[after], "another scheduler ran after the leader stopped")
	require.Less(t, runs[after].Sub(stopped), 1500*time.Millisecond, "took over within one interval")
}
