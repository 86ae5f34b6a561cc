package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wfo-go/wfo/schedule"
)

// Entry is a schedule with its next run, as show-schedule lists it.
type Entry struct {
	Schedule schedule.Schedule
	// Next is when it runs next; Overdue says that time has passed without a scheduler running it (it runs as
	// soon as one starts).
	Next    time.Time
	Overdue bool
	// Last is its last run as recorded in the database; zero Started when unknown.
	Last Result
	// version of the schedule's row; 0 when it has none.
	version int64
}

// ruleKey is what a next run was computed from: the rule in its time zone.
func (s *Scheduler) ruleKey(r schedule.Rule) string { return r.String() + " (" + s.loc.String() + ")" }

// Plan returns every schedule with its next run, sorted by next run and then name. Next runs come from the
// database when a scheduler has planned them; otherwise they are what a scheduler started now would plan. It
// writes nothing.
func (s *Scheduler) Plan(ctx context.Context) ([]Entry, error) {
	states := map[string]state{}
	if s.store != nil {
		ok, err := s.store.exists(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			if states, err = s.store.load(ctx); err != nil {
				return nil, err
			}
		}
	}
	now := s.now()
	entries := make([]Entry, 0, len(s.list))
	for _, sch := range s.list {
		e := Entry{Schedule: sch, Next: sch.When.Next(now, s.loc)}
		if st, ok := states[sch.Name]; ok {
			e.Last = lastRun(sch, st)
			if st.Rule == s.ruleKey(sch.When) {
				e.Next, e.Overdue = st.Next.In(s.loc), st.Next.Before(now)
			}
		}
		entries = append(entries, e)
	}
	sortEntries(entries)
	return entries, nil
}

func lastRun(sch schedule.Schedule, st state) Result {
	r := Result{Schedule: sch, Started: st.LastStarted, Finished: st.LastFinished, Status: st.LastStatus}
	if st.LastError != "" {
		r.Err = errors.New(st.LastError)
	}
	return r
}

func sortEntries(entries []Entry) {
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := a.Next.Compare(b.Next); c != 0 {
			return c
		}
		switch {
		case a.Schedule.Name < b.Schedule.Name:
			return -1
		case a.Schedule.Name > b.Schedule.Name:
			return 1
		}
		return 0
	})
}

// Run runs every schedule at its time until ctx is cancelled, then returns nil once the job under way (if any)
// has finished: jobs run with a context that is not cancelled with ctx. A failing or panicking job is logged and
// recorded, and the loop goes on. With no schedules it idles until ctx is cancelled.
//
// On PostgreSQL a scheduler that is not the leader waits and tries again every follower-retry interval. On SQLite
// a second scheduler on the same file returns an error wrapping ErrAlreadyRunning.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.store == nil || s.locker == nil {
		return errors.New("scheduler: Run needs a database")
	}
	if len(s.list) == 0 {
		s.log.Info("no schedules: idling until stopped")
		<-ctx.Done()
		s.log.Info("scheduler stopped")
		return nil
	}
	if err := s.store.ensure(ctx); err != nil {
		return err
	}
	if c, ok := s.runner.(Checker); ok {
		if err := c.Check(ctx); err != nil {
			return err
		}
	}
	s.log.Info("scheduler starting", "schedules", len(s.list), "timezone", s.loc.String(), "owner", s.owner)
	waiting := false
	for {
		lead, err := s.locker.acquire(ctx)
		switch {
		case errors.Is(err, ErrAlreadyRunning):
			return err
		case ctx.Err() != nil:
			if lead != nil {
				lead.release()
			}
			s.log.Info("scheduler stopped")
			return nil
		case err != nil:
			s.log.Error("cannot take part in leader election; retrying", "err", err)
		case lead == nil:
			if !waiting {
				s.log.Info("another scheduler leads; standing by", "retry", s.retry)
				waiting = true
			}
		default:
			waiting = false
			s.log.Info("leading", "owner", s.owner)
			err := s.lead(ctx, lead)
			lead.release()
			if ctx.Err() != nil {
				s.log.Info("scheduler stopped")
				return nil
			}
			s.log.Error("stopped leading; retrying", "err", err)
		}
		if !sleep(ctx, s.retry) {
			s.log.Info("scheduler stopped")
			return nil
		}
	}
}

