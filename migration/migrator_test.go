package migration_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
)

// writeChain writes n revisions in a chain; each records its run in the table runs, so a test can count how often
// every revision ran.
func writeChain(t *testing.T, dir string, n int, dialect string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	down := ""
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("c0ffee%06d", i)
		up := fmt.Sprintf("CREATE TABLE t_%s (id INTEGER);\nINSERT INTO runs (rev) VALUES ('%s');", id, id)
		if i == 1 {
			up = "CREATE TABLE runs (rev VARCHAR(32) NOT NULL);\n" + up
		}
		if dialect == "postgres" {
			up += "\nSELECT pg_sleep(0.02);"
		}
		rev := migration.NewRevision{ID: id, Message: fmt.Sprintf("Step %d.", i), Upgrade: up, Downgrade: fmt.Sprintf("DROP TABLE t_%s;", id)}
		if down != "" {
			rev.DownRevisions = []string{down}
		} else {
			rev.BranchLabels = []string{"lab"}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, rev.FileName()), rev.Render(), 0o644))
		down = id
	}
}

func open(t *testing.T, uri string) *database.DB {
	t.Helper()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(context.Background(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConcurrentUpgrades starts several upgrades of one database at once, each with its own connection pool (as
// separate processes would), and checks that every revision ran exactly once and the version table is right.
func TestConcurrentUpgrades(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		dir := t.TempDir()
		const n = 20
		writeChain(t, dir, n, target.Name)
		project := &migration.Project{Locations: []*migration.Location{migration.DirLocation(dir)}}
		g, err := project.Graph()
		require.NoError(t, err)

		const workers = 3
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			db := open(t, target.URI)
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[w] = (&migration.Migrator{DB: db, Graph: g}).Upgrade(context.Background(), "heads")
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		db := open(t, target.URI)
		rows, err := db.Query("SELECT rev, COUNT(*) FROM runs GROUP BY rev")
		require.NoError(t, err)
		defer rows.Close()
		seen := 0
		for rows.Next() {
			var rev string
			var count int
			require.NoError(t, rows.Scan(&rev, &count))
			require.Equal(t, 1, count, "revision %s ran %d times", rev, count)
			seen++
		}
		require.NoError(t, rows.Err())
		require.Equal(t, n, seen)
		current, err := (&migration.Migrator{DB: db, Graph: g}).Current(context.Background())
		require.NoError(t, err)
		require.Equal(t, []string{fmt.Sprintf("c0ffee%06d", n)}, current)
	})
}

// TestFailingRevisionChangesNothing checks that a revision that fails half-way leaves the schema and the version
// table as they were before it, and that the error names the file, line and statement.
func TestFailingRevisionChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		dir := t.TempDir()
		first := migration.NewRevision{ID: "aaaa00000001", Message: "First.", Upgrade: "CREATE TABLE first (id INTEGER);"}
		second := migration.NewRevision{ID: "aaaa00000002", Message: "Second.", DownRevisions: []string{"aaaa00000001"},
			Upgrade: "CREATE TABLE half (id INTEGER);\nINSERT INTO half VALUES (1);\nINSERT INTO no_such_table VALUES (1);"}
		for _, r := range []migration.NewRevision{first, second} {
			require.NoError(t, os.WriteFile(filepath.Join(dir, r.FileName()), r.Render(), 0o644))
		}
		g, err := (&migration.Project{Locations: []*migration.Location{migration.DirLocation(dir)}}).Graph()
		require.NoError(t, err)
		db := open(t, target.URI)
		m := &migration.Migrator{DB: db, Graph: g}
		err = m.Upgrade(context.Background(), "heads")
		require.Error(t, err)
		require.Contains(t, err.Error(), "upgrade aaaa00000002 failed: ")
		require.Contains(t, err.Error(), second.FileName()+":15:")
		require.Contains(t, err.Error(), "statement: INSERT INTO no_such_table VALUES (1)")

		current, err := m.Current(context.Background())
		require.NoError(t, err)
		require.Equal(t, []string{"aaaa00000001"}, current)
		_, err = db.Exec("SELECT * FROM first")
		require.NoError(t, err)
		_, err = db.Exec("SELECT * FROM half")
		require.Error(t, err, "the failed revision's first statement must have been rolled back")
	})
}

