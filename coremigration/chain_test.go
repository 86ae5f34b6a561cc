package coremigration

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

var update = flag.Bool("update", false, "rewrite the golden catalogue files in testdata")

// referenceChain is orchestrator-core's schema branch from its root, each revision's down revision the one
// before it.
var referenceChain = []string{
	"c112305b07d3", "a76b9185b334", "3323bcb934e7", "3c8b9185c221", "6896a54e9483", "19cdd3ab86f6",
	"bed6bc0b197a", "e05bb1967eff", "b1970225392d", "a09ac125ea73", "165303a20fb1", "da5c9f4cce1c",
	"048219045729", "460ec6748e37", "4c5859620539", "4fjdn13f83ga", "bac6be6f2b4f", "42b3d076a85b",
	"fc5c993a4b4a", "68d14db1b8da", "161918133bec", "4b58e336d1bf", "93fc5834c7e5", "850dccac3b02",
	"961eddbd4c13", "9736496e3eba", "d69e10434a04", "aa1b92d0d07d", "fbc16e410bc6", "262744958e0c",
	"be3163f7c49d", "cab8b6a0ac92", "f4a7c9e21b08", "ca79fd834ba0",
}

func graph(t testing.TB, extra ...*migration.Location) *migration.Graph {
	t.Helper()
	g, err := (&migration.Project{Locations: append(extra, Location())}).Graph()
	require.NoError(t, err)
	return g
}

func TestChainIsTheReferences(t *testing.T) {
	t.Parallel()
	g := graph(t)
	require.Equal(t, len(referenceChain), g.Len())
	for i, id := range referenceChain {
		n, ok := g.Lookup(id)
		require.True(t, ok, id)
		var down []string
		if i > 0 {
			down = []string{referenceChain[i-1]}
		}
		require.Equal(t, down, n.DownRevisions, id)
		require.Empty(t, n.DependsOn, id)
		if i == 0 {
			require.Equal(t, []string{"schema"}, n.BranchLabels)
		} else {
			require.Empty(t, n.BranchLabels, id)
		}
	}
	require.Equal(t, Root, referenceChain[0])
	require.Equal(t, SchemaHead, referenceChain[len(referenceChain)-1])
	r, ok := g.Replacement("29bf76c597fe")
	require.True(t, ok)
	require.Equal(t, "961eddbd4c13", r.ID)
}

func open(t *testing.T, target dbtest.Target, extra ...*migration.Location) (*database.DB, *migration.Migrator) {
	t.Helper()
	loc, err := database.ParseURI(target.URI)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, &migration.Migrator{DB: db, Graph: graph(t, extra...)}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), got, "catalogue differs from %s", path)
}

// The catalogue at the 4.3.0 head and at the chain's head, on both databases.
func TestCatalogueAtReleaseHeads(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		db, m := open(t, target)
		require.NoError(t, m.Upgrade(ctx, "850dccac3b02"))
		golden(t, target.Name+"-850dccac3b02.golden", catalogue(ctx, t, db))
		require.NoError(t, m.Upgrade(ctx, "heads"))
		got := catalogue(ctx, t, db)
		if db.Dialect == database.SQLite {
			golden(t, "sqlite-"+SchemaHead+".golden", got)
			return
		}
		// The golden file holds what every server gets. Where the server has pgvector, the objects that need it
		// are there too: checked by name, then left out of the comparison.
		if len(queryStrings(t, db, "SELECT extname::text FROM pg_extension WHERE extname = 'vector'")) > 0 {
			require.Equal(t, []string{"ai_search_index", "search_queries"},
				queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname IN ('ai_search_index', 'search_queries') AND relkind = 'r' ORDER BY 1"))
			require.Equal(t, []string{"ai_search_paths_maintain_trg"},
				queryStrings(t, db, "SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'ai_search_index'::regclass AND NOT tgisinternal"))
			require.Equal(t, []string{"idx_ai_search_index_content_hash", "ix_ai_search_index_entity_id", "ix_flat_embed_hnsw",
				"ix_flat_path_btree", "ix_flat_path_gist", "ix_flat_value_trgm", "pk_ai_search_index"},
				queryStrings(t, db, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'ai_search_index' ORDER BY 1 COLLATE \"C\""))
			got = withoutPgvectorObjects(got)
		}
		golden(t, "postgres-"+SchemaHead+"-without-pgvector.golden", got)
	})
}

