package dbcmd

import (
	"context"
	"fmt"
	"os"

	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/schemadiff"
)

const autogenerateHelp = "With --autogenerate the revision holds the difference between the database's application " +
	"tables and the desired schema: migrations/schema.sql (or schema.postgres.sql / schema.sqlite.sql, whichever " +
	"matches the database), CREATE TABLE and CREATE INDEX statements for the application's own tables. The core's " +
	"tables are never part of it. The upgrade holds the statements that make the database match, the downgrade " +
	"their reverse, both for the database's dialect. Destructive changes (a dropped table or column, a narrowed " +
	"type) are marked in the file and reported on stderr; renames are never guessed (a drop and an add, marked for " +
	"review). The database must be at the heads; when nothing differs, no file is written."

// reviseAutogenerate writes a revision with the difference between the database and the desired schema.
func reviseAutogenerate(ctx context.Context, env *base.Env, o migration.ReviseOptions) error {
	loc, err := env.DatabaseLocation()
	if err != nil {
		return err
	}
	fsys, dir := env.DesiredSchema, "<embedded>"
	if fsys == nil {
		fsys, dir = os.DirFS(env.Migrations()), env.Migrations()
	}
	src, err := schemadiff.Find(fsys, dir, loc.Dialect)
	if err != nil {
		return err
	}
	db, err := env.OpenExistingDB(ctx)
	if err != nil {
		return err
	}
	if db == nil { // an SQLite file that does not exist has run no revision; it is not created for the refusal
		return schemadiff.ErrNotUpToDate
	}
	defer db.Close()
	plan, paths, err := schemadiff.Revise(ctx, db, env.Project(), src, o)
	if err != nil {
		return err
	}
	if plan.Empty() {
		fmt.Fprintln(env.Stdout, "No changes in schema detected.")
		return nil
	}
	for _, c := range plan.Changes {
		fmt.Fprintf(env.Stderr, "Detected %s\n", c.Text)
		if c.Destructive != "" {
			fmt.Fprintf(env.Stderr, "WARNING: destructive change: %s\n", c.Destructive)
		}
	}
	for _, r := range plan.Reviews {
		fmt.Fprintf(env.Stderr, "WARNING: review: %s\n", r)
	}
	printGenerated(env, paths)
	return nil
}