// TestGoRevision runs a revision registered in Go between two SQL revisions.
func TestGoRevision(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		dir := t.TempDir()
		first := migration.NewRevision{ID: "aaaa00000001", Message: "First.", Upgrade: "CREATE TABLE items (name VARCHAR(20));", Downgrade: "DROP TABLE items;"}
		require.NoError(t, os.WriteFile(filepath.Join(dir, first.FileName()), first.Render(), 0o644))
		goRev := &migration.Revision{
			ID: "bbbb00000001", DownRevisions: []string{"aaaa00000001"}, Doc: "Fill items in Go.",
			Upgrade: func(ctx context.Context, tx migration.Tx) error {
				for _, name := range []string{"a", "b", tx.Dialect()} {
					if _, err := tx.ExecContext(ctx, "INSERT INTO items (name) VALUES ('"+name+"')"); err != nil {
						return err
					}
				}
				return nil
			},
			Downgrade: func(ctx context.Context, tx migration.Tx) error {
				_, err := tx.ExecContext(ctx, "DELETE FROM items")
				return err
			},
		}
		project := &migration.Project{Locations: []*migration.Location{migration.DirLocation(dir)}, GoRevisions: []*migration.Revision{goRev}}
		g, err := project.Graph()
		require.NoError(t, err)
		db := open(t, target.URI)
		m := &migration.Migrator{DB: db, Graph: g}
		require.NoError(t, m.Upgrade(context.Background(), "heads"))
		var count int
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM items").Scan(&count))
		require.Equal(t, 3, count)
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM items WHERE name = '"+target.Name+"'").Scan(&count))
		require.Equal(t, 1, count)
		require.NoError(t, m.Downgrade(context.Background(), "-1"))
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM items").Scan(&count))
		require.Equal(t, 0, count)
	})
}

// slowSQL takes a noticeable moment on each dialect.
func slowSQL(dialect string) string {
	if dialect == "postgres" {
		return "SELECT pg_sleep(0.3);"
	}
	return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c;"
}

// TestConcurrentUpgradesRunARevisionWithoutTransactionOnce starts several upgrades at once of a chain whose middle
// revision runs outside a transaction and is slow: it runs exactly once on both dialects.
func TestConcurrentUpgradesRunARevisionWithoutTransactionOnce(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		dir := t.TempDir()
		revs := []migration.NewRevision{
			{ID: "aaaa00000001", Message: "Runs table", Upgrade: "CREATE TABLE runs (rev VARCHAR(32) NOT NULL);"},
			{ID: "aaaa00000002", Message: "Slow, outside a transaction", DownRevisions: []string{"aaaa00000001"},
				Upgrade: slowSQL(target.Name) + "\nINSERT INTO runs (rev) VALUES ('aaaa00000002');"},
			{ID: "aaaa00000003", Message: "After", DownRevisions: []string{"aaaa00000002"}, Upgrade: "INSERT INTO runs (rev) VALUES ('aaaa00000003');"},
		}
		for _, r := range revs {
			text := r.Render()
			if r.ID == "aaaa00000002" {
				text = []byte(strings.Replace(string(text), "-- wfo:depends_on\n", "-- wfo:depends_on\n-- wfo:transaction none\n", 1))
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, r.FileName()), text, 0o644))
		}
		g, err := (&migration.Project{Locations: []*migration.Location{migration.DirLocation(dir)}}).Graph()
		require.NoError(t, err)
		n, _ := g.Lookup("aaaa00000002")
		require.True(t, n.NoTransaction)

		const workers = 3
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			db := open(t, target.URI)
			wg.Go(func() { errs[w] = (&migration.Migrator{DB: db, Graph: g}).Upgrade(context.Background(), "heads") })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		db := open(t, target.URI)
		var count int
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM runs WHERE rev = 'aaaa00000002'").Scan(&count))
		require.Equal(t, 1, count)
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&count))
		require.Equal(t, 2, count)
	})
}

// TestStampWaitsForARunningUpgrade stamps heads while an upgrade is half-way: the stamp waits for the upgrade's
// migration lock, so every revision the version table records has run.
func TestStampWaitsForARunningUpgrade(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		dir := t.TempDir()
		const n = 6
		require.NoError(t, os.MkdirAll(dir, 0o755))
		down := ""
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("bbbb%08d", i)
			up := slowSQL(target.Name) + fmt.Sprintf("\nINSERT INTO runs (rev) VALUES ('%s');", id)
			if i == 1 {
				up = "CREATE TABLE runs (rev VARCHAR(32) NOT NULL);\n" + up
			}
			r := migration.NewRevision{ID: id, Message: "Step", Upgrade: up}
			if down != "" {
				r.DownRevisions = []string{down}
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, r.FileName()), r.Render(), 0o644))
			down = id
		}
		g, err := (&migration.Project{Locations: []*migration.Location{migration.DirLocation(dir)}}).Graph()
		require.NoError(t, err)
		upgraded := make(chan error, 1)
		upDB := open(t, target.URI)
		go func() { upgraded <- (&migration.Migrator{DB: upDB, Graph: g}).Upgrade(context.Background(), "heads") }()

		db := open(t, target.URI)
		for {
			var count int
			if db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&count) == nil && count > 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		require.NoError(t, (&migration.Migrator{DB: db, Graph: g}).Stamp(context.Background(), "heads"))
		require.NoError(t, <-upgraded)
		var count int
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&count))
		require.Equal(t, n, count, "every revision recorded has run")
	})
}
