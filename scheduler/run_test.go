package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/schedule"
)

// These tests run the loop on a fake clock (testing/synctest): hours pass in microseconds.

// clock maps the bubble's fake time onto a chosen start; it must be made inside the bubble.
type clock struct {
	base, start time.Time
}

func newClock(base time.Time) clock       { return clock{base: base, start: time.Now()} }
func (c clock) now() time.Time            { return c.base.Add(time.Since(c.start)) }
func (c clock) since(t time.Time) float64 { return c.now().Sub(t).Seconds() }

// recorder is a job that records when it ran.
type recorder struct {
	mu   sync.Mutex
	c    clock
	runs []time.Time
	by   []string
}

func (r *recorder) job(name string, d time.Duration, err error) schedule.Target {
	return schedule.Func(name, func(context.Context) error {
		r.mu.Lock()
		r.runs = append(r.runs, r.c.now())
		r.by = append(r.by, name)
		r.mu.Unlock()
		time.Sleep(d)
		return err
	})
}

func (r *recorder) offsets(base time.Time) []float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []float64
	for _, t := range r.runs {
		out = append(out, t.Sub(base).Seconds())
	}
	return out
}

func fakeScheduler(t *testing.T, c clock, list schedule.List, st *memStore, lk *memLocker, loc *time.Location) (*Scheduler, *syncBuffer) {
	t.Helper()
	buf := &syncBuffer{}
	s, err := New(nil, list, WithClock(c.now), WithLogger(testLogger(buf)), WithLocation(loc))
	require.NoError(t, err)
	s.store, s.locker = st, lk
	return s, buf
}

// runFor runs s for d of fake time, then stops it and waits for Run to return.
func runFor(t *testing.T, s *Scheduler, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	time.Sleep(d)
	cancel()
	require.NoError(t, <-done)
}

var base = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// An interval schedule first runs one period after the start, then one period after each run ended.
func TestRunIntervalCountsFromTheEndOfTheRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		list := schedule.List{{Name: "slow", Run: rec.job("slow", 3*time.Second, nil), When: schedule.Every(10, schedule.Second)}}
		s, _ := fakeScheduler(t, c, list, newMemStore(), &memLocker{}, time.UTC)
		runFor(t, s, 40*time.Second)
		require.Equal(t, []float64{10, 23, 36}, rec.offsets(base))
	})
}

// A failing or panicking job is logged and recorded, and the loop goes on.
func TestRunGoesOnAfterFailuresAndPanics(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		every := schedule.Every(1, schedule.Second)
		panicky := schedule.Func("panicky", func(context.Context) error { panic("boom") })
		list := schedule.List{
			{Name: "ok", Run: rec.job("ok", 0, nil), When: every},
			{Name: "fails", Run: rec.job("fails", 0, errors.New("no luck")), When: every},
			{Name: "panics", Run: panicky, When: every},
		}
		st := newMemStore()
		s, logs := fakeScheduler(t, c, list, st, &memLocker{}, time.UTC)
		runFor(t, s, 3500*time.Millisecond)
		require.Equal(t, []string{"fails", "ok", "fails", "ok", "fails", "ok"}, rec.by, "due together: by name")
		require.Contains(t, logs.String(), `msg=failed schedule=fails err="no luck"`)
		require.Contains(t, logs.String(), `msg=panicked schedule=panics err="panic: boom"`)
		require.Equal(t, Failed, st.get("panics").LastStatus)
		require.Equal(t, "panic: boom", st.get("panics").LastError)
		require.Equal(t, Succeeded, st.get("ok").LastStatus)
	})
}

func TestRunIdlesWithoutSchedules(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		s, logs := fakeScheduler(t, c, nil, newMemStore(), &memLocker{}, time.UTC)
		runFor(t, s, time.Hour)
		require.Contains(t, logs.String(), "no schedules: idling until stopped")
		require.Contains(t, logs.String(), "scheduler stopped")
	})
}

// Stopping waits for the running job, which finishes with an uncancelled context and is recorded.
func TestRunStopsAfterTheRunningJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		var jobErr error
		list := schedule.List{{Name: "long", When: schedule.Every(10, schedule.Second), Run: schedule.Func("long", func(ctx context.Context) error {
			time.Sleep(5 * time.Second)
			jobErr = ctx.Err()
			return nil
		})}}
		st := newMemStore()
		s, logs := fakeScheduler(t, c, list, st, &memLocker{}, time.UTC)
		runFor(t, s, 12*time.Second) // the job runs from 10 s to 15 s
		require.Equal(t, 15.0, c.since(base))
		require.NoError(t, jobErr)
		require.Equal(t, Succeeded, st.get("long").LastStatus)
		require.Contains(t, logs.String(), "stopping once the running job has finished")
	})
}

