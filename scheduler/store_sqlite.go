package scheduler

import "time"

var sqliteDialect = dialect{
	create: `CREATE TABLE IF NOT EXISTS wfo_schedule_state (
	name VARCHAR(255) PRIMARY KEY,
	rule TEXT NOT NULL,
	next_run_at TEXT NOT NULL,
	version INTEGER NOT NULL,
	last_started_at TEXT,
	last_finished_at TEXT,
	last_status VARCHAR(32),
	last_error TEXT,
	last_owner TEXT
)`,
	exists:       "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wfo_schedule_state')",
	placeholders: func(q string) string { return q },
	// Times are stored as RFC 3339 text in UTC with microseconds, which sorts and reads back exactly.
	encodeTime: func(t time.Time) any {
		return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z07:00")
	},
}
