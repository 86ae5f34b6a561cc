package scheduler

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wfo-go/wfo/database"
)

// sqlStore is the store on wfo's database; dialect holds what differs between PostgreSQL and SQLite.
type sqlStore struct {
	db *database.DB
	d  dialect
}

// dialect is one database's SQL for the state table. Queries are written with ? placeholders.
type dialect struct {
	create string
	exists string
	// placeholders turns ? into the dialect's placeholders.
	placeholders func(string) string
	// encodeTime turns a time into the value stored.
	encodeTime func(time.Time) any
}

func newSQLStore(db *database.DB) *sqlStore {
	if db.Dialect == database.Postgres {
		return &sqlStore{db: db, d: postgresDialect}
	}
	return &sqlStore{db: db, d: sqliteDialect}
}

const stateColumns = "name, rule, next_run_at, version, last_started_at, last_finished_at, last_status, last_error, last_owner"

func (s *sqlStore) exec(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.d.placeholders(query), args...)
	if err != nil {
		return false, fmt.Errorf("scheduler: wfo_schedule_state: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("scheduler: wfo_schedule_state: %w", err)
	}
	return n == 1, nil
}

func (s *sqlStore) exists(ctx context.Context) (bool, error) {
	var ok bool
	if err := s.db.QueryRowContext(ctx, s.d.exists).Scan(&ok); err != nil {
		return false, fmt.Errorf("scheduler: looking for wfo_schedule_state: %w", err)
	}
	return ok, nil
}

func (s *sqlStore) ensure(ctx context.Context) error {
	if ok, err := s.exists(ctx); err != nil || ok {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.d.create); err != nil {
		return fmt.Errorf("scheduler: creating wfo_schedule_state: %w", err)
	}
	return nil
}

func (s *sqlStore) load(ctx context.Context) (map[string]state, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+stateColumns+" FROM wfo_schedule_state")
	if err != nil {
		return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
	}
	defer rows.Close()
	out := map[string]state{}
	for rows.Next() {
		var st state
		var next, started, finished nullTime
		var status, errText, owner sql.NullString
		if err := rows.Scan(&st.Name, &st.Rule, &next, &st.Version, &started, &finished, &status, &errText, &owner); err != nil {
			return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
		}
		st.Next, st.LastStarted, st.LastFinished = next.t, started.t, finished.t
		st.LastStatus, st.LastError, st.LastOwner = Status(status.String), errText.String, owner.String
		out[st.Name] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
	}
	return out, nil
}

func (s *sqlStore) plan(ctx context.Context, name, rule string, next time.Time, version int64) (bool, error) {
	if version == 0 {
		return s.exec(ctx, "INSERT INTO wfo_schedule_state (name, rule, next_run_at, version) VALUES (?, ?, ?, 1) ON CONFLICT (name) DO NOTHING",
			name, rule, s.d.encodeTime(next))
	}
	return s.exec(ctx, "UPDATE wfo_schedule_state SET rule = ?, next_run_at = ?, version = version + 1 WHERE name = ? AND version = ?",
		rule, s.d.encodeTime(next), name, version)
}

func (s *sqlStore) claim(ctx context.Context, name string, version int64, started, next time.Time, owner string) (bool, error) {
	return s.exec(ctx, "UPDATE wfo_schedule_state SET next_run_at = ?, version = version + 1, last_started_at = ?, last_finished_at = NULL, "+
		"last_status = ?, last_error = NULL, last_owner = ? WHERE name = ? AND version = ?",
		s.d.encodeTime(next), s.d.encodeTime(started), string(Running), owner, name, version)
}

func (s *sqlStore) finish(ctx context.Context, name string, version int64, finished, next time.Time, status Status, errText string) (bool, error) {
	return s.exec(ctx, "UPDATE wfo_schedule_state SET next_run_at = ?, version = version + 1, last_finished_at = ?, last_status = ?, "+
		"last_error = ? WHERE name = ? AND version = ?",
		s.d.encodeTime(next), s.d.encodeTime(finished), string(status), sql.NullString{String: errText, Valid: errText != ""}, name, version)
}

// nullTime scans a timestamp stored natively (PostgreSQL) or as text (SQLite).
type nullTime struct{ t time.Time }

func (n *nullTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		n.t = time.Time{}
	case time.Time:
		n.t = v
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	default:
		return fmt.Errorf("cannot read %T as a time", v)
	}
	return nil
}

func (n *nullTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	n.t = t
	return nil
}

// dollarPlaceholders numbers ? placeholders as $1, $2, ... (the queries here have no ? in literals).
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
