package schemadiff

// Everything that differs between PostgreSQL and SQLite in a diff lives in this file: where the desired schema
// is loaded, how inspected schemas are normalised, and how planned statements are wrapped.

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/wfo-go/wfo/database"
)

// state is both sides of a diff and the driver that plans it.
type state struct {
	drv           migrate.Driver
	live, desired *schema.Schema
	close         func()
}

func inspect(ctx context.Context, db *database.DB, src Source) (*state, error) {
	switch db.Dialect {
	case database.Postgres:
		return inspectPostgres(ctx, db, src)
	case database.SQLite:
		return inspectSQLite(ctx, db, src)
	}
	return nil, fmt.Errorf("schemadiff: unsupported dialect %q", db.Dialect)
}

// inspectLive inspects the application's tables of the live database. listTables returns the schema's name and
// its tables; the core's are left out before Atlas inspects anything, which saves most of the work.
func inspectLive(ctx context.Context, drv migrate.Driver, q schema.ExecQuerier, mode schema.InspectMode, listTables string) (*schema.Schema, error) {
	rows, err := q.QueryContext(ctx, listTables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	name := ""
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&name, &t); err != nil {
			return nil, err
		}
		if !IsCoreTable(t) {
			tables = append(tables, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		// No table of the application: nothing to inspect (an empty list would mean every table to Atlas).
		return schema.New(name), nil
	}
	return drv.InspectSchema(ctx, "", &schema.InspectOptions{Mode: mode, Tables: tables, Exclude: excludePatterns()})
}

// inspectPostgres works in one transaction that is always rolled back: it inspects the live schema, then runs
// the desired SQL in a fresh schema whose name comes first in the search path (so unqualified references to the
// core's tables still find them) and inspects that.
func inspectPostgres(ctx context.Context, db *database.DB, src Source) (*state, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: %w", err)
	}
	fail := func(err error) (*state, error) {
		tx.Rollback()
		return nil, err
	}
	drv, err := postgres.Open(tx)
	if err != nil {
		return fail(fmt.Errorf("schemadiff: %w", err))
	}
	live, err := inspectLive(ctx, drv, tx, schema.InspectTables|schema.InspectTypes,
		"SELECT current_schema(), table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
	if err != nil {
		return fail(fmt.Errorf("schemadiff: inspecting the database: %w", err))
	}
	keepApplicationTypes(live)
	scratch := "wfo_autogenerate_" + randomSuffix()
	for _, stmt := range []string{
		"CREATE SCHEMA " + quote(scratch),
		"SET LOCAL search_path = " + quote(scratch) + ", " + quote(live.Name),
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fail(fmt.Errorf("schemadiff: preparing a scratch schema for %s (%s): %w", src.Path, stmt, err))
		}
	}
	if err := applySource(ctx, tx, src); err != nil {
		return fail(err)
	}
	desired, err := drv.InspectSchema(ctx, scratch, &schema.InspectOptions{Mode: schema.InspectTables | schema.InspectTypes})
	if err != nil {
		return fail(fmt.Errorf("schemadiff: inspecting %s: %w", src.Path, err))
	}
	desired.Name = live.Name
	return &state{drv: drv, live: live, desired: desired, close: func() { tx.Rollback() }}, nil
}

// keepApplicationTypes keeps of the live schema's types (enums) only those the application's tables use: the
// others are the core's (input_states.input_type, for one) or nobody's, and a diff must not drop them.
func keepApplicationTypes(s *schema.Schema) {
	used := map[string]bool{}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			ct := c.Type.Type
			if a, ok := ct.(*postgres.ArrayType); ok {
				ct = a.Type
			}
			if e, ok := ct.(*schema.EnumType); ok {
				used[e.T] = true
			}
		}
	}
	var kept []schema.Object
	for _, o := range s.Objects {
		if e, ok := o.(*schema.EnumType); ok && used[e.T] {
			kept = append(kept, o)
		}
	}
	s.Objects = kept
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

