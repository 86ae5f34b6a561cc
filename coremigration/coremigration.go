// Package coremigration holds the core's own revisions, branch schema, embedded in the binary.
//
// The core schema starts with one revision, 850dccac3b02, that creates in one step the schema orchestrator-core
// 4.3.0 reaches at that revision, for PostgreSQL and SQLite. Later core revisions are added to versions/ and chain
// from it: 29bf76c597fe adds the task task_validate_subscriptions.
package coremigration

import "embed"

// Versions holds the core revision files (versions/*.sql), in the format described in docs/revision-files.md.
//
//go:embed versions/*.sql
var Versions embed.FS

// CoreSchema is the revision that creates the schema of orchestrator-core 4.3.0, the root of the schema branch.
const CoreSchema = "850dccac3b02"

// SchemaHead is the head revision of the core's schema branch. A project's data branch depends on it.
const SchemaHead = "29bf76c597fe"