// Runs missed while no scheduler ran are run once on start, not once per missed period, and the next run
// counts from the end of that one.
func TestRunMissedRunsOnceOnStart(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		list := schedule.List{{Name: "hourly", Run: rec.job("hourly", 0, nil), When: schedule.Every(1, schedule.Hour)}}
		st := newMemStore()
		st.rows["hourly"] = state{Name: "hourly", Rule: "every 1 hour (UTC)", Next: base.Add(-5 * time.Hour), Version: 7}
		s, logs := fakeScheduler(t, c, list, st, &memLocker{}, time.UTC)
		runFor(t, s, 90*time.Minute)
		require.Equal(t, []float64{0, 3600}, rec.offsets(base))
		require.Contains(t, logs.String(), "a run was due while no scheduler ran: running it once now")
	})
}

// A changed rule is planned afresh; a schedule's state survives a restart.
func TestRunKeepsPlanAcrossRestartsAndReplansChangedRules(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		st, lk := newMemStore(), &memLocker{}
		list := schedule.List{{Name: "job", Run: rec.job("job", 0, nil), When: schedule.Every(10, schedule.Minute)}}
		s, _ := fakeScheduler(t, c, list, st, lk, time.UTC)
		runFor(t, s, 15*time.Minute) // runs at 10 min; next at 20 min
		s, _ = fakeScheduler(t, c, list, st, lk, time.UTC)
		runFor(t, s, 10*time.Minute) // restarted at 15 min: runs at 20 min, not 25
		require.Equal(t, []float64{600, 1200}, rec.offsets(base))
		list[0].When = schedule.Every(1, schedule.Hour)
		s, logs := fakeScheduler(t, c, list, st, lk, time.UTC)
		runFor(t, s, 70*time.Minute) // restarted at 25 min with a new rule: runs at 85 min
		require.Equal(t, []float64{600, 1200, 5100}, rec.offsets(base))
		require.Contains(t, logs.String(), "rule changed: planned afresh")
	})
}

// at times are wall-clock times in the configured zone across daylight-saving changes: Amsterdam moves from
// 02:00 CET to 03:00 CEST on 2026-03-29 and back from 03:00 CEST to 02:00 CET on 2026-10-25.
func TestRunAtTimesAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	ams, err := time.LoadLocation("Europe/Amsterdam")
	require.NoError(t, err)
	for _, tc := range []struct {
		start string
		want  []string
	}{
		{"2026-03-27 12:00", []string{
			"2026-03-28 00:10 CET", "2026-03-28 02:30 CET",
			"2026-03-29 00:10 CET", "2026-03-29 03:00 CEST", // 02:30 does not exist: at the jump
			"2026-03-30 00:10 CEST", "2026-03-30 02:30 CEST",
		}},
		{"2026-10-23 12:00", []string{
			"2026-10-24 00:10 CEST", "2026-10-24 02:30 CEST",
			"2026-10-25 00:10 CEST", "2026-10-25 02:30 CEST", // 02:30 comes twice: once
			"2026-10-26 00:10 CET", "2026-10-26 02:30 CET",
		}},
	} {
		synctest.Test(t, func(t *testing.T) {
			start, err := time.ParseInLocation("2006-01-02 15:04", tc.start, ams)
			require.NoError(t, err)
			c := newClock(start)
			rec := &recorder{c: c}
			list := schedule.List{
				{Name: "validate subscriptions", Run: rec.job("a", time.Second, nil), When: schedule.Every(1, schedule.Day).At("00:10")},
				{Name: "validate products", Run: rec.job("b", time.Second, nil), When: schedule.Every(1, schedule.Day).At("02:30")},
			}
			s, _ := fakeScheduler(t, c, list, newMemStore(), &memLocker{}, ams)
			runFor(t, s, 3*24*time.Hour)
			var got []string
			for _, r := range rec.runs {
				got = append(got, r.In(ams).Format("2006-01-02 15:04 MST"))
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// When the leader stops, a follower takes over within its retry interval and keeps the leader's plan.
func TestFollowerTakesOverTheLeadersPlan(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		st, lk := newMemStore(), &memLocker{}
		job := func(owner string) schedule.List {
			return schedule.List{{Name: "tick", Run: rec.job(owner, 0, nil), When: schedule.Every(10, schedule.Second)}}
		}
		a, _ := fakeScheduler(t, c, job("a"), st, lk, time.UTC)
		b, logsB := fakeScheduler(t, c, job("b"), st, lk, time.UTC)
		ctxA, stopA := context.WithCancel(t.Context())
		ctxB, stopB := context.WithCancel(t.Context())
		doneA, doneB := make(chan error), make(chan error)
		go func() { doneA <- a.Run(ctxA) }()
		time.Sleep(time.Millisecond)
		go func() { doneB <- b.Run(ctxB) }()
		time.Sleep(25 * time.Second)
		stopA()
		require.NoError(t, <-doneA)
		time.Sleep(20 * time.Second)
		stopB()
		require.NoError(t, <-doneB)
		require.Equal(t, []string{"a", "a", "b", "b"}, rec.by)
		require.Equal(t, []float64{10, 20, 30, 40}, rec.offsets(base))
		require.Contains(t, logsB.String(), "another scheduler leads; standing by")
		require.Contains(t, logsB.String(), "leading")
	})
}

// Two schedulers that both believe they lead still run each due run once: the claim decides.
func TestClaimDecidesBetweenTwoLeaders(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newClock(base)
		rec := &recorder{c: c}
		st := newMemStore()
		var schedulers []*Scheduler
		for i := range 3 {
			list := schedule.List{{Name: "tick", Run: rec.job(fmt.Sprint(i), 0, nil), When: schedule.Every(1, schedule.Second)}}
			s, _ := fakeScheduler(t, c, list, st, nil, time.UTC)
			s.locker = noLocker{}
			schedulers = append(schedulers, s)
		}
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for _, s := range schedulers {
			wg.Go(func() { assert.NoError(t, s.Run(ctx)) })
		}
		time.Sleep(5500 * time.Millisecond)
		cancel()
		wg.Wait()
		require.Equal(t, []float64{1, 2, 3, 4, 5}, rec.offsets(base))
	})
}

