package coremigration_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

// A database that orchestrator-core 4.3 to 4.6 built and used (testdata/reference-850dccac3b02.postgres.sql) is
// recognised by the command line and brought to the 5.3.0 head by db upgrade heads, with the data changes the
// reference's later revisions make: the core tasks become tasks, blank notes NULL, long texts cut to 4.8's limits,
// APScheduler's table adopted as it is.
func TestAdoptReference4xDatabase(t *testing.T) {
	t.Parallel()
	uri := dbtest.PostgresURL(t)
	ctx := t.Context()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(ctx, loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	src, err := os.ReadFile(filepath.Join("testdata", "reference-850dccac3b02.postgres.sql"))
	require.NoError(t, err)
	stmts, err := sqlsplit.Split(string(src), 0)
	require.NoError(t, err)
	conn, err := db.Conn(ctx) // one session, which the fixture's SET applies to
	require.NoError(t, err)
	for _, s := range stmts {
		_, err := conn.ExecContext(ctx, s.SQL)
		require.NoError(t, err, "reference-850dccac3b02.postgres.sql:%d", s.Line)
	}
	require.NoError(t, conn.Close())

	app := wfo.New(wfo.WithDir(t.TempDir()))
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		code := cli.Run(ctx, app, args, cli.WithEnviron([]string{"DATABASE_URI=" + uri}), cli.WithIO(strings.NewReader(""), &out, &errOut))
		require.Equal(t, cli.ExitOK, code, "wfo %s:\n%s%s", strings.Join(args, " "), out.String(), errOut.String())
		return out.String()
	}
	require.Equal(t, "850dccac3b02\n", run("db", "current"))
	require.Contains(t, run("db", "history"),
		"93fc5834c7e5 -> 850dccac3b02 (schema) (current), Update description of resume workflows task.\n")

	run("db", "upgrade", "heads")
	require.Equal(t, "ca79fd834ba0 (head)\n", run("db", "current"))
	require.Equal(t, []string{"ca79fd834ba0"}, query(t, db, "SELECT version_num FROM alembic_version"))

	// The core tasks are tasks now, the two later ones included; the run recorded as a non-task stays so.
	require.Equal(t, []string{
		"modify_note false", "task_clean_up_tasks true", "task_resume_workflows true", "task_validate_awaiting_callbacks true",
		"task_validate_product_type true", "task_validate_products true", "task_validate_subscriptions true",
	}, query(t, db, "SELECT name || ' ' || is_task FROM workflows ORDER BY name"))
	require.Equal(t, []string{"false 10000 50000 true"}, query(t, db, `SELECT is_task || ' ' || length(failed_reason) || ' ' ||
		length(traceback) || ' ' || (traceback = repeat('b', 50000)) FROM processes`))
	require.Equal(t, []string{"NULL"}, query(t, db, "SELECT COALESCE(note, 'NULL') FROM subscriptions"))
	require.Equal(t, []string{"validate-products"}, query(t, db, "SELECT id FROM apscheduler_jobs"))
	require.Equal(t, []string{"0"}, query(t, db, "SELECT count(*)::text FROM workflows_apscheduler_jobs"))
	require.Equal(t, []string{"failed_reason character varying(10000)", "note character varying(5000)", "traceback character varying(50000)"},
		query(t, db, `SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'processes'::regclass
			AND attname IN ('failed_reason', 'traceback', 'note') ORDER BY attname`))
}

func query(t *testing.T, db *database.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}
