package coremigration

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/wfo-go/wfo/database"
)

// catalogue describes a database for golden comparison: every object of the public schema with what the
// reference fixes about it (types, nullability, defaults, keys, indexes, function signatures, triggers), and the
// rows the core revisions insert without generated ids and times. Function bodies and view queries are left out:
// the spec describes their effect, not their text. It reads through a connection of its own: after a migration,
// statements the pool has prepared may no longer fit the tables.
func catalogue(ctx context.Context, t testing.TB, migrated *database.DB) string {
	t.Helper()
	db, err := database.Open(ctx, migrated.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	section := func(title string, query string) {
		t.Helper()
		fmt.Fprintf(&b, "# %s\n", title)
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = "NULL"
				if v.Valid {
					parts[i] = v.String
				}
			}
			fmt.Fprintln(&b, strings.Join(parts, " | "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n")
	}
	if db.Dialect == database.Postgres {
		for _, s := range postgresCatalogue {
			section(s[0], s[1])
		}
	} else {
		for _, s := range sqliteCatalogue {
			section(s[0], s[1])
		}
	}
	section("workflows", `SELECT name, target, description, is_task, deleted_at IS NULL AS live FROM workflows ORDER BY name`)
	section("engine_settings", `SELECT * FROM engine_settings`)
	return b.String()
}

// Objects that extensions own (uuid-ossp's functions, ltree's types, ...) are not wfo's and are left out.
const notFromExtension = ` NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')`

var postgresCatalogue = [][2]string{
	{"extensions", `SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`},
	{"enums", `SELECT t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
		FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY 1`},
	{"relations", `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') AND c.relname <> 'alembic_version'
		AND` + fmt.Sprintf(notFromExtension, "c.oid") + ` ORDER BY 1`},
	{"columns", `SELECT c.relname, row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum), a.attname,
			format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END,
			pg_get_expr(ad.adbin, ad.adrelid)
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
		AND c.relname <> 'alembic_version' AND` + fmt.Sprintf(notFromExtension, "c.oid") + `
		ORDER BY c.relname, a.attnum`},
	{"constraints", `SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relname <> 'alembic_version' ORDER BY 1, 2`},
	{"indexes", `SELECT tablename, indexname, indexdef FROM pg_indexes
		WHERE schemaname = 'public' AND tablename <> 'alembic_version' ORDER BY 1, 2`},
	{"functions", `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
			pg_get_function_result(p.oid), l.lanname, p.provolatile, p.proparallel
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
		WHERE n.nspname = 'public' AND` + fmt.Sprintf(notFromExtension, "p.oid") + ` ORDER BY 1`},
	{"triggers", `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1, 2`},
}

var sqliteCatalogue = [][2]string{
	{"tables", `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name <> 'alembic_version' ORDER BY 1`},
	{"columns", `SELECT m.name, p.cid + 1, p.name, p.type, CASE WHEN p.[notnull] THEN 'NOT NULL' ELSE 'NULL' END,
			CASE WHEN p.dflt_value LIKE '%randomblob%' THEN 'random uuid' ELSE p.dflt_value END, p.pk
		FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'alembic_version' ORDER BY m.name, p.cid`},
	{"foreign keys", `SELECT m.name, f."from", f."table", f."to", f.on_delete
		FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`},
	{"indexes", `SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name <> 'alembic_version'
		ORDER BY 1, 2`},
	{"triggers", `SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1, 2`},
}
