// Package database opens wfo's database from a DATABASE_URI: PostgreSQL through pgx, or the embedded SQLite
// (pure Go, no cgo) that wfo uses when no URI is set.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names the kind of database.
type Dialect string

// The dialects wfo supports.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultSQLiteFile is the embedded database's file name, in the working directory, used when DATABASE_URI is unset.
const DefaultSQLiteFile = "wfo.db"

// ErrUnsupportedURI is returned for a DATABASE_URI wfo cannot use.
var ErrUnsupportedURI = errors.New("unsupported DATABASE_URI")

// Location is a parsed DATABASE_URI.
type Location struct {
	Dialect Dialect
	// DSN is what the driver gets: a PostgreSQL URL without driver suffix, or an SQLite file path.
	DSN string
	// Path is the SQLite file's path ("" for PostgreSQL, ":memory:" for an in-memory database).
	Path string
	// Redacted is the URI with its password masked, for messages.
	Redacted string
	// Default is true when no DATABASE_URI was given and wfo uses its embedded SQLite file.
	Default bool
}

// ParseURI parses a DATABASE_URI. An empty uri selects the embedded SQLite file in the working directory.
// Accepted: postgresql://, postgres://, postgresql+<driver>:// (the driver suffix is ignored), sqlite:///relative.db,
// sqlite:////absolute/path.db and sqlite:///:memory:.
func ParseURI(uri string) (Location, error) {
	if uri == "" {
		return Location{Dialect: SQLite, DSN: DefaultSQLiteFile, Path: DefaultSQLiteFile, Redacted: "sqlite:///" + DefaultSQLiteFile, Default: true}, nil
	}
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return Location{}, fmt.Errorf("%w %q: expected <scheme>://..., e.g. postgresql://user:password@host/db or sqlite:///wfo.db", ErrUnsupportedURI, Redact(uri))
	}
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	switch base {
	case "postgresql", "postgres":
		u, err := url.Parse("postgres://" + rest)
		if err != nil {
			return Location{}, fmt.Errorf("%w %q: %v", ErrUnsupportedURI, Redact(uri), errors.Unwrap(err))
		}
		return Location{Dialect: Postgres, DSN: u.String(), Redacted: Redact(uri)}, nil
	case "sqlite":
		p, _, _ := strings.Cut(rest, "?")
		if !strings.HasPrefix(p, "/") {
			return Location{}, fmt.Errorf("%w %q: an SQLite URI is sqlite:///relative/path.db or sqlite:////absolute/path.db", ErrUnsupportedURI, uri)
		}
		p = strings.TrimPrefix(p, "/")
		if p == "" {
			p = ":memory:"
		}
		return Location{Dialect: SQLite, DSN: p, Path: p, Redacted: uri}, nil
	}
	return Location{}, fmt.Errorf("%w scheme %q in %s: use postgresql://, postgres:// or sqlite:///path.db", ErrUnsupportedURI, scheme, Redact(uri))
}

// Redact masks the password of a URI.
func Redact(uri string) string {
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return uri
	}
	hostEnd := strings.IndexAny(rest, "/?#")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	at := strings.LastIndex(rest[:hostEnd], "@")
	if at < 0 {
		return uri
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return uri
	}
	return scheme + "://" + user + ":***" + rest[at:]
}

// Exists reports whether the database is there to be read: always true for PostgreSQL (connecting tells), whether
// the file exists for SQLite. Read-only commands use it to avoid creating an empty SQLite file.
func (l Location) Exists() bool {
	if l.Dialect != SQLite || l.Path == ":memory:" {
		return true
	}
	_, err := os.Stat(l.Path)
	return err == nil
}

// DB is an open database.
type DB struct {
	*sql.DB
	Location
}

// Open connects to the database and checks that it answers. For SQLite it creates the file when missing, turns on
// foreign keys, WAL and a busy timeout, and makes every transaction take the write lock at BEGIN, so that
// concurrent writers wait instead of failing half-way.
func Open(ctx context.Context, loc Location) (*DB, error) {
	var db *sql.DB
	var err error
	switch loc.Dialect {
	case Postgres:
		db, err = sql.Open("pgx", loc.DSN)
	case SQLite:
		if loc.Path != ":memory:" {
			if dir := filepath.Dir(loc.Path); dir != "." {
				if _, statErr := os.Stat(dir); statErr != nil {
					return nil, fmt.Errorf("database: cannot open %s: directory %s does not exist", loc.Redacted, dir)
				}
			}
		}
		dsn := "file:" + loc.Path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(60000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err = sql.Open("sqlite", dsn)
		if err == nil && loc.Path == ":memory:" {
			db.SetMaxOpenConns(1)
		}
	default:
		return nil, fmt.Errorf("database: unknown dialect %q", loc.Dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("database: cannot open %s: %v", loc.Redacted, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: cannot connect to %s: %s", loc.Redacted, oneLine(err))
	}
	return &DB{DB: db, Location: loc}, nil
}

// oneLine keeps the first line of an error, with any password in it masked.
func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
