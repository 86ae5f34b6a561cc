package workflowmigration_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/migration/sqlsplit"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowmigration"
	"github.com/wfo-go/wfo/workflowtest"
)

func run(t *testing.T, db *database.DB, script string) {
	t.Helper()
	stmts, err := sqlsplit.Split(script, 0)
	require.NoError(t, err)
	for _, s := range stmts {
		_, err := db.ExecContext(context.Background(), s.SQL)
		require.NoError(t, err, s.SQL)
	}
}

func one(t *testing.T, db *database.DB, q string, args ...any) string {
	t.Helper()
	var s string
	require.NoError(t, db.QueryRow(q, args...).Scan(&s))
	return s
}

// The generated SQL runs on both dialects; deleting a workflow that processes ran keeps its row, marked deleted,
// and adding it again brings it back; a quote in a description is escaped.
func TestPlanSQL(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := workflowtest.OpenDB(t, target.URI, nil, nil)
		run(t, db, "INSERT INTO products (name, description, product_type, tag, status) VALUES ('A1', 'a', 'A', 'A', 'active'), ('A2', 'a', 'A', 'A', 'active'), ('B1', 'b', 'B', 'B', 'active')")
		add := &workflowmigration.Plan{Add: []workflowmigration.Entry{
			{Name: "create_a", Target: workflow.TargetCreate, Description: "Create 'A'", ProductTypes: []string{"A", "B"}},
		}}
		up, down := add.SQL()
		run(t, db, up)
		require.Equal(t, "3", one(t, db, "SELECT count(*) FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE w.name = 'create_a'"))
		require.Equal(t, "Create 'A'", one(t, db, "SELECT description FROM workflows WHERE name = 'create_a'"))
		run(t, db, up) // idempotent
		run(t, db, "INSERT INTO processes (pid, workflow_id, last_status) SELECT '"+uuid.NewString()+"', workflow_id, 'completed' FROM workflows WHERE name = 'create_a'")

		del := &workflowmigration.Plan{Delete: []workflowmigration.Entry{
			{Name: "create_a", Target: workflow.TargetCreate, Description: "Create 'A'", ProductTypes: []string{"A", "B"}, Exists: true},
		}}
		delUp, delDown := del.SQL()
		run(t, db, delUp)
		require.Equal(t, "1", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'create_a' AND deleted_at IS NOT NULL"))
		require.Equal(t, "0", one(t, db, "SELECT count(*) FROM products_workflows"))
		run(t, db, delDown)
		require.Equal(t, "1", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'create_a' AND deleted_at IS NULL"))
		require.Equal(t, "3", one(t, db, "SELECT count(*) FROM products_workflows"))

		// The downgrade of the first plan: soft deletion again, as processes ran it.
		run(t, db, down)
		require.Equal(t, "1", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'create_a' AND deleted_at IS NOT NULL"))

		// Linking an existing workflow to a further product type; its downgrade only unlinks.
		run(t, db, "INSERT INTO workflows (name, target, description) VALUES ('modify_a', 'MODIFY', 'Modify A')")
		run(t, db, "INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id FROM products p, workflows w WHERE p.product_type = 'A' AND w.name = 'modify_a'")
		link := &workflowmigration.Plan{Add: []workflowmigration.Entry{{Name: "modify_a", Target: workflow.TargetModify, Description: "Modify A", ProductTypes: []string{"B"}, Exists: true}}}
		up, down = link.SQL()
		run(t, db, up)
		require.Equal(t, "3", one(t, db, "SELECT count(*) FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE w.name = 'modify_a'"))
		run(t, db, down)
		require.Equal(t, "2", one(t, db, "SELECT count(*) FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE w.name = 'modify_a'"))
		require.Equal(t, "1", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'modify_a' AND deleted_at IS NULL"))

		// Tasks keep their target; a row not marked as a task becomes one, and goes back on downgrade.
		tasks := &workflowmigration.Plan{Kind: workflowmigration.Tasks, Add: []workflowmigration.Entry{
			{Name: "task_v", Target: workflow.TargetValidate, Description: "V"},
			{Name: "modify_a", Target: workflow.TargetModify, Description: "Modify A", Exists: true},
		}}
		up, down = tasks.SQL()
		run(t, db, up)
		require.Equal(t, "VALIDATE", one(t, db, "SELECT target FROM workflows WHERE name = 'task_v' AND is_task"))
		require.Equal(t, "1", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'modify_a' AND is_task"))
		run(t, db, down)
		require.Equal(t, "0", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'task_v'"))
		require.Equal(t, "0", one(t, db, "SELECT count(*) FROM workflows WHERE name = 'modify_a' AND is_task"))
	})
}

// TestCommentsAreSanitised feeds names, targets and product types read from a database that carry line breaks
// and SQL: the comments stay one line each and the revision runs exactly the statements a plain plan runs.
func TestCommentsAreSanitised(t *testing.T) {
	t.Parallel()
	for _, evil := range []string{"A\nDELETE FROM workflows; --", "A\rDELETE FROM workflows; --", "A\u2028DELETE FROM workflows", "A\n-- wfo:downgrade"} {
		plain := &workflowmigration.Plan{Add: []workflowmigration.Entry{{Name: "create_a", Target: workflow.TargetCreate, ProductTypes: []string{"A"}}},
			Delete: []workflowmigration.Entry{{Name: "old", Target: workflow.TargetModify, ProductTypes: []string{"A"}}}}
		hostile := &workflowmigration.Plan{Add: []workflowmigration.Entry{{Name: "create_a\n" + evil, Target: workflow.Target(evil), ProductTypes: []string{evil}}},
			Delete: []workflowmigration.Entry{{Name: "old" + evil, Target: workflow.TargetModify, ProductTypes: []string{evil}}}}
		plainUp, plainDown := plain.SQL()
		up, down := hostile.SQL()
		for _, pair := range [][2]string{{plainUp, up}, {plainDown, down}} {
			want, err := sqlsplit.Split(pair[0], 0)
			require.NoError(t, err)
			got, err := sqlsplit.Split(pair[1], 0)
			require.NoError(t, err)
			require.Len(t, got, len(want), "%q:\n%s", evil, pair[1])
			for _, line := range strings.Split(pair[1], "\n") {
				if strings.HasPrefix(line, "--") {
					require.NotContains(t, line, "\r")
					require.NotContains(t, line, "\u2028")
				}
			}
		}
		// Written as a revision, the file runs the same statements, or is refused when a quoted value would read
		// as a directive.
		project := &migration.Project{Locations: []*migration.Location{migration.DirLocation(t.TempDir())}}
		paths, err := hostile.Write(project, "hostile")
		if strings.Contains(evil, "wfo:") {
			require.ErrorContains(t, err, "would read as a wfo directive")
			continue
		}
		require.NoError(t, err)
		g, err := project.Graph()
		require.NoError(t, err)
		n, ok := g.Lookup(strings.Split(filepath.Base(paths[1]), "_")[1])
		require.True(t, ok)
		stmts, err := migration.Statements(n.Revision, "upgrade", "postgres")
		require.NoError(t, err)
		want, _ := sqlsplit.Split(plainUp, 0)
		require.Len(t, stmts, len(want))
	}
}
