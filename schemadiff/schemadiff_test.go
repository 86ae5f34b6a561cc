package schemadiff_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/schemadiff"
)

// The desired states the lifecycle test goes through, each a step from the one before.
const (
	// A table with foreign keys (to another application table and to the core's subscriptions) and an index.
	stateTables = `
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    code VARCHAR(20)
);
CREATE TABLE racks (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    subscription_id UUID_TYPE REFERENCES subscriptions (subscription_id),
    label TEXT
);
CREATE INDEX racks_site_id ON racks (site_id);
`
	// A column added (sites.region), one dropped (racks.label) and one added in its place (racks.tag), one
	// altered (sites.name loses NOT NULL; sites.code narrows, which only PostgreSQL enforces).
	stateColumns = `
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100),
    code VARCHAR(10),
    region TEXT
);
CREATE TABLE racks (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    subscription_id UUID_TYPE REFERENCES subscriptions (subscription_id),
    tag TEXT
);
CREATE INDEX racks_site_id ON racks (site_id);
`
	// An inline UNIQUE constraint (on SQLite an automatic index).
	stateUnique = `
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100),
    code VARCHAR(10),
    region TEXT,
    UNIQUE (name, region)
);
CREATE TABLE racks (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    subscription_id UUID_TYPE REFERENCES subscriptions (subscription_id),
    tag TEXT
);
CREATE INDEX racks_site_id ON racks (site_id);
`
	// A table dropped.
	stateDropped = `
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100),
    code VARCHAR(10),
    region TEXT,
    UNIQUE (name, region)
);
`
)

type fixture struct {
	t       testing.TB
	ctx     context.Context
	db      *database.DB
	project *migration.Project
	dir     string
}

// setup returns a database with the core schema and a project whose application revisions go to a fresh
// directory.
func setup(t testing.TB, target dbtest.Target) *fixture {
	t.Helper()
	db := coretest.Open(t, target.URI)
	dir := t.TempDir()
	project := &migration.Project{Locations: []*migration.Location{
		migration.DirLocation(dir),
		coremigration.Location(),
	}}
	return &fixture{t: t, ctx: context.Background(), db: db, project: project, dir: dir}
}

// src is a desired schema; UUID_TYPE in it is the type of the core's subscription ids.
func (f *fixture) src(sql string) schemadiff.Source {
	uuid := "TEXT"
	if f.db.Dialect == database.Postgres {
		uuid = "UUID"
	}
	return schemadiff.Source{Path: "migrations/schema.sql", SQL: strings.ReplaceAll(sql, "UUID_TYPE", uuid)}
}

// revise autogenerates a revision for desired and returns its plan and file text.
func (f *fixture) revise(desired, message string) (*schemadiff.Plan, string) {
	f.t.Helper()
	plan, paths, err := schemadiff.Revise(f.ctx, f.db, f.project, f.src(desired), migration.ReviseOptions{Message: message})
	require.NoError(f.t, err)
	require.False(f.t, plan.Empty())
	require.NotEmpty(f.t, paths)
	data, err := os.ReadFile(paths[len(paths)-1])
	require.NoError(f.t, err)
	return plan, string(data)
}

func (f *fixture) migrator() *migration.Migrator {
	f.t.Helper()
	g, err := f.project.Graph()
	require.NoError(f.t, err)
	return &migration.Migrator{DB: f.db, Graph: g}
}

func (f *fixture) requireState(desired string) {
	f.t.Helper()
	p, err := schemadiff.Diff(f.ctx, f.db, f.src(desired))
	require.NoError(f.t, err)
	require.Empty(f.t, p.Changes, "the database differs from the expected state:\n%s", strings.Join(p.Up, ";\n"))
}

// roundTrip runs the newest revision up, checks the schema is the desired one, runs it down, checks the schema
// is the previous one, and runs it up again for the next step.
func (f *fixture) roundTrip(previous, desired string) {
	f.t.Helper()
	require.NoError(f.t, f.migrator().Upgrade(f.ctx, "heads"))
	f.requireState(desired)
	require.NoError(f.t, f.migrator().Downgrade(f.ctx, "data@-1"))
	f.requireState(previous)
	require.NoError(f.t, f.migrator().Upgrade(f.ctx, "heads"))
}

func (f *fixture) exec(query string) {
	f.t.Helper()
	_, err := f.db.ExecContext(f.ctx, query)
	require.NoError(f.t, err)
}

func (f *fixture) count(query string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.db.QueryRowContext(f.ctx, query).Scan(&n))
	return n
}

