package scheduler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// memStore is the store in memory, for tests of the loop under a fake clock.
type memStore struct {
	mu   sync.Mutex
	rows map[string]state
}

func newMemStore() *memStore { return &memStore{rows: map[string]state{}} }

func (m *memStore) exists(context.Context) (bool, error) { return true, nil }
func (m *memStore) ensure(context.Context) error         { return nil }

func (m *memStore) load(context.Context) (map[string]state, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]state{}
	for k, v := range m.rows {
		out[k] = v
	}
	return out, nil
}

func (m *memStore) update(name string, version int64, f func(*state)) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.rows[name]
	if version == 0 {
		if ok {
			return false
		}
		st = state{Name: name}
	} else if !ok || st.Version != version {
		return false
	}
	f(&st)
	st.Version++
	m.rows[name] = st
	return true
}

func (m *memStore) plan(_ context.Context, name, rule string, next time.Time, version int64) (bool, error) {
	return m.update(name, version, func(s *state) { s.Rule, s.Next = rule, next }), nil
}

func (m *memStore) claim(_ context.Context, name string, version int64, started, next time.Time, owner string) (bool, error) {
	return m.update(name, version, func(s *state) {
		s.Next, s.LastStarted, s.LastFinished, s.LastStatus, s.LastError, s.LastOwner = next, started, time.Time{}, Running, "", owner
	}), nil
}

func (m *memStore) finish(_ context.Context, name string, version int64, finished, next time.Time, status Status, errText string) (bool, error) {
	return m.update(name, version, func(s *state) {
		s.Next, s.LastFinished, s.LastStatus, s.LastError = next, finished, status, errText
	}), nil
}

func (m *memStore) get(name string) state {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rows[name]
}

// memLocker is one leader lock shared by the schedulers of a test.
type memLocker struct {
	mu     sync.Mutex
	holder *memLeadership
}

type memLeadership struct{ l *memLocker }

func (l *memLocker) acquire(context.Context) (leadership, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holder != nil {
		return nil, nil
	}
	l.holder = &memLeadership{l: l}
	return l.holder, nil
}

func (h *memLeadership) check(context.Context) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.holder != h {
		return errors.New("lost")
	}
	return nil
}

func (h *memLeadership) release() {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.l.holder == h {
		h.l.holder = nil
	}
}

// syncBuffer is a log destination several goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// fakeRunner records the workflows it is asked to run.
type fakeRunner struct {
	mu         sync.Mutex
	ran        []string
	fail       map[string]error
	unfinished map[string]bool
}

func (f *fakeRunner) RunWorkflow(_ context.Context, name string, _ []map[string]any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ran = append(f.ran, name)
	return f.fail[name]
}

func (f *fakeRunner) Unfinished(_ context.Context, name string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unfinished[name], nil
}

// noLocker makes every scheduler the leader.
type noLocker struct{}

func (noLocker) acquire(context.Context) (leadership, error) { return noLeadership{}, nil }

type noLeadership struct{}

func (noLeadership) check(context.Context) error { return nil }
func (noLeadership) release()                    {}
