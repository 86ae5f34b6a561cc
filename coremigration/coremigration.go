// Package coremigration holds the core's own revisions, branch schema, embedded in the binary: orchestrator-core's
// revision chain id for id, from its root c112305b07d3 to ca79fd834ba0 (the head of 5.1.3 to 5.3.0), for
// PostgreSQL and SQLite.
//
// Most revisions are SQL files (versions/*.sql); the two that depend on optional server extensions are Go code
// (Revisions). On SQLite the root creates the tables as they are at 850dccac3b02 (4.3.0) at once, and the
// structural revisions up to there do nothing; revisions that insert or change rows do the same on both.
package coremigration

import (
	"embed"
	"io/fs"

	"github.com/wfo-go/wfo/migration"
)

// Versions holds the core revision files (versions/*.sql), in the format described in docs/revision-files.md.
//
//go:embed versions/*.sql
var Versions embed.FS

// Root is the first revision of the schema branch.
const Root = "c112305b07d3"

// SchemaHead is the head revision of the core's schema branch. A project's new data branch depends on it.
const SchemaHead = "ca79fd834ba0"

// Location returns the core's revisions, the embedded files and those written in Go, as a read-only version
// location.
func Location() *migration.Location {
	sub, err := fs.Sub(Versions, "versions")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	loc := migration.EmbeddedLocation(sub, "wfo:coremigration/versions")
	loc.Revisions = Revisions()
	return loc
}
