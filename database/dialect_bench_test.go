package database_test

import (
	"testing"

	"github.com/wfo-go/wfo/database"
)

// BenchmarkRebind measures what the seam adds to every query on PostgreSQL: binding the ? placeholders of a
// process store update (eight placeholders, a quoted literal) as $1..$n. SQLite's queries pass through unchanged.
//
//	go test -run '^$' -bench Rebind ./database
func BenchmarkRebind(b *testing.B) {
	query := "UPDATE processes SET last_step = ?, last_status = ?, assignee = ?, failed_reason = ?, traceback = ?, " +
		"last_modified_at = clock_timestamp() WHERE pid = ? AND last_status = 'running' AND EXISTS " +
		"(SELECT 1 FROM wfo_process_leases l WHERE l.pid = ? AND l.token = ?) RETURNING (SELECT global_lock FROM engine_settings LIMIT 1)"
	for _, d := range []database.Dialect{database.Postgres, database.SQLite} {
		b.Run(string(d), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Rebind(query)
			}
		})
	}
}
