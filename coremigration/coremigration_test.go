package coremigration

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

const coreSchemaFile = "versions/2025-07-28_850dccac3b02_core_schema.sql"

// TestCoreSchemaSQLite runs the SQLite sections of the core schema revision: upgrade, downgrade, upgrade.
func TestCoreSchemaSQLite(t *testing.T) {
	t.Parallel()
	src, err := fs.ReadFile(Versions, coreSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	file := string(src)
	if !strings.Contains(file, "\n-- wfo:revision "+CoreSchema+"\n") {
		t.Fatalf("%s: no wfo:revision %s directive", coreSchemaFile, CoreSchema)
	}
	for _, name := range []string{"upgrade postgres", "downgrade postgres", "upgrade sqlite", "downgrade sqlite"} {
		if strings.TrimSpace(section(file, name)) == "" {
			t.Fatalf("section %q is missing or empty", name)
		}
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "core.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)

	run := func(name string) { // in one transaction, as wfo:transaction per-revision does
		t.Helper()
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range splitSQL(section(file, name)) {
			if _, err := tx.Exec(stmt); err != nil {
				tx.Rollback()
				t.Fatalf("%s: %v\n%s", name, err, stmt)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	query := func(q string) []string {
		t.Helper()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	exec := func(q string) error {
		_, err := db.Exec(q)
		return err
	}
	check := func(q string, want ...string) {
		t.Helper()
		if got := query(q); !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %q\nwant %q", q, got, want)
		}
	}
	const objects = `SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'trigger') ORDER BY type, name`
	wantObjects := []string{
		"table engine_settings", "table fixed_inputs", "table input_states", "table process_steps", "table processes",
		"table processes_subscriptions", "table product_block_relations", "table product_block_resource_types",
		"table product_blocks", "table product_product_blocks", "table products", "table products_workflows",
		"table resource_types", "table subscription_customer_descriptions", "table subscription_instance_relations",
		"table subscription_instance_values", "table subscription_instances", "table subscription_metadata",
		"table subscriptions", "table workflows",
		"trigger subscription_customer_descriptions_increment_version_trigger",
		"trigger subscriptions_increment_version_trigger",
	}
	wantWorkflows := []string{
		"modify_note MODIFY 0 Modify Note",
		"task_clean_up_tasks SYSTEM 1 Clean up old tasks",
		"task_resume_workflows SYSTEM 1 Resume all workflows that are stuck on tasks with the status 'waiting', 'created' or 'resumed'",
		"task_validate_product_type SYSTEM 1 Validate all subscriptions of Product Type",
		"task_validate_products SYSTEM 1 Validate products",
	}
	const workflows = `SELECT name || ' ' || target || ' ' || is_task || ' ' || description FROM workflows ORDER BY name`

	run("upgrade sqlite")
	check(objects, wantObjects...)
	check(workflows, wantWorkflows...)
	check(`SELECT global_lock || ' ' || running_processes FROM engine_settings`, "0 0")
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, id := range query(`SELECT workflow_id FROM workflows`) {
		if !uuid.MatchString(id) {
			t.Errorf("default workflow_id %q is not a lower-case v4 UUID", id)
		}
	}
	check(`SELECT created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+00:00' FROM workflows LIMIT 1`, "1")

	// Every UPDATE bumps version, foreign keys are enforced, and the cascades follow the reference.
	for _, stmt := range []string{
		`INSERT INTO products (product_id, name, description, product_type, tag, status) VALUES ('p', 'P', 'P', 'T', 'T', 'active')`,
		`INSERT INTO product_blocks (product_block_id, name, description) VALUES ('b', 'B', 'B')`,
		`INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync) VALUES ('s', 'S', 'initial', 'p', 'c', 0)`,
		`INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id) VALUES ('i', 's', 'b')`,
		`UPDATE subscriptions SET insync = 1`,
		`UPDATE subscriptions SET note = 'n'`,
		`INSERT INTO processes (pid, workflow_id, last_status) SELECT 'x', workflow_id, 'created' FROM workflows WHERE name = 'modify_note'`,
		`INSERT INTO process_steps (pid, name, status, state) VALUES ('x', 'Start', 'success', '{}')`,
		`INSERT INTO input_states (pid, input_state, input_type) VALUES ('x', '{}', 'initial_state')`,
	} {
		if err := exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	check(`SELECT version FROM subscriptions`, "3")
	for _, stmt := range []string{
		`DELETE FROM workflows WHERE name = 'modify_note'`, // processes_workflow_id_fkey has no cascade
		`DELETE FROM products`,                             // nor has subscriptions_product_id_fkey
		`INSERT INTO input_states (pid, input_state, input_type) VALUES ('x', '{}', 'other')`,
		`INSERT INTO process_steps (pid, name, status, state) VALUES ('nope', 'Start', 'success', '{}')`,
	} {
		if err := exec(stmt); err == nil {
			t.Errorf("%s: succeeded, want a constraint error", stmt)
		}
	}
	if err := exec(`DELETE FROM processes`); err != nil {
		t.Fatal(err)
	}
	if err := exec(`DELETE FROM subscriptions`); err != nil {
		t.Fatal(err)
	}
	check(`SELECT (SELECT count(*) FROM process_steps) + (SELECT count(*) FROM input_states) + (SELECT count(*) FROM subscription_instances)`, "0")

	run("downgrade sqlite")
	check(`SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)

	run("upgrade sqlite")
	check(objects, wantObjects...)
	check(workflows, wantWorkflows...)
}

// section returns the body of the "-- wfo:<name>" section of a revision file.
func section(file, name string) string {
	var b strings.Builder
	in := false
	for line := range strings.Lines(file) {
		if strings.HasPrefix(line, "-- wfo:upgrade") || strings.HasPrefix(line, "-- wfo:downgrade") {
			in = strings.TrimSpace(line) == "-- wfo:"+name
			continue
		}
		if in {
			b.WriteString(line)
		}
	}
	return b.String()
}

// splitSQL splits a script on semicolons outside quotes and line comments, keeping CREATE TRIGGER ... END whole.
// It is just enough for the SQLite sections here; the migration engine has the real splitter.
func splitSQL(script string) []string {
	var stmts []string
	var b strings.Builder
	for i := 0; i < len(script); i++ {
		switch c := script[i]; {
		case strings.HasPrefix(script[i:], "--"):
			for i < len(script) && script[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '\'' || c == '"':
			j := strings.IndexByte(script[i+1:], c)
			if j < 0 {
				j = len(script) - i - 1
			}
			b.WriteString(script[i : i+j+2])
			i += j + 1
		case c == ';':
			stmt := strings.TrimSpace(b.String())
			words := strings.Fields(strings.ToUpper(stmt))
			if len(words) > 1 && words[0] == "CREATE" && words[1] == "TRIGGER" && words[len(words)-1] != "END" {
				b.WriteByte(c)
				continue
			}
			if stmt != "" {
				stmts = append(stmts, stmt)
			}
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	if stmt := strings.TrimSpace(b.String()); stmt != "" {
		stmts = append(stmts, stmt)
	}
	return stmts
}