func TestForce(t *testing.T) {
	t.Parallel()
	runner := &fakeRunner{
		fail: map[string]error{"task_clean_up_tasks": errors.New("database is gone"),
			"task_validate_awaiting_callbacks": fmt.Errorf("%w: nothing to do", ErrSkipped)},
		unfinished: map[string]bool{"task_validate_products": true},
	}
	list := schedule.Defaults().With(schedule.Schedule{Name: "Panics", When: schedule.Every(1, schedule.Hour),
		Run: schedule.Func("panicky", func(context.Context) error { panic("boom") })})
	s, err := New(nil, list, WithRunner(runner))
	require.NoError(t, err)

	var reported []string
	report := func(r Result) { reported = append(reported, fmt.Sprintf("%s %s", r.Schedule.Name, r.Status)) }
	res, err := s.Force(t.Context(), "validate", report)
	require.NoError(t, err, "a skipped run is not a failure")
	require.Equal(t, []string{
		"Subscriptions Validator ", "Subscriptions Validator succeeded",
		"Validate Products and inactive subscriptions ", "Validate Products and inactive subscriptions skipped",
		"Validate awaiting callbacks ", "Validate awaiting callbacks skipped",
	}, reported)
	require.ErrorContains(t, res[1].Err, "a task_validate_products process is not finished yet")
	require.EqualError(t, res[2].Err, "scheduler: the workflow declined to start: nothing to do", "a workflow that declines to start is skipped, not failed")
	require.Equal(t, []string{"task_validate_subscriptions", "task_validate_awaiting_callbacks"}, runner.ran)

	res, err = s.Force(t.Context(), "", nil)
	var fe *ForceError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, []string{"Clean up tasks", "Panics"}, fe.Failed)
	require.EqualError(t, err, "scheduler: 2 of 6 forced schedules failed: Clean up tasks, Panics")
	require.Len(t, res, 6)
	require.EqualError(t, res[5].Err, "panic: boom")

	_, err = s.Force(t.Context(), "RESUME", nil)
	require.ErrorIs(t, err, ErrNoMatch)

	bare, err := New(nil, schedule.Defaults())
	require.NoError(t, err)
	res, err = bare.Force(t.Context(), "Resume", nil)
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, res[0].Err, ErrNoRunner)
	require.ErrorContains(t, res[0].Err, "cannot start task_resume_workflows")
}

func TestNewRefusesInvalidSchedules(t *testing.T) {
	t.Parallel()
	_, err := New(nil, schedule.List{{Name: "x", Run: schedule.Workflow("w"), When: schedule.Every(1, schedule.Day).At("7am")}})
	require.ErrorIs(t, err, schedule.ErrInvalidSchedule)
	require.ErrorContains(t, err, `scheduler: schedule: invalid schedule "x": schedule: invalid rule: every 1 day at "7am"`)
}

func TestPlanSortsByNextRunThenName(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	list := schedule.Defaults().With(
		schedule.Schedule{Name: "B", Run: schedule.Workflow("b"), When: schedule.Every(6, schedule.Hour)},
		schedule.Schedule{Name: "A", Run: schedule.Workflow("a"), When: schedule.Cron("0 7 * * *")},
	)
	s, err := New(nil, list, WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	entries, err := s.Plan(t.Context())
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Next.Format("2006-01-02 15:04 ")+e.Schedule.Name)
	}
	require.Equal(t, []string{
		"2026-11-25 01:00 Validate awaiting callbacks",
		"2026-11-25 02:00 Resume workflows",
		"2026-11-25 02:30 Validate Products and inactive subscriptions",
		"2026-11-25 07:00 A",
		"2026-11-25 07:00 B",
		"2026-11-25 07:00 Clean up tasks",
		"2026-11-26 00:10 Subscriptions Validator",
	}, got)
}
