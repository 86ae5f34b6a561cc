package schemadiff

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/wfo-go/wfo/database"
)

// sqliteDialect diffs on SQLite.
type sqliteDialect struct{}

// inspect runs the desired SQL in a private in-memory database.
func (sqliteDialect) inspect(ctx context.Context, db *database.DB, src Source) (*state, error) {
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
func (sqliteDialect) finish(p *Plan, st *state) {
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
