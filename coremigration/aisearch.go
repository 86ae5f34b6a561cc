package coremigration

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"

	"github.com/wfo-go/wfo/migration"
)

// The reference's AI-search revisions need PostgreSQL extensions that not every server has: the vector type
// comes from pgvector, which Debian's PostgreSQL does not package. They are written in Go so that they can look
// at the server first: what needs a missing extension is skipped with a one-line notice, everything else is
// created, and the revision is recorded either way. On SQLite they do nothing.

// aiSearchTables is 262744958e0c: the extensions, the enum field_type and the tables of the reference's search
// index and agent runs.
var aiSearchTables = &migration.Revision{
	ID:            "262744958e0c",
	DownRevisions: []string{"fbc16e410bc6"},
	Doc: "Add AI search tables (from llm_migration.py).\n\n" +
		"Creates the extensions ltree, unaccent, pg_trgm and vector, the enum field_type, the search index\n" +
		"ai_search_index, and agent_runs, search_queries and graph_snapshots, or adopts them where the reference's\n" +
		"application created them at start-up. Without pgvector on the server, ai_search_index and search_queries\n" +
		"(which hold vectors) are skipped with a notice. EMBEDDING_DIMENSION (100 to 2000, default 1536) sizes the\n" +
		"vectors. SQLite: nothing.",
	CreateDate: "2026-04-13 00:00:00.000000",
	Path:       "wfo:coremigration/aisearch.go",
	Upgrade:    upgradeAISearchTables,
	Downgrade: postgresOnly(
		"DROP TABLE IF EXISTS graph_snapshots CASCADE",
		"DROP TABLE IF EXISTS search_queries CASCADE",
		"DROP TABLE IF EXISTS agent_runs CASCADE",
		"DROP TABLE IF EXISTS ai_search_index CASCADE",
		"DROP TYPE IF EXISTS field_type",
	),
}

// aiSearchPaths is ca79fd834ba0, the head of orchestrator-core 5.1.3 to 5.3.0: the distinct paths of the search
// index, counted by a trigger.
var aiSearchPaths = &migration.Revision{
	ID:            "ca79fd834ba0",
	DownRevisions: []string{"f4a7c9e21b08"},
	Doc: "Add ai_search_paths distinct-paths table maintained by a refcount trigger.\n\n" +
		"The head of orchestrator-core 5.1.3 to 5.3.0. Creates ai_search_paths and the function\n" +
		"ai_search_paths_maintain(), whose trigger on ai_search_index keeps one row per distinct (entity_type, path,\n" +
		"value_type) with its count; the rows already indexed are counted once. Without ai_search_index (no\n" +
		"pgvector) the trigger and the count are skipped with a notice. SQLite: nothing.",
	CreateDate: "2026-07-15 00:00:00.000000",
	Path:       "wfo:coremigration/aisearch.go",
	Upgrade:    upgradeAISearchPaths,
	Downgrade: func(ctx context.Context, tx migration.Tx) error {
		if tx.Dialect() != "postgres" {
			return nil
		}
		if ok, err := relationExists(ctx, tx, "ai_search_index"); err != nil {
			return err
		} else if ok {
			if err := execAll(ctx, tx, "DROP TRIGGER IF EXISTS ai_search_paths_maintain_trg ON ai_search_index"); err != nil {
				return err
			}
		}
		return execAll(ctx, tx, "DROP FUNCTION IF EXISTS ai_search_paths_maintain()", "DROP TABLE IF EXISTS ai_search_paths")
	},
}

// Revisions returns the core revisions written in Go; the rest are the files in Versions.
func Revisions() []*migration.Revision {
	return []*migration.Revision{aiSearchTables, aiSearchPaths}
}

// notice reports an object left out for lack of a server extension.
var notice = func(msg string) { slog.Warn(msg) }

