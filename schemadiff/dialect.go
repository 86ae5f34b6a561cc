package schemadiff

// What differs between PostgreSQL and SQLite in a diff is a dialect's: where the desired schema is loaded, how
// inspected schemas are normalised, and how planned statements are wrapped. Each database has its type, in a file
// of its own (postgres.go, sqlite.go); Diff looks it up once by the database's dialect and never branches on it.

import (
	"context"
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/wfo-go/wfo/database"
)

// state is both sides of a diff and the driver that plans it.
type state struct {
	drv           migrate.Driver
	live, desired *schema.Schema
	close         func()
}

// dialect is what a diff does on one database.
type dialect interface {
	// inspect inspects the live database's application tables and the desired schema src.
	inspect(ctx context.Context, db *database.DB, src Source) (*state, error)
	// finish adapts the planned statements to how revisions run on the database.
	finish(p *Plan, st *state)
}

// dialects are the databases a diff knows.
var dialects = map[database.Dialect]dialect{
	database.Postgres: postgresDialect{},
	database.SQLite:   sqliteDialect{},
}

func dialectOf(d database.Dialect) (dialect, error) {
	if x, ok := dialects[d]; ok {
		return x, nil
	}
	return nil, fmt.Errorf("schemadiff: unsupported dialect %q", d)
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
