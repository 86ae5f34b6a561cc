package coremigration

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
)

// A database that an earlier wfo build left at its own 29bf76c597fe is recognised (as 961eddbd4c13, which
// replaces it) and brought onto the reference's chain.
func TestAdoptDatabaseAtRetiredRevision(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		db, m := open(t, target)
		restore(t, db, "wfo-29bf76c597fe."+target.Name+".sql")
		rows, err := m.Current(ctx)
		require.NoError(t, err)
		heads, err := m.Graph.CurrentHeads(rows)
		require.NoError(t, err)
		require.Equal(t, "961eddbd4c13", heads[0].ID)

		require.NoError(t, m.Upgrade(ctx, "heads"))
		rows, err = m.Current(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{SchemaHead}, rows)
		require.Equal(t, []string{"task_validate_subscriptions"},
			queryStrings(t, db, "SELECT name FROM workflows WHERE name = 'task_validate_subscriptions' AND is_task"))
		if db.Dialect == database.Postgres {
			require.Equal(t, []string{"apscheduler_jobs", "workflows_apscheduler_jobs"},
				queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname LIKE '%apscheduler_jobs' AND relkind = 'r' ORDER BY 1"))
		}
	})
}

// An application's data revisions load whatever core id their depends_on names: any of the reference's, and the
// retired 29bf76c597fe. A data branch on a database at the retired id upgrades too.
func TestDataRevisionsDependingOnCoreIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	// The root needs processes.workflow_id, which 048219045729 adds: it must run after that revision.
	write("2024-01-01_aaaaaaaaaaaa_create_data_head.sql", `-- Create data head.
-- wfo:revision aaaaaaaaaaaa
-- wfo:down_revision
-- wfo:branch_labels data
-- wfo:depends_on 048219045729

-- wfo:upgrade
CREATE INDEX data_processes_workflow ON processes (workflow_id);

-- wfo:downgrade
DROP INDEX data_processes_workflow;
`)
	write("2026-11-25_bbbbbbbbbbbb_add_a_task.sql", `-- Written by an earlier wfo build.
-- wfo:revision bbbbbbbbbbbb
-- wfo:down_revision aaaaaaaaaaaa
-- wfo:branch_labels
-- wfo:depends_on 29bf76c597fe

-- wfo:upgrade
UPDATE workflows SET description = 'Validate all subscriptions' WHERE name = 'task_validate_subscriptions';

-- wfo:downgrade
UPDATE workflows SET description = 'Validate subscriptions' WHERE name = 'task_validate_subscriptions';
`)
	data := migration.DirLocation(dir)
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		t.Run("fresh", func(t *testing.T) {
			_, m := open(t, dbtest.Target{Name: target.Name, URI: freshURI(t, target)}, data)
			require.NoError(t, m.Upgrade(ctx, "heads"))
			rows, err := m.Current(ctx)
			require.NoError(t, err)
			require.ElementsMatch(t, []string{"bbbbbbbbbbbb", SchemaHead}, rows)
		})
		t.Run("at the retired id", func(t *testing.T) {
			db, m := open(t, target, data)
			restore(t, db, "wfo-29bf76c597fe."+target.Name+".sql")
			_, err := db.ExecContext(ctx, "CREATE INDEX data_processes_workflow ON processes (workflow_id)")
			require.NoError(t, err)
			_, err = db.ExecContext(ctx, "UPDATE alembic_version SET version_num = 'bbbbbbbbbbbb'")
			require.NoError(t, err)
			require.NoError(t, m.Upgrade(ctx, "heads"))
			rows, err := m.Current(ctx)
			require.NoError(t, err)
			require.ElementsMatch(t, []string{"bbbbbbbbbbbb", SchemaHead}, rows)
			if db.Dialect == database.Postgres {
				require.Equal(t, []string{"workflows_apscheduler_jobs"},
					queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname = 'workflows_apscheduler_jobs'"))
			}
		})
	})
}

// freshURI gives a second empty database of the target's kind.
func freshURI(t *testing.T, target dbtest.Target) string {
	if target.Name == "postgres" {
		return dbtest.PostgresURL(t)
	}
	return dbtest.SQLiteURI(t)
}
