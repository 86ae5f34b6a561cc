package process

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// job is a process for a worker: one this engine was handed (to be claimed first) or one its poller claimed.
type job struct {
	pid  uuid.UUID
	user string
	// token is the lease of a process claimed already; Nil for one still to be claimed.
	token uuid.UUID
}

// queueSize bounds the local queue. A process that does not fit stays created or resumed in the database, where
// the poller (this engine's or another instance's) finds it.
const queueSize = 4096

// StartWorkers starts an asynchronous engine's worker pool (MAX_WORKERS workers) and its poller, once; Close
// stops them. It does nothing for a synchronous engine, which runs processes inside the calls that start them.
func (e *Engine) StartWorkers() {
	if e.sync {
		return
	}
	e.startOnce.Do(e.startPool)
}

func (e *Engine) startPool() {
	e.ctx, e.cancel = context.WithCancel(context.Background())
	for range e.workers {
		e.wg.Add(1)
		go e.worker()
	}
	if e.poll > 0 {
		e.wg.Add(1)
		go e.poller()
	}
}

// submit hands a process to the pool without waiting.
func (e *Engine) submit(j job) {
	select {
	case e.jobs <- j:
	default:
		e.logger.Warn("process queue full; leaving the process to the poller", "pid", j.pid)
	}
}

// signal wakes the poller.
func (e *Engine) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *Engine) worker() {
	defer e.wg.Done()
	for {
		select {
		case <-e.ctx.Done():
			return
		case j := <-e.jobs:
			e.busy.Add(1)
			e.runJob(j)
			e.busy.Add(-1)
			e.signal()
		}
	}
}

func (e *Engine) runJob(j job) {
	if j.token == uuid.Nil {
		if e.ctx.Err() != nil {
			return // shutting down: the process stays runnable for the next engine
		}
		// Not cancellable: a claim must not be left half-known (committed, but reported as failed).
		token, err := e.st.claim(context.WithoutCancel(e.ctx), j.pid, e.owner, e.leaseExpiry)
		if err != nil {
			if e.ctx.Err() == nil {
				e.logger.Error("claiming a process failed", "pid", j.pid, "error", err)
			}
			return
		}
		if token == uuid.Nil {
			return // another engine runs it, or it was aborted
		}
		j.token = token
	}
	_ = e.execute(e.ctx, j.pid, j.token, j.user) // execute logs its errors and marks the process failed
}

// poller claims runnable processes from the database for as many workers as are free, so that every instance
// sharing the database takes its part of the work. First, and then once per lease renewal interval, it rescues
// the processes whose engine's lease expired, which makes them runnable.
func (e *Engine) poller() {
	defer e.wg.Done()
	ticker := time.NewTicker(e.poll)
	defer ticker.Stop()
	var rescued time.Time
	for first := true; ; first = false {
		if !first {
			select {
			case <-e.ctx.Done():
				return
			case <-ticker.C:
			case <-e.wake:
			}
		}
		if time.Since(rescued) >= e.leaseRenew && e.ctx.Err() == nil {
			rescued = time.Now()
			if _, err := e.Rescue(context.WithoutCancel(e.ctx)); err != nil && e.ctx.Err() == nil {
				e.logger.Error("rescuing processes of stopped engines failed", "error", err)
			}
		}
		free := e.workers - int(e.busy.Load()) - len(e.jobs)
		if free <= 0 || e.ctx.Err() != nil {
			continue
		}
		if !e.modelReady(e.ctx) {
			continue
		}
		claimed, err := e.st.claimBatch(context.WithoutCancel(e.ctx), free, e.owner, e.leaseExpiry)
		if err != nil {
			if e.ctx.Err() == nil {
				e.logger.Error("polling for processes failed", "error", err)
			}
			continue
		}
		for _, j := range claimed {
			e.jobs <- j
		}
	}
}

// Close stops an asynchronous engine's workers: each finishes the step it is running, and its process becomes
// resumed, to be continued by another instance or the next start. Processes claimed but not started yet are
// handed back the same way. Close does nothing for a synchronous engine.
func (e *Engine) Close() error {
	e.startOnce.Do(func() {}) // a closed engine starts no workers
	if e.sync || e.cancel == nil {
		return nil
	}
	var err error
	e.closed.Do(func() {
		e.cancel()
		e.wg.Wait()
		ctx := context.Background()
		for {
			select {
			case j := <-e.jobs:
				if j.token == uuid.Nil {
					continue
				}
				if serr := e.st.handBack(ctx, j.pid, j.token); serr != nil {
					err = serr
				}
			default:
				return
			}
		}
	})
	return err
}