// inspectSQLite runs the desired SQL in a private in-memory database.
func inspectSQLite(ctx context.Context, db *database.DB, src Source) (*state, error) {
	drv, err := sqlite.Open(db.DB)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: %w", err)
	}
	live, err := inspectLive(ctx, drv, db, schema.InspectTables,
		"SELECT 'main', name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
	if err != nil {
		return nil, fmt.Errorf("schemadiff: inspecting the database: %w", err)
	}
	scratch, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, fmt.Errorf("schemadiff: opening a scratch database: %w", err)
	}
	scratch.SetMaxOpenConns(1) // every connection to :memory: is a database of its own
	if err := applySource(ctx, scratch, src); err != nil {
		scratch.Close()
		return nil, err
	}
	scratchDrv, err := sqlite.Open(scratch)
	if err == nil {
		var desired *schema.Schema
		if desired, err = scratchDrv.InspectSchema(ctx, "", &schema.InspectOptions{Mode: schema.InspectTables}); err == nil {
			normaliseSQLite(live)
			normaliseSQLite(desired)
			return &state{drv: drv, live: live, desired: desired, close: func() { scratch.Close() }}, nil
		}
	}
	scratch.Close()
	return nil, fmt.Errorf("schemadiff: inspecting %s: %w", src.Path, err)
}

// normaliseSQLite makes two inspections of the same SQLite schema compare equal and plan as valid SQL:
//
//   - An inline UNIQUE constraint is an index SQLite names sqlite_autoindex_<table>_<n>; the name cannot be used
//     in CREATE INDEX and need not match between two databases. Such indexes get the name <table>_<columns>_key
//     (PostgreSQL's name for the same constraint), which a planned CREATE UNIQUE INDEX then uses, so the index
//     and the inline constraint compare equal afterwards.
//   - SQLite does not report the names of foreign keys; the inspection numbers them, in an order that need not
//     match between two databases. They are named <table>_<columns>_fkey instead (PostgreSQL's default name).
func normaliseSQLite(s *schema.Schema) {
	for _, t := range s.Tables {
		for _, idx := range t.Indexes {
			if !strings.HasPrefix(idx.Name, "sqlite_autoindex_") {
				continue
			}
			names := []string{t.Name}
			for _, p := range idx.Parts {
				if p.C != nil {
					names = append(names, p.C.Name)
				}
			}
			idx.Name = strings.Join(append(names, "key"), "_")
		}
		for _, fk := range t.ForeignKeys {
			if _, err := strconv.ParseUint(fk.Symbol, 10, 64); err == nil || fk.Symbol == "" {
				names := []string{t.Name}
				for _, c := range fk.Columns {
					names = append(names, c.Name)
				}
				fk.Symbol = strings.Join(append(names, "fkey"), "_")
			}
		}
	}
}

// finish adapts the planned statements to how revisions run. On SQLite, a change a table cannot take by ALTER
// TABLE is made by copying the table, and a table is dropped, with foreign-key enforcement off: with it on,
// dropping a table others refer to runs the ON DELETE actions of the referring rows (or fails). SQLite ignores
// that setting inside a transaction, so a revision that copies a table or drops a referenced one runs outside
// the runner's transaction and brings its own, in both directions alike. Other revisions run as usual.
func finish(p *Plan, st *state) {
	if p.Dialect != database.SQLite {
		return
	}
	referenced := map[string]bool{}
	for _, s := range []*schema.Schema{st.live, st.desired} {
		for _, t := range s.Tables {
			for _, fk := range t.ForeignKeys {
				if fk.RefTable != nil && fk.RefTable.Name != t.Name {
					referenced[strings.ToLower(fk.RefTable.Name)] = true
				}
			}
		}
	}
	for _, stmts := range [][]string{p.Up, p.Down} {
		for _, s := range stmts {
			if needsForeignKeysOff(s, referenced) {
				p.NoTransaction = true
			}
		}
	}
	wrap := func(stmts []string) []string {
		var out []string
		if p.NoTransaction {
			out = append(out, "PRAGMA foreign_keys = off", "BEGIN IMMEDIATE")
		}
		for _, s := range stmts {
			if !isForeignKeysPragma(s) {
				out = append(out, s)
			}
		}
		if p.NoTransaction {
			out = append(out, "COMMIT", "PRAGMA foreign_keys = on")
		}
		return out
	}
	p.Up, p.Down = wrap(p.Up), wrap(p.Down)
}

// needsForeignKeysOff reports whether a planned SQLite statement is part of a table copy (the copy is renamed to
// the table's name) or drops a table that other tables refer to.
func needsForeignKeysOff(stmt string, referenced map[string]bool) bool {
	words := strings.Fields(strings.ToLower(stmt))
	switch {
	case len(words) >= 6 && words[0] == "alter" && words[1] == "table" && words[3] == "rename" && words[4] == "to":
		return true
	case len(words) >= 3 && words[0] == "drop" && words[1] == "table":
		return referenced[strings.Trim(words[len(words)-1], "`\"")]
	}
	return false
}

func isForeignKeysPragma(s string) bool {
	return strings.HasPrefix(strings.ToLower(strings.Join(strings.Fields(s), " ")), "pragma foreign_keys =")
}