// withoutPgvectorObjects removes from a PostgreSQL catalogue the lines of the objects that exist only where the
// server has pgvector.
func withoutPgvectorObjects(catalogue string) string {
	var keep []string
	for _, line := range strings.Split(catalogue, "\n") {
		first, _, _ := strings.Cut(line, " | ")
		if line == "vector" || first == "ai_search_index" || first == "search_queries" {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// After db upgrade heads the version table holds the 5.3.0 head's id, and only that: wfo's own revisions are
// tracked in a table of their own.
func TestVersionTableAtTheHead(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		db, m := open(t, target)
		require.NoError(t, m.Upgrade(ctx, "heads"))
		require.NoError(t, SyncOwn(ctx, db, nil))
		require.Equal(t, []string{"ca79fd834ba0"}, queryStrings(t, db, "SELECT version_num FROM alembic_version"))
		require.Equal(t, "ca79fd834ba0", SchemaHead)
		own, err := OwnMigrator(db)
		require.NoError(t, err)
		ownHeads := own.Graph.Heads()
		require.Len(t, ownHeads, 1)
		require.Equal(t, []string{ownHeads[0].ID}, queryStrings(t, db, "SELECT version_num FROM "+OwnTable))
	})
}

// Every revision downgrades: down to base nothing of wfo's is left, and the chain applies again.
func TestDowngradeBaseLeavesAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		db, m := open(t, target)
		require.NoError(t, m.Upgrade(ctx, "heads"))
		require.NoError(t, SyncOwn(ctx, db, nil))
		require.Contains(t, leftovers(t, db), "table wfo_schedule_state")
		require.NoError(t, m.Downgrade(ctx, "base"))
		require.NoError(t, SyncOwn(ctx, db, nil))
		require.Empty(t, leftovers(t, db))
		require.NoError(t, m.Upgrade(ctx, "heads"))
		rows, err := m.Current(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{SchemaHead}, rows)
	})
}

// leftovers lists the objects in the database besides the version table and what extensions own.
func leftovers(t *testing.T, db *database.DB) []string {
	t.Helper()
	query := `SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'alembic_version'
		AND type IN ('table', 'index', 'view', 'trigger')`
	if db.Dialect == database.Postgres {
		query = `SELECT 'table ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relname NOT IN ('alembic_version', 'alembic_version_pkc')
			AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
			UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
			WHERE n.nspname = 'public' AND t.typtype IN ('e', 'c') AND t.typrelid = 0
			AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
			UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`
	}
	out := queryStrings(t, db, query)
	slices.Sort(out)
	return out
}

// restore runs a SQL fixture from testdata.
func restore(t *testing.T, db *database.DB, name string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	stmts, err := sqlsplit.Split(string(src), 0)
	require.NoError(t, err)
	for _, s := range stmts {
		_, err := db.ExecContext(t.Context(), s.SQL)
		require.NoError(t, err, "%s:%d", name, s.Line)
	}
}

func queryStrings(t *testing.T, db *database.DB, q string) []string {
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

// releaseHeads are the schema heads of orchestrator-core's final releases, oldest first: what alembic_version
// holds after db upgrade heads with each.
var releaseHeads = []string{
	"a76b9185b334", "3323bcb934e7", "3c8b9185c221", "6896a54e9483", "19cdd3ab86f6", "bed6bc0b197a", "e05bb1967eff",
	"b1970225392d", "a09ac125ea73", "165303a20fb1", "da5c9f4cce1c", "048219045729", "460ec6748e37", "4fjdn13f83ga",
	"bac6be6f2b4f", "fc5c993a4b4a", "161918133bec", "93fc5834c7e5", "850dccac3b02", "9736496e3eba", "d69e10434a04",
	"be3163f7c49d", "cab8b6a0ac92", "f4a7c9e21b08", "ca79fd834ba0",
}

// A database at each release's head is one wfo recognises (its row is that revision, current in the history) and
// upgrades from, on to the 5.3.0 head.
func TestEveryReleaseHeadIsRecognised(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := t.Context()
		_, m := open(t, target)
		for _, id := range releaseHeads {
			require.NoError(t, m.Upgrade(ctx, id))
			rows, err := m.Current(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{id}, rows)
			heads, err := m.Graph.CurrentHeads(rows)
			require.NoError(t, err)
			require.Len(t, heads, 1)
			require.Equal(t, id, heads[0].ID)
		}
		require.Equal(t, SchemaHead, releaseHeads[len(releaseHeads)-1])
	})
}