// sleep waits for d or until ctx is done; it reports whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// lead runs due schedules while this scheduler leads. It returns nil when ctx is cancelled, an error when the
// database or the leadership fails.
func (s *Scheduler) lead(ctx context.Context, l leadership) error {
	if err := s.store.ensure(ctx); err != nil {
		return err
	}
	logged := false
	for ctx.Err() == nil {
		entries, err := s.reconcile(ctx)
		if err != nil {
			return err
		}
		if !logged {
			for _, e := range entries {
				s.log.Info("schedule", "name", e.Schedule.Name, "runs", e.Schedule.Run.String(), "rule", e.Schedule.When.String(),
					"next", e.Next.In(s.loc).Format(time.RFC3339))
			}
			logged = true
		}
		now := s.now()
		ran := false
		for _, e := range entries {
			if e.Next.After(now) || ctx.Err() != nil {
				continue
			}
			if e.Overdue && e.Next.Before(now.Add(-time.Second)) {
				s.log.Info("a run was due while no scheduler ran: running it once now", "schedule", e.Schedule.Name, "due", e.Next.In(s.loc).Format(time.RFC3339))
			}
			if err := s.runDue(ctx, e); err != nil {
				return err
			}
			ran = true
		}
		if ran {
			continue // plan again from the database: the runs took time
		}
		wait := s.check
		if len(entries) > 0 {
			if d := entries[0].Next.Sub(s.now()); d < wait {
				wait = d
			}
		}
		if wait > 0 && !sleep(ctx, wait) {
			return nil
		}
		if err := l.check(ctx); err != nil {
			return err
		}
	}
	return nil
}

// reconcile loads the timing state and plans every schedule that has none, or whose rule or time zone changed,
// from now: its first run is one period (or the next at time) away.
func (s *Scheduler) reconcile(ctx context.Context) ([]Entry, error) {
	states, err := s.store.load(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	entries := make([]Entry, 0, len(s.list))
	for _, sch := range s.list {
		key := s.ruleKey(sch.When)
		st, ok := states[sch.Name]
		if !ok || st.Rule != key {
			next := sch.When.Next(now, s.loc)
			won, err := s.store.plan(ctx, sch.Name, key, next, st.Version)
			if err != nil {
				return nil, err
			}
			if !won { // another scheduler changed it meanwhile: plan again from its state
				return s.reconcile(ctx)
			}
			if ok {
				s.log.Info("rule changed: planned afresh", "schedule", sch.Name, "rule", key, "next", next.Format(time.RFC3339))
			}
			st = state{Name: sch.Name, Rule: key, Next: next, Version: st.Version + 1, LastStarted: st.LastStarted,
				LastFinished: st.LastFinished, LastStatus: st.LastStatus, LastError: st.LastError}
		}
		entries = append(entries, Entry{Schedule: sch, Next: st.Next, Overdue: st.Next.Before(now), Last: lastRun(sch, st), version: st.Version})
	}
	sortEntries(entries)
	return entries, nil
}

// runDue claims a due run and runs it. A claim lost to another scheduler is not an error: that one runs it.
func (s *Scheduler) runDue(ctx context.Context, e Entry) error {
	sch := e.Schedule
	started := s.now()
	// The claim is not cancelled with ctx: a stop that arrives while it is under way must not leave a claim
	// committed in the database that this scheduler believes failed (the run would show "running" for ever). A
	// claim won is run to its end, like any job.
	won, err := s.store.claim(context.WithoutCancel(ctx), sch.Name, e.version, started, sch.When.Next(started, s.loc), s.owner)
	if err != nil {
		return err
	}
	if !won {
		s.log.Info("run claimed by another scheduler", "schedule", sch.Name)
		return nil
	}
	// The job finishes even when the scheduler is asked to stop meanwhile; so does recording it.
	jobCtx := context.WithoutCancel(ctx)
	stopNotice := context.AfterFunc(ctx, func() {
		s.log.Info("stopping once the running job has finished", "schedule", sch.Name)
	})
	res := s.execute(jobCtx, sch)
	stopNotice()
	errText := ""
	if res.Err != nil {
		errText = res.Err.Error()
	}
	next := sch.When.Next(res.Finished, s.loc)
	if _, err := s.store.finish(jobCtx, sch.Name, e.version+1, res.Finished, next, res.Status, errText); err != nil {
		return fmt.Errorf("recording the run of %q: %w", sch.Name, err)
	}
	return nil
}