func upgradeAISearchTables(ctx context.Context, tx migration.Tx) error {
	if tx.Dialect() != "postgres" {
		return nil
	}
	dim, err := embeddingDimension()
	if err != nil {
		return err
	}
	available, err := availableExtensions(ctx, tx)
	if err != nil {
		return err
	}
	for _, ext := range []string{"uuid-ossp", "ltree", "unaccent", "pg_trgm"} {
		if !available[ext] {
			return fmt.Errorf("coremigration: 262744958e0c needs the PostgreSQL extension %s, which the server does not offer (install PostgreSQL's contrib modules)", ext)
		}
		if err := execAll(ctx, tx, fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %q", ext)); err != nil {
			return err
		}
	}
	vector := available["vector"]
	if vector {
		if err := execAll(ctx, tx, "CREATE EXTENSION IF NOT EXISTS vector"); err != nil {
			return err
		}
	}
	if err := execAll(ctx, tx, `DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'field_type') THEN
        CREATE TYPE field_type AS ENUM ('string', 'integer', 'float', 'boolean', 'datetime', 'uuid', 'block', 'resource_type');
    END IF;
END
$$`); err != nil {
		return err
	}
	if vector {
		if err := execAll(ctx, tx,
			fmt.Sprintf(`CREATE TABLE IF NOT EXISTS ai_search_index (
    entity_type  text        NOT NULL,
    entity_id    uuid        NOT NULL,
    entity_title text,
    path         ltree       NOT NULL,
    value        text        NOT NULL,
    embedding    vector(%d),
    content_hash varchar(64) NOT NULL,
    value_type   field_type  DEFAULT 'string' NOT NULL,
    CONSTRAINT pk_ai_search_index PRIMARY KEY (entity_id, path)
)`, dim),
			"ALTER TABLE ai_search_index ALTER COLUMN value_type DROP DEFAULT",
			"ALTER TABLE ai_search_index ADD COLUMN IF NOT EXISTS entity_title text",
			"CREATE INDEX IF NOT EXISTS ix_ai_search_index_entity_id ON ai_search_index (entity_id)",
			"CREATE INDEX IF NOT EXISTS idx_ai_search_index_content_hash ON ai_search_index (content_hash)",
			"CREATE INDEX IF NOT EXISTS ix_flat_path_gist ON ai_search_index USING gist (path gist_ltree_ops)",
			"CREATE INDEX IF NOT EXISTS ix_flat_path_btree ON ai_search_index (path)",
			"CREATE INDEX IF NOT EXISTS ix_flat_value_trgm ON ai_search_index USING gin (value gin_trgm_ops)",
			"CREATE INDEX IF NOT EXISTS ix_flat_embed_hnsw ON ai_search_index USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64)",
		); err != nil {
			return err
		}
	}
	if err := execAll(ctx, tx,
		`CREATE TABLE IF NOT EXISTS agent_runs (
    run_id     uuid        DEFAULT uuid_generate_v4() NOT NULL,
    agent_type varchar(50) NOT NULL,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT agent_runs_pkey PRIMARY KEY (run_id)
)`,
		"CREATE INDEX IF NOT EXISTS ix_agent_runs_created_at ON agent_runs (created_at)",
		`DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'agent_runs' AND column_name = 'thread_id') THEN
        ALTER TABLE agent_runs ADD COLUMN thread_id varchar(255);
        UPDATE agent_runs SET thread_id = run_id::text;
        ALTER TABLE agent_runs ALTER COLUMN thread_id SET NOT NULL;
    END IF;
END
$$`,
		"CREATE INDEX IF NOT EXISTS ix_agent_runs_thread_id ON agent_runs (thread_id)",
	); err != nil {
		return err
	}
	if vector {
		if err := execAll(ctx, tx,
			fmt.Sprintf(`CREATE TABLE IF NOT EXISTS search_queries (
    query_id        uuid        DEFAULT uuid_generate_v4() NOT NULL,
    run_id          uuid,
    query_number    integer     NOT NULL,
    parameters      jsonb       NOT NULL,
    query_embedding vector(%d),
    executed_at     timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT search_queries_pkey PRIMARY KEY (query_id),
    CONSTRAINT fk_search_queries_run_id FOREIGN KEY (run_id) REFERENCES agent_runs (run_id) ON DELETE CASCADE
)`, dim),
			"CREATE INDEX IF NOT EXISTS ix_search_queries_run_id ON search_queries (run_id)",
			"CREATE INDEX IF NOT EXISTS ix_search_queries_executed_at ON search_queries (executed_at)",
			"CREATE INDEX IF NOT EXISTS ix_search_queries_query_id ON search_queries (query_id)",
		); err != nil {
			return err
		}
	} else {
		notice("262744958e0c: the server has no pgvector (extension vector): ai_search_index and search_queries are not created")
	}
	return execAll(ctx, tx,
		`CREATE TABLE IF NOT EXISTS graph_snapshots (
    snapshot_id     uuid        DEFAULT uuid_generate_v4() NOT NULL,
    run_id          uuid        NOT NULL,
    sequence_number integer     NOT NULL,
    snapshot_data   jsonb       NOT NULL,
    created_at      timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT graph_snapshots_pkey PRIMARY KEY (snapshot_id),
    CONSTRAINT fk_graph_snapshots_run_id FOREIGN KEY (run_id) REFERENCES agent_runs (run_id) ON DELETE CASCADE,
    CONSTRAINT uq_graph_snapshots_run_sequence UNIQUE (run_id, sequence_number)
)`,
		"CREATE INDEX IF NOT EXISTS ix_graph_snapshots_run_id_sequence ON graph_snapshots (run_id, sequence_number)",
	)
}

