// Package database opens wfo's database from a DATABASE_URI: PostgreSQL through pgx, or the embedded SQLite
// (pure Go, no cgo) that wfo uses when no URI is set.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

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

	secrets []string   // credentials to mask in messages
	params  url.Values // SQLite URI parameters (mode=ro, ...)
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
		return Location{Dialect: Postgres, DSN: u.String(), Redacted: Redact(uri), secrets: secrets(uri)}, nil
	case "sqlite":
		p, query, _ := strings.Cut(rest, "?")
		if !strings.HasPrefix(p, "/") {
			return Location{}, fmt.Errorf("%w %q: an SQLite URI is sqlite:///relative/path.db or sqlite:////absolute/path.db", ErrUnsupportedURI, uri)
		}
		p = strings.TrimPrefix(p, "/")
		if p == "" {
			p = ":memory:"
		}
		params, err := sqliteParams(query)
		if err != nil {
			return Location{}, fmt.Errorf("%w %q: %v", ErrUnsupportedURI, uri, err)
		}
		return Location{Dialect: SQLite, DSN: p, Path: p, Redacted: uri, params: params}, nil
	}
	return Location{}, fmt.Errorf("%w scheme %q in %s: use postgresql://, postgres:// or sqlite:///path.db", ErrUnsupportedURI, scheme, Redact(uri))
}

// sqliteOptions are the query parameters an SQLite URI may carry, with their valid values: SQLite's own URI
// parameters, passed to it unchanged.
var sqliteOptions = map[string][]string{
	"mode":      {"ro", "rw", "rwc", "memory"},
	"cache":     {"shared", "private"},
	"immutable": {"0", "1"},
}

// sqliteParams checks the query of an SQLite URI; a parameter wfo would silently ignore is an error.
func sqliteParams(query string) (url.Values, error) {
	if query == "" {
		return nil, nil
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("query %q: %v", query, err)
	}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		valid, known := sqliteOptions[key]
		if !known {
			return nil, fmt.Errorf("unknown parameter %q (valid: cache, immutable, mode)", key)
		}
		for _, v := range values[key] {
			if !slices.Contains(valid, v) {
				return nil, fmt.Errorf("%s=%s is not valid (use %s)", key, v, strings.Join(valid, ", "))
			}
		}
	}
	return values, nil
}

// Redact masks every credential in a DATABASE_URI or a key/value connection string: the password of
// user:password@, and password= and sslpassword= values (in the query of a URI, or key=value pairs).
func Redact(uri string) string {
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return maskKeyValues(uri)
	}
	hostEnd := strings.IndexAny(rest, "/?#")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	if at := strings.LastIndex(rest[:hostEnd], "@"); at >= 0 {
		if user, _, hasPass := strings.Cut(rest[:at], ":"); hasPass {
			rest = user + ":***" + rest[at:]
		}
	}
	if before, query, ok := strings.Cut(rest, "?"); ok {
		pairs := strings.Split(query, "&")
		for i, pair := range pairs {
			key, _, _ := strings.Cut(pair, "=")
			if k, err := url.QueryUnescape(key); err == nil && isSecretKey(k) {
				pairs[i] = key + "=***"
			}
		}
		rest = before + "?" + strings.Join(pairs, "&")
	}
	return scheme + "://" + rest
}

// secretValue matches password=value pairs of a key/value connection string; a value may be single-quoted.
var secretValue = regexp.MustCompile(`(?i)\b((?:ssl)?password)\s*=\s*(?:'(?:[^'\\]|\\.)*'?|[^\s]*)`)

func maskKeyValues(s string) string { return secretValue.ReplaceAllString(s, "$1=***") }

func isSecretKey(key string) bool {
	key = strings.ToLower(key)
	return key == "password" || key == "sslpassword"
}

// secrets returns the credentials a DATABASE_URI carries, to mask them wherever they show up (in a driver's
// error, say).
func secrets(uri string) []string {
	var out []string
	if _, rest, ok := strings.Cut(uri, "://"); ok {
		if u, err := url.Parse("x://" + rest); err == nil {
			if p, ok := u.User.Password(); ok && p != "" {
				out = append(out, p)
			}
			for k, vs := range u.Query() {
				if isSecretKey(k) {
					for _, v := range vs {
						if v != "" {
							out = append(out, v)
						}
					}
				}
			}
		}
	}
	return out
}

// mask replaces every credential of the location in s.
func (l Location) mask(s string) string {
	for _, secret := range l.secrets {
		s = strings.ReplaceAll(s, secret, "***")
	}
	return maskKeyValues(s)
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

// maxIdleConns is how many idle connections a DB keeps for reuse. database/sql keeps 2 by default: an engine's
// workers, its poller and the API's requests then close and reopen connections all the time, each a new server
// process on PostgreSQL, and on SQLite a new connection that opens the file and sets its pragmas again.
const maxIdleConns = 16

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
		if err == nil {
			db.SetMaxIdleConns(maxIdleConns)
		}
	case SQLite:
		if loc.Path != ":memory:" {
			if dir := filepath.Dir(loc.Path); dir != "." {
				if _, statErr := os.Stat(dir); statErr != nil {
					return nil, fmt.Errorf("database: cannot open %s: directory %s does not exist", loc.Redacted, dir)
				}
			}
		}
		dsn := "file:" + loc.Path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(60000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		if ro := loc.params.Get("mode") == "ro" || loc.params.Get("immutable") == "1"; !ro {
			dsn += "&_pragma=journal_mode(WAL)" // changing the journal mode writes to the file
		}
		if len(loc.params) > 0 {
			dsn += "&" + loc.params.Encode()
		}
		if loc.Path == ":memory:" {
			db, err = sql.Open("sqlite", dsn)
			if err == nil {
				db.SetMaxOpenConns(1)
			}
		} else {
			db = openSQLite(loc.Path, dsn)
			db.SetMaxIdleConns(maxIdleConns)
		}
	default:
		return nil, fmt.Errorf("database: unknown dialect %q", loc.Dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("database: cannot open %s: %s", loc.Redacted, loc.mask(err.Error()))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, &ConnectError{Msg: fmt.Sprintf("database: cannot connect to %s: %s", loc.Redacted, loc.mask(reason(err))), Err: err}
	}
	return &DB{DB: db, Location: loc}, nil
}

// ConnectError is a failure to reach the database. Its message is one line with the reason and no credential;
// the driver's error stays available to errors.As (a *pgconn.PgError carries the SQLSTATE).
type ConnectError struct {
	Msg string
	Err error
}

func (e *ConnectError) Error() string { return e.Msg }
func (e *ConnectError) Unwrap() error { return e.Err }

// reason is a connection error's cause on one line. pgx lists one line per address and TLS attempt after a
// header that repeats the user and database; what is left is the attempts that say why, each once.
func reason(err error) string {
	text := err.Error()
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		text = ce.Unwrap().Error()
	}
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	if len(lines) > 1 {
		// With sslmode=prefer a server without TLS is tried again in plain text; the TLS refusal is no reason.
		lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasSuffix(l, "tls error: server refused TLS connection") })
	}
	if len(lines) == 0 {
		return "no reason given"
	}
	return strings.Join(lines, "; ")
}
