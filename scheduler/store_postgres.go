package scheduler

import "time"

var postgresDialect = dialect{
	create: `CREATE TABLE IF NOT EXISTS wfo_schedule_state (
	name VARCHAR(255) PRIMARY KEY,
	rule TEXT NOT NULL,
	next_run_at TIMESTAMP WITH TIME ZONE NOT NULL,
	version BIGINT NOT NULL,
	last_started_at TIMESTAMP WITH TIME ZONE,
	last_finished_at TIMESTAMP WITH TIME ZONE,
	last_status VARCHAR(32),
	last_error TEXT,
	last_owner TEXT
)`,
	exists:       "SELECT to_regclass('wfo_schedule_state') IS NOT NULL",
	placeholders: dollarPlaceholders,
	// PostgreSQL keeps microseconds.
	encodeTime: func(t time.Time) any { return t.UTC().Truncate(time.Microsecond) },
}