func upgradeAISearchPaths(ctx context.Context, tx migration.Tx) error {
	if tx.Dialect() != "postgres" {
		return nil
	}
	if err := execAll(ctx, tx,
		`CREATE TABLE IF NOT EXISTS ai_search_paths (
    entity_type text       NOT NULL,
    path        ltree      NOT NULL,
    value_type  field_type NOT NULL,
    refcount    integer    NOT NULL,
    CONSTRAINT pk_ai_search_paths PRIMARY KEY (entity_type, path, value_type)
)`,
		`CREATE OR REPLACE FUNCTION ai_search_paths_maintain() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND (TG_OP = 'DELETE' OR (OLD.entity_type, OLD.path, OLD.value_type)
            IS DISTINCT FROM (NEW.entity_type, NEW.path, NEW.value_type)) THEN
        UPDATE ai_search_paths SET refcount = refcount - 1
        WHERE entity_type = OLD.entity_type AND path = OLD.path AND value_type = OLD.value_type;
        DELETE FROM ai_search_paths
        WHERE entity_type = OLD.entity_type AND path = OLD.path AND value_type = OLD.value_type AND refcount <= 0;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.entity_type, OLD.path, OLD.value_type)
            IS DISTINCT FROM (NEW.entity_type, NEW.path, NEW.value_type)) THEN
        INSERT INTO ai_search_paths (entity_type, path, value_type, refcount)
        VALUES (NEW.entity_type, NEW.path, NEW.value_type, 1)
        ON CONFLICT (entity_type, path, value_type) DO UPDATE SET refcount = ai_search_paths.refcount + 1;
    END IF;
    RETURN NULL;
END;
$$`,
	); err != nil {
		return err
	}
	ok, err := relationExists(ctx, tx, "ai_search_index")
	if err != nil {
		return err
	}
	if !ok {
		notice("ca79fd834ba0: there is no ai_search_index (no pgvector on the server): its trigger ai_search_paths_maintain_trg is not created")
		return nil
	}
	return execAll(ctx, tx,
		"DROP TRIGGER IF EXISTS ai_search_paths_maintain_trg ON ai_search_index",
		`CREATE TRIGGER ai_search_paths_maintain_trg
    AFTER INSERT OR UPDATE OR DELETE ON ai_search_index
    FOR EACH ROW EXECUTE FUNCTION ai_search_paths_maintain()`,
		`INSERT INTO ai_search_paths (entity_type, path, value_type, refcount)
SELECT entity_type, path, value_type, count(*) FROM ai_search_index GROUP BY entity_type, path, value_type
ON CONFLICT DO NOTHING`,
	)
}

// embeddingDimension reads EMBEDDING_DIMENSION as the reference does: 1536 unless set, 100 to 2000.
func embeddingDimension() (int, error) {
	s := os.Getenv("EMBEDDING_DIMENSION")
	if s == "" {
		return 1536, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 || n > 2000 {
		return 0, fmt.Errorf("coremigration: EMBEDDING_DIMENSION=%q: want a whole number from 100 to 2000", s)
	}
	return n, nil
}

// availableExtensions returns the extensions the server can install (or has installed).
func availableExtensions(ctx context.Context, tx migration.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pg_available_extensions")
	if err != nil {
		return nil, fmt.Errorf("coremigration: listing the server's extensions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("coremigration: listing the server's extensions: %w", err)
		}
		out[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coremigration: listing the server's extensions: %w", err)
	}
	if withoutVector {
		delete(out, "vector")
	}
	return out, nil
}

// withoutVector makes the server look as if it had no pgvector; tests set it to cover both paths on one server.
var withoutVector = false

func relationExists(ctx context.Context, tx migration.Tx, name string) (bool, error) {
	var ok bool
	if err := tx.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok); err != nil {
		return false, fmt.Errorf("coremigration: looking for %s: %w", name, err)
	}
	return ok, nil
}

func execAll(ctx context.Context, tx migration.Tx, stmts ...string) error {
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("coremigration: %w; statement: %.120s", err, s)
		}
	}
	return nil
}

func postgresOnly(stmts ...string) func(context.Context, migration.Tx) error {
	return func(ctx context.Context, tx migration.Tx) error {
		if tx.Dialect() != "postgres" {
			return nil
		}
		return execAll(ctx, tx, stmts...)
	}
}
