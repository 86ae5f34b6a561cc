package coremigration

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/migration"
)

// Own holds wfo's own revisions (own/*.sql, branch wfo): the tables wfo has and orchestrator-core has not, today
// the scheduler's wfo_schedule_state and the engines' process leases (wfo_process_leases).
//
//go:embed own/*.sql
var Own embed.FS

// OwnTable is the version table of wfo's own revisions. Keeping them out of alembic_version leaves only ids there
// that orchestrator-core can locate.
const OwnTable = "wfo_version"

// OwnMigrator returns a migrator of wfo's own revisions on db.
func OwnMigrator(db *database.DB) (*migration.Migrator, error) {
	sub, err := fs.Sub(Own, "own")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	g, err := (&migration.Project{Locations: []*migration.Location{migration.EmbeddedLocation(sub, "wfo:coremigration/own")}}).Graph()
	if err != nil {
		return nil, fmt.Errorf("coremigration: wfo's own revisions: %w", err)
	}
	return &migration.Migrator{DB: db, Graph: g, Table: OwnTable}, nil
}

// SyncOwn brings wfo's own tables in line with the core schema after a migration: while alembic_version holds
// a revision, wfo's own revisions are applied up to their head; once it is empty (db downgrade base), they are
// undone and their version table dropped, so that nothing of wfo's is left. progress receives their "Running
// upgrade" lines (nil discards them).
func SyncOwn(ctx context.Context, db *database.DB, progress io.Writer) error {
	own, err := OwnMigrator(db)
	if err != nil {
		return err
	}
	own.Progress = progress
	core, err := (&migration.Migrator{DB: db, Graph: own.Graph}).Current(ctx)
	if err != nil {
		return err
	}
	if len(core) > 0 {
		return own.Upgrade(ctx, "heads")
	}
	if err := own.Downgrade(ctx, "base"); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+OwnTable); err != nil {
		return fmt.Errorf("coremigration: dropping %s: %w", OwnTable, err)
	}
	return nil
}
