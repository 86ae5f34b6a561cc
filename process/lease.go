package process

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Leases. An engine that makes a process running takes a lease on it in the same transaction: a row of
// wfo_process_leases with the engine's name, a token new for this claim, and an expiry on the database's clock.
// While the run goes on, the engine renews the lease every renew interval; each step's transaction renews it too,
// and commits only if the token still holds it. An engine that is killed, or cut off from the database, stops
// renewing; once its lease has expired, any engine (its poller, or a resume of the process) sets the process back
// to resumed, to be continued from its last committed step. The dead run cannot commit its step afterwards, so no
// step's work commits twice. The running count is derived: processes running under a lease that has not expired.

// Default lease timings (WFO_PROCESS_LEASE, WFO_PROCESS_LEASE_RENEW).
const (
	DefaultLeaseExpiry = 30 * time.Second
	DefaultLeaseRenew  = 10 * time.Second
)

// Lease sets how long an engine's claim on a process lasts unless renewed (expiry), and how often the engine renews
// the claims of the processes it runs (renew). A process whose engine stopped renewing is continued by another
// engine once expiry has passed; renew must be well below expiry (a third, by default), so that a slow round trip
// does not lose a live claim. Values that are not positive, or a renew not below expiry, leave the defaults.
func Lease(expiry, renew time.Duration) Option {
	return func(e *Engine) {
		if expiry > 0 && renew > 0 && renew < expiry {
			e.leaseExpiry, e.leaseRenew = expiry, renew
		}
	}
}

// LeaseHolder is the name an engine writes into its leases (wfo_process_leases.owner): host, operating-system
// process id and a random suffix, so that two engines of one program differ.
func (e *Engine) LeaseHolder() string { return e.owner }

func newOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	owner := fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	if len(owner) > 255 {
		owner = owner[len(owner)-255:]
	}
	return owner
}

// errLeaseLost means the run's lease was taken from it (it expired and another engine rescued the process): the
// run stops without writing anything more.
var errLeaseLost = fmt.Errorf("the engine's lease on the process has expired: %w", errNotRunning)

// acquireLease records a new claim of the process in q, the transaction that makes it running, and returns its
// token. A lease left over from an earlier claim is replaced.
func (s *store) acquireLease(ctx context.Context, q querier, pid uuid.UUID, owner string, expiry time.Duration) (uuid.UUID, error) {
	token := uuid.New()
	_, err := q.ExecContext(ctx, s.d.Rebind("INSERT INTO wfo_process_leases (pid, token, owner, acquired_at, expires_at) VALUES (?, ?, ?, "+s.d.Now()+", "+s.d.NowPlus("?")+") "+
		"ON CONFLICT (pid) DO UPDATE SET token = excluded.token, owner = excluded.owner, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at"),
		pid, token, owner, expiry.Milliseconds())
	if err != nil {
		if ok, terr := s.d.TableExists(context.WithoutCancel(ctx), s.db, "wfo_process_leases"); terr == nil && !ok {
			return uuid.Nil, fmt.Errorf("process: the table wfo_process_leases does not exist: run db upgrade heads first")
		}
		return uuid.Nil, fmt.Errorf("process: taking the lease on %s: %w", pid, err)
	}
	return token, nil
}

// renewLease moves the expiry of the claim token on the process forward; errLeaseLost when the token no longer
// holds the lease.
func (s *store) renewLease(ctx context.Context, q querier, pid, token uuid.UUID, expiry time.Duration) error {
	res, err := q.ExecContext(ctx, s.d.Rebind("UPDATE wfo_process_leases SET expires_at = "+s.d.NowPlus("?")+" WHERE pid = ? AND token = ?"), expiry.Milliseconds(), pid, token)
	if err != nil {
		return fmt.Errorf("process: renewing the lease on %s: %w", pid, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("process: renewing the lease on %s: %w", pid, err)
	}
	if n == 0 {
		return errLeaseLost
	}
	return nil
}

// releaseLease ends the claim token on the process.
func (s *store) releaseLease(ctx context.Context, q querier, pid, token uuid.UUID) error {
	if _, err := q.ExecContext(ctx, s.d.Rebind("DELETE FROM wfo_process_leases WHERE pid = ? AND token = ?"), pid, token); err != nil {
		return fmt.Errorf("process: releasing the lease on %s: %w", pid, err)
	}
	return nil
}

// orphan is a process whose engine's lease expired while it was running.
type orphan struct {
	pid   uuid.UUID
	owner string
}

// rescue removes every expired lease and sets the processes still running under one to resumed, in one
// transaction, and returns those processes. Of several engines rescuing at once, each lease is removed by one.
func (s *store) rescue(ctx context.Context) ([]orphan, error) {
	var out []orphan
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "DELETE FROM wfo_process_leases WHERE expires_at < "+s.d.Now()+" RETURNING pid, owner")
		if err != nil {
			return fmt.Errorf("process: removing expired leases: %w", err)
		}
		var expired []orphan
		for rows.Next() {
			var o orphan
			if err := rows.Scan(&o.pid, &o.owner); err != nil {
				rows.Close()
				return fmt.Errorf("process: removing expired leases: %w", err)
			}
			expired = append(expired, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("process: removing expired leases: %w", err)
		}
		for _, o := range expired {
			ok, err := s.setStatus(ctx, tx, o.pid, Resumed, Running)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, o)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Rescue sets every process whose engine's lease has expired while it was running (its engine was killed, or has
// lost the database) back to resumed, and returns how many. An asynchronous engine's workers then continue them
// from their last committed step, as does Resume or the task task_resume_workflows. Asynchronous engines rescue
// by themselves when they start and while they poll; Resume rescues the process it is asked to resume.
func (e *Engine) Rescue(ctx context.Context) (int, error) {
	orphans, err := e.st.rescue(ctx)
	for _, o := range orphans {
		e.logger.Warn("the engine running a process stopped renewing its lease; the process is resumed", "pid", o.pid, "engine", o.owner)
	}
	return len(orphans), err
}

// keeper renews a run's lease while the run goes on.
type keeper struct {
	lost atomic.Bool
	stop chan struct{}
	done chan struct{}
}

// keepLease starts renewing the lease of a run; the returned keeper's close stops it.
func (e *Engine) keepLease(pid, token uuid.UUID) *keeper {
	k := &keeper{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(k.done)
		ticker := time.NewTicker(e.leaseRenew)
		defer ticker.Stop()
		for {
			select {
			case <-k.stop:
				return
			case <-ticker.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), e.leaseExpiry)
			err := e.st.renewLease(ctx, e.db, pid, token, e.leaseExpiry)
			cancel()
			switch {
			case errors.Is(err, errLeaseLost):
				e.logger.Warn("the lease on a running process was lost; this engine will commit nothing more of it", "pid", pid)
				k.lost.Store(true)
				return
			case err != nil:
				// Tried again at the next tick; the lease lasts several of them.
				e.logger.Warn("renewing a process lease failed", "pid", pid, "error", err)
			}
		}
	}()
	return k
}

func (k *keeper) close() {
	close(k.stop)
	<-k.done
}
