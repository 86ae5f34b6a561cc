package schemadiff

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/wfo-go/wfo/database"
)

// DefaultFile is the desired-state file's name, in the application's migrations directory. A variant for one
// dialect, schema.postgres.sql or schema.sqlite.sql, is used instead where it exists.
const DefaultFile = "schema.sql"

// ErrNoDesiredSchema is returned when there is no desired-state file to compare the database with.
var ErrNoDesiredSchema = errors.New("schemadiff: no desired schema")

// Source is the application's desired schema: SQL statements that create its own tables, indexes and
// constraints, as a fresh database should have them.
type Source struct {
	// Path names the source in messages, e.g. migrations/schema.sql.
	Path string
	SQL  string
}

// DialectFile is the name of the desired-state file for one dialect: schema.postgres.sql or schema.sqlite.sql.
func DialectFile(d database.Dialect) string { return "schema." + string(d) + ".sql" }

// Find reads the desired schema for dialect d from fsys: DialectFile(d) when it exists, else DefaultFile. dir is
// how fsys is shown in messages (e.g. "migrations").
func Find(fsys fs.FS, dir string, d database.Dialect) (Source, error) {
	for _, name := range []string{DialectFile(d), DefaultFile} {
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Source{}, fmt.Errorf("schemadiff: reading %s: %w", path.Join(dir, name), err)
		}
		return Source{Path: path.Join(dir, name), SQL: string(data)}, nil
	}
	return Source{}, fmt.Errorf("%w: neither %s nor %s exists; write the application's tables there as CREATE TABLE and CREATE INDEX statements",
		ErrNoDesiredSchema, path.Join(dir, DialectFile(d)), path.Join(dir, DefaultFile))
}