func texts(cs []schemadiff.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

func destructive(cs []schemadiff.Change) []string {
	var out []string
	for _, c := range cs {
		if c.Destructive != "" {
			out = append(out, c.Destructive)
		}
	}
	return out
}

func TestAutogenerateLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		f := setup(t, target)

		// Nothing declared and no application tables: no change, no file.
		plan, paths, err := schemadiff.Revise(f.ctx, f.db, f.project, f.src(""), migration.ReviseOptions{Message: "nothing"})
		require.NoError(t, err)
		require.True(t, plan.Empty())
		require.Empty(t, paths)

		plan, text := f.revise(stateTables, "add sites and racks")
		require.ElementsMatch(t, []string{"added table 'sites'", "added table 'racks'", "added index 'racks_site_id' on 'racks(site_id)'"}, texts(plan.Changes))
		require.Empty(t, destructive(plan.Changes))
		require.Contains(t, text, "-- wfo:upgrade "+target.Name+"\n")
		require.Contains(t, text, "-- wfo:downgrade "+target.Name+"\n")
		require.Contains(t, text, "-- wfo:down_revision ") // on the data branch, after its root
		f.roundTrip("", stateTables)

		f.exec("INSERT INTO sites (id, name, code) VALUES (1, 'ams', 'AMS1')")
		f.exec("INSERT INTO racks (id, site_id, label) VALUES (1, 1, 'r1')")

		plan, text = f.revise(stateColumns, "columns")
		got := texts(plan.Changes)
		require.Contains(t, got, "added column 'sites.region'")
		require.Contains(t, got, "removed column 'racks.label'")
		require.Contains(t, got, "added column 'racks.tag'")
		require.Contains(t, got, "NULL allowed on 'sites.name'")
		wantDestructive := []string{"drops column racks.label with its values"}
		if target.Name == dbtest.Postgres {
			require.Contains(t, got, "type change from character varying(20) to character varying(10) on 'sites.code'")
			wantDestructive = append([]string{"narrows column sites.code to character varying(10): values that do not fit make the upgrade fail or are lost"}, wantDestructive...)
		}
		require.ElementsMatch(t, wantDestructive, destructive(plan.Changes))
		require.Len(t, plan.Reviews, 1)
		require.Contains(t, plan.Reviews[0], "table racks loses column(s) label and gains tag")
		require.Contains(t, text, "-- DESTRUCTIVE: drops column racks.label with its values.\n")
		require.Contains(t, text, "-- REVIEW: table racks loses column(s) label and gains tag.")
		if target.Name == dbtest.SQLite {
			// sites is copied into a new table: with foreign keys enforced, dropping the old one would cascade.
			require.True(t, plan.NoTransaction)
			require.Contains(t, text, "-- wfo:transaction none\n")
		}
		f.roundTrip(stateTables, stateColumns)
		require.Equal(t, 1, f.count("SELECT count(*) FROM sites WHERE name = 'ams'"))
		require.Equal(t, 1, f.count("SELECT count(*) FROM racks WHERE site_id = 1"), "rebuilding sites must not cascade to racks")

		plan, _ = f.revise(stateUnique, "unique")
		require.Equal(t, []string{"added unique index 'sites_name_region_key' on 'sites(name, region)'"}, texts(plan.Changes), "plan:\n%s", strings.Join(plan.Up, ";\n"))
		f.roundTrip(stateColumns, stateUnique)

		// The database has the desired schema: no change, no file.
		entries, err := os.ReadDir(f.dir)
		require.NoError(t, err)
		plan, paths, err = schemadiff.Revise(f.ctx, f.db, f.project, f.src(stateUnique), migration.ReviseOptions{Message: "again"})
		require.NoError(t, err)
		require.True(t, plan.Empty())
		require.Empty(t, paths)
		after, err := os.ReadDir(f.dir)
		require.NoError(t, err)
		require.Len(t, after, len(entries))

		plan, text = f.revise(stateDropped, "drop racks")
		require.Equal(t, []string{"removed table 'racks'"}, texts(plan.Changes))
		require.Contains(t, text, "-- DESTRUCTIVE: drops table racks with all its rows.\n")
		// No table refers to racks and none is copied: the revision runs in the runner's transaction.
		require.False(t, plan.NoTransaction)
		require.NotContains(t, text, "wfo:transaction")

		// The new revision is not applied yet: refused.
		_, paths, err = schemadiff.Revise(f.ctx, f.db, f.project, f.src(stateDropped), migration.ReviseOptions{Message: "too early"})
		require.ErrorIs(t, err, schemadiff.ErrNotUpToDate)
		require.EqualError(t, err, "Target database is not up to date.")
		require.Empty(t, paths)

		f.roundTrip(stateUnique, stateDropped)
	})
}

func TestDesiredSchemaErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		f := setup(t, target)
		_, err := schemadiff.Diff(f.ctx, f.db, f.src("CREATE TABLE subscriptions (id INTEGER PRIMARY KEY);"))
		require.ErrorContains(t, err, "schemadiff: migrations/schema.sql: table subscriptions belongs to the core")
		_, err = schemadiff.Diff(f.ctx, f.db, f.src("CREATE TABLE notes (id INTEGER PRIMARY KEY);\n\nCREATE TABLE broken (id INTEGR PRIMARY KEY,);"))
		require.ErrorContains(t, err, "schemadiff: migrations/schema.sql:3: ")
		_, err = schemadiff.Diff(f.ctx, f.db, f.src("CREATE TABLE notes (body TEXT '"))
		require.ErrorContains(t, err, "schemadiff: migrations/schema.sql: line 1: unterminated")
		// Nothing of the scratch database is left behind.
		f.requireState("")
	})
}

func TestFind(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := schemadiff.Find(os.DirFS(dir), "migrations", database.SQLite)
	require.ErrorIs(t, err, schemadiff.ErrNoDesiredSchema)
	require.EqualError(t, err, "schemadiff: no desired schema: neither migrations/schema.sqlite.sql nor migrations/schema.sql exists; "+
		"write the application's tables there as CREATE TABLE and CREATE INDEX statements")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE a (id INTEGER);"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "schema.postgres.sql"), []byte("CREATE TABLE a (id BIGINT);"), 0o644))
	s, err := schemadiff.Find(os.DirFS(dir), "migrations", database.SQLite)
	require.NoError(t, err)
	require.Equal(t, schemadiff.Source{Path: "migrations/schema.sql", SQL: "CREATE TABLE a (id INTEGER);"}, s)
	s, err = schemadiff.Find(os.DirFS(dir), "migrations", database.Postgres)
	require.NoError(t, err)
	require.Equal(t, schemadiff.Source{Path: "migrations/schema.postgres.sql", SQL: "CREATE TABLE a (id BIGINT);"}, s)
}

// A database with only the core's schema has no application tables: every table the core's revisions create must
// be one IsCoreTable knows, or autogenerate would drop it.
func TestCoreTablesAreNeverTheApplications(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		f := setup(t, target)
		p, err := schemadiff.Diff(f.ctx, f.db, f.src(""))
		require.NoError(t, err)
		require.Empty(t, texts(p.Changes), "tables the core's revisions create must be listed in schemadiff/core.go")
	})
}

// PostgreSQL types of the application's own (an enum, a serial column) are created with its tables and dropped
// with them; the core's enum type stays.
func TestPostgresTypes(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.Target{Name: dbtest.Postgres, URI: dbtest.PostgresURL(t)})
	const desired = `
CREATE TYPE rack_kind AS ENUM ('open', 'closed');
CREATE TABLE racks (id SERIAL PRIMARY KEY, kind rack_kind NOT NULL DEFAULT 'open', kinds rack_kind[]);
`
	plan, _ := f.revise(desired, "racks")
	require.Equal(t, []string{"added enum type 'rack_kind'", "added table 'racks'"}, texts(plan.Changes))
	f.roundTrip("", desired)

	const more = `
CREATE TYPE rack_kind AS ENUM ('open', 'closed', 'wall');
CREATE TABLE racks (id SERIAL PRIMARY KEY, kind rack_kind NOT NULL DEFAULT 'open', kinds rack_kind[]);
`
	plan, text := f.revise(more, "wall racks")
	require.Equal(t, []string{"changed enum type 'rack_kind'"}, texts(plan.Changes))
	require.Empty(t, destructive(plan.Changes))
	// The downgrade cannot take the value away again, and says so.
	require.Contains(t, text, "-- REVIEW: PostgreSQL cannot remove values from an enum type: value(s) wall stay(s) in enum type 'rack_kind'.")
	require.NoError(t, f.migrator().Upgrade(f.ctx, "heads"))
	f.requireState(more)
	require.NoError(t, f.migrator().Downgrade(f.ctx, "data@-1"))
	f.requireState(more)
	require.Equal(t, 1, f.count("SELECT count(*) FROM pg_type WHERE typname = 'inputtype'"))
}
