package coremigration

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
)

// On a PostgreSQL server without pgvector, the two AI-search revisions create everything that does not need it,
// skip the rest with one notice line each, and are recorded: the chain reaches the 5.3.0 head. Not parallel: it
// hides pgvector from the revisions by a package variable.
func TestAISearchWithoutPgvector(t *testing.T) {
	var notices []string
	savedNotice, savedWithout := notice, withoutVector
	notice, withoutVector = func(msg string) { notices = append(notices, msg) }, true
	t.Cleanup(func() { notice, withoutVector = savedNotice, savedWithout })

	target := dbtest.Target{Name: "postgres", URI: dbtest.PostgresURL(t)}
	ctx := t.Context()
	db, m := open(t, target)
	require.NoError(t, m.Upgrade(ctx, "heads"))
	require.Equal(t, []string{
		"262744958e0c: the server has no pgvector (extension vector): ai_search_index and search_queries are not created",
		"ca79fd834ba0: there is no ai_search_index (no pgvector on the server): its trigger ai_search_paths_maintain_trg is not created",
	}, notices)
	rows, err := m.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{SchemaHead}, rows)
	require.Equal(t, []string{"agent_runs", "ai_search_paths", "graph_snapshots"},
		queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname IN ('agent_runs', 'ai_search_index', 'ai_search_paths', 'graph_snapshots', 'search_queries') AND relkind = 'r' ORDER BY 1"))
	require.Equal(t, []string{"ai_search_paths_maintain"}, queryStrings(t, db, "SELECT proname::text FROM pg_proc WHERE proname = 'ai_search_paths_maintain'"))

	// Down and up again: the downgrade of ca79fd834ba0 copes with the missing ai_search_index.
	require.NoError(t, m.Downgrade(ctx, "be3163f7c49d"))
	require.Empty(t, queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname = 'ai_search_paths'"))
	require.NoError(t, m.Upgrade(ctx, "heads"))
}

// ai_search_paths counts the distinct (entity_type, path, value_type) of ai_search_index: the rows there when
// ca79fd834ba0 runs, then every insert, delete and key change through its trigger. Without pgvector the test
// stands in an ai_search_index without the vector column, which is all the trigger reads.
func TestAISearchPathsCounts(t *testing.T) {
	target := dbtest.Target{Name: "postgres", URI: dbtest.PostgresURL(t)}
	ctx := t.Context()
	db, m := open(t, target)
	require.NoError(t, m.Upgrade(ctx, "f4a7c9e21b08"))
	exec := func(q string) {
		t.Helper()
		_, err := db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	if len(queryStrings(t, db, "SELECT relname::text FROM pg_class WHERE relname = 'ai_search_index'")) == 0 {
		exec(`CREATE TABLE ai_search_index (entity_type text NOT NULL, entity_id uuid NOT NULL, path ltree NOT NULL,
			value text NOT NULL, content_hash varchar(64) NOT NULL, value_type field_type NOT NULL, PRIMARY KEY (entity_id, path))`)
	}
	exec(`INSERT INTO ai_search_index (entity_type, entity_id, path, value, value_type, content_hash) SELECT 'SUBSCRIPTION', gen_random_uuid(),
		'subscription.name', 'x', 'string', 'h' FROM generate_series(1, 3)`)
	require.NoError(t, m.Upgrade(ctx, "heads"))
	counts := func() []string {
		return queryStrings(t, db, "SELECT entity_type || ' ' || path::text || ' ' || value_type::text || ' ' || refcount FROM ai_search_paths ORDER BY 1")
	}
	require.Equal(t, []string{"SUBSCRIPTION subscription.name string 3"}, counts())
	exec(`INSERT INTO ai_search_index (entity_type, entity_id, path, value, value_type, content_hash) VALUES
		('SUBSCRIPTION', gen_random_uuid(), 'subscription.port.speed', '10', 'integer', 'h')`)
	require.Equal(t, []string{"SUBSCRIPTION subscription.name string 3", "SUBSCRIPTION subscription.port.speed integer 1"}, counts())
	exec(`UPDATE ai_search_index SET value = 'y' WHERE path = 'subscription.name'`) // same key: no change
	require.Equal(t, []string{"SUBSCRIPTION subscription.name string 3", "SUBSCRIPTION subscription.port.speed integer 1"}, counts())
	exec(`UPDATE ai_search_index SET path = 'subscription.port.speed', value_type = 'integer' WHERE entity_id = (SELECT entity_id FROM ai_search_index WHERE path = 'subscription.name' LIMIT 1)`)
	require.Equal(t, []string{"SUBSCRIPTION subscription.name string 2", "SUBSCRIPTION subscription.port.speed integer 2"}, counts())
	exec(`DELETE FROM ai_search_index WHERE path = 'subscription.name'`)
	require.Equal(t, []string{"SUBSCRIPTION subscription.port.speed integer 2"}, counts())
}
