// Package migration is wfo's migration engine: revision files, the revision graph with Alembic's semantics
// (branch labels, several heads, merges, dependencies), the version table, and the runner that upgrades and
// downgrades a database.
package migration

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Tx is what a revision written in Go gets to change the database: the open transaction (or, for a revision that
// runs outside a transaction, the connection) and the dialect's name ("postgres" or "sqlite").
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() string
}

// Revision is one node of the revision graph: a SQL file or a revision registered in Go.
type Revision struct {
	// ID is the revision id, unique across all version locations.
	ID string
	// DownRevisions are the revisions this one follows: none for a base, several for a merge.
	DownRevisions []string
	// BranchLabels are the labels this revision declares (inherited labels are the graph's business).
	BranchLabels []string
	// DependsOn names revisions or branch labels that must be applied first without being parents.
	DependsOn []string
	// Replaces names retired revision ids this revision stands in for: a down revision, dependency or version-table
	// row naming one of them means this revision. Its upgrade must be safe to run again: a database whose rows
	// name a retired id, or imply one, gets it once more (see Migrator).
	Replaces []string
	// Doc is the documentation block (Alembic's docstring); its first paragraph is the short doc.
	Doc string
	// CreateDate is the creation date as written in the header, for display only.
	CreateDate string
	// NoTransaction runs the revision's statements outside a transaction.
	NoTransaction bool
	// Path is where the revision comes from: a file path, or "<go>" for a revision registered in Go.
	Path string
	// Location is the version location the revision was loaded from.
	Location *Location

	// Upgrade and Downgrade are the revision's code when it is registered in Go; nil for SQL files.
	Upgrade   func(ctx context.Context, tx Tx) error
	Downgrade func(ctx context.Context, tx Tx) error

	sections map[string]section // "upgrade", "upgrade postgres", ...
}

// section is one `-- wfo:upgrade [dialect]` block of a revision file.
type section struct {
	text string
	line int // line of the first line of text in the file, minus one
}

// ShortDoc is the first paragraph of Doc on one line, as Alembic shows it in history.
func (r *Revision) ShortDoc() string {
	para, _, _ := strings.Cut(strings.TrimSpace(r.Doc), "\n\n")
	return strings.TrimSpace(para)
}

// SQL returns the text of the upgrade or downgrade section for a dialect, and the line offset of that text
// within the file. A dialect's own section wins over the dialect-less one; a missing section is empty.
func (r *Revision) SQL(direction, dialect string) (text string, lineOffset int) {
	if s, ok := r.sections[direction+" "+dialect]; ok {
		return s.text, s.line
	}
	s := r.sections[direction]
	return s.text, s.line
}

// IsGo reports whether the revision is code registered in Go rather than a SQL file.
func (r *Revision) IsGo() bool { return r.Upgrade != nil || r.Downgrade != nil }

// A Location is a source of revision files: a directory of the application, or an embedded file system.
type Location struct {
	// FS holds the revision files, at its root.
	FS fs.FS
	// Dir is the location's path as shown to users; for an on-disk location it is also where new files go.
	Dir string
	// Writable is true for an on-disk location of the application, where wfo may write new revisions.
	Writable bool
	// Revisions are revisions written in Go that belong to the location, loaded after its files.
	Revisions []*Revision
}

const directivePrefix = "-- wfo:"

var sectionDialects = map[string]bool{"": true, "postgres": true, "sqlite": true}

// revisionFileName matches file names wfo loads: anything ending in .sql.
func isRevisionFile(name string) bool {
	return strings.HasSuffix(name, ".sql") && !strings.HasPrefix(name, ".")
}

// ParseFile reads a revision file. name is used in errors and as the revision's Path. Sections are kept as
// slices of data, so parsing allocates little: a project of thousands of revisions loads in milliseconds.
func ParseFile(name string, data []byte) (*Revision, error) {
	rev := &Revision{Path: name, sections: map[string]section{}}
	var seen map[string]int
	var doc []string
	inHeader := true
	current := ""
	bodyFrom, bodyLine := 0, 0
	flush := func(to int) {
		if current != "" {
			rev.sections[current] = section{text: string(data[bodyFrom:to]), line: bodyLine}
		}
	}
	lineNo := 0
	for pos := 0; pos < len(data); {
		lineStart := pos
		nl := bytes.IndexByte(data[pos:], '\n')
		var raw []byte
		if nl < 0 {
			raw, pos = data[pos:], len(data)
		} else {
			raw, pos = data[pos:pos+nl], pos+nl+1
		}
		lineNo++
		if !inHeader && !bytes.HasPrefix(raw, []byte(directivePrefix)) {
			continue // body text: kept by offsets
		}
		trimmed := strings.TrimRight(string(raw), " \t\r")
		if strings.HasPrefix(trimmed, directivePrefix) {
			key, value, _ := strings.Cut(strings.TrimPrefix(trimmed, directivePrefix), " ")
			value = strings.TrimSpace(value)
			if key == "upgrade" || key == "downgrade" {
				if !sectionDialects[value] {
					return nil, fmt.Errorf("%s:%d: unknown dialect %q in section marker (valid: postgres, sqlite, or none)", name, lineNo, value)
				}
				id := key
				if value != "" {
					id += " " + value
				}
				if _, dup := rev.sections[id]; dup || id == current {
					return nil, fmt.Errorf("%s:%d: section %q appears twice", name, lineNo, "wfo:"+id)
				}
				flush(lineStart)
				inHeader = false
				current = id
				bodyFrom, bodyLine = pos, lineNo
				continue
			}
			if !inHeader {
				return nil, fmt.Errorf("%s:%d: header directive %q after the first section marker", name, lineNo, "wfo:"+key)
			}
			if seen == nil {
				seen = make(map[string]int, 5)
			}
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("%s:%d: directive wfo:%s repeats line %d", name, lineNo, key, prev)
			}
			seen[key] = lineNo
			switch key {
			case "revision":
				if err := CheckID(value); err != nil {
					return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
				}
				rev.ID = value
			case "down_revision", "branch_labels", "depends_on", "replaces":
				list := splitList(value)
				if err := checkList(key, list); err != nil {
					return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
				}
				switch key {
				case "down_revision":
					rev.DownRevisions = list
				case "branch_labels":
					rev.BranchLabels = list
				case "depends_on":
					rev.DependsOn = list
				default:
					rev.Replaces = list
				}
			case "transaction":
				switch value {
				case "per-revision", "":
				case "none":
					rev.NoTransaction = true
				default:
					return nil, fmt.Errorf("%s:%d: invalid wfo:transaction %q (valid: per-revision, none)", name, lineNo, value)
				}
			default:
				return nil, fmt.Errorf("%s:%d: unknown directive wfo:%s (valid: revision, down_revision, branch_labels, depends_on, replaces, transaction, upgrade, downgrade)", name, lineNo, key)
			}
			continue
		}
		if strings.HasPrefix(trimmed, "--") {
			// Documentation keeps trailing spaces (Alembic's "Revises: " line has one).
			text := strings.TrimPrefix(strings.TrimRight(string(raw), "\r"), "--")
			text = strings.TrimPrefix(text, " ")
			if rev.CreateDate == "" && strings.HasPrefix(text, "Create Date:") {
				rev.CreateDate = strings.TrimSpace(strings.TrimPrefix(text, "Create Date:"))
			}
			doc = append(doc, text)
			continue
		}
		if trimmed == "" {
			continue
		}
		return nil, fmt.Errorf("%s:%d: SQL before the first section marker (start it with \"-- wfo:upgrade\" or \"-- wfo:downgrade\")", name, lineNo)
	}
	flush(len(data))
	if rev.ID == "" {
		return nil, fmt.Errorf("%s: missing \"-- wfo:revision <id>\" header line", name)
	}
	rev.Doc = strings.TrimSpace(strings.Join(trimTrailingEmpty(doc), "\n"))
	return rev, nil
}

func trimTrailingEmpty(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// MaxIDLength is the longest revision id: the width of alembic_version.version_num.
const MaxIDLength = 32

// reserved are the words that name targets, so no revision id or branch label may be one of them.
var reserved = map[string]bool{"base": true, "head": true, "heads": true}

// CheckID reports why id cannot be a revision id: ids are 1 to 32 letters, digits and underscores, and not
// base, head or heads.
func CheckID(id string) error {
	switch {
	case !isWord(id):
		return fmt.Errorf("invalid revision id %q (use 1 to %d letters, digits and underscores)", id, MaxIDLength)
	case len(id) > MaxIDLength:
		return fmt.Errorf("revision id %q is %d characters long (at most %d, the width of the version table's column)", id, len(id), MaxIDLength)
	case reserved[id]:
		return fmt.Errorf("%q cannot be a revision id: base, head and heads name targets", id)
	}
	return nil
}

// CheckLabel reports why label cannot be a branch label: labels are letters, digits and underscores (an "@" or
// a space would make "label@head" unusable), and not base, head or heads.
func CheckLabel(label string) error {
	switch {
	case !isWord(label):
		return fmt.Errorf("invalid branch label %q (use letters, digits and underscores)", label)
	case reserved[label]:
		return fmt.Errorf("%q cannot be a branch label: base, head and heads name targets", label)
	}
	return nil
}

// checkList checks the values of a down_revision, branch_labels or depends_on list: each valid, none twice.
func checkList(key string, values []string) error {
	for i, v := range values {
		var err error
		switch key {
		case "branch_labels":
			err = CheckLabel(v)
		case "depends_on":
			// A dependency names a revision or a branch label; both are words.
			err = CheckLabel(v)
		default:
			err = CheckID(v)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if slices.Contains(values[:i], v) {
			return fmt.Errorf("%s lists %s twice", key, v)
		}
	}
	return nil
}

// CheckRevision checks a revision's header wherever it comes from (a file, or Go code): its id, down
// revisions, labels and dependencies.
func CheckRevision(r *Revision) error {
	if err := CheckID(r.ID); err != nil {
		return err
	}
	for i, list := range [][]string{r.DownRevisions, r.BranchLabels, r.DependsOn, r.Replaces} {
		key := [...]string{"down_revision", "branch_labels", "depends_on", "replaces"}[i]
		if err := checkList(key, list); err != nil {
			return fmt.Errorf("revision %s: %w", r.ID, err)
		}
	}
	return nil
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func validID(s string) bool { return CheckID(s) == nil }

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// LoadLocation reads every revision file of a location, in file-name order. Files are read and parsed by a few
// goroutines at once: with thousands of revisions the time goes into opening files.
func LoadLocation(loc *Location) ([]*Revision, error) {
	var pending map[string]bool
	if loc.Writable {
		// A write killed half-way is undone; one in progress is not seen.
		if err := recoverLocation(loc.Dir); err != nil {
			return nil, err
		}
		var err error
		if pending, err = pendingFiles(loc.Dir); err != nil {
			return nil, err
		}
	}
	entries, err := fs.ReadDir(loc.FS, ".")
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("migration: reading %s: %w", loc.Dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries { // fs.ReadDir sorts by name
		if !e.IsDir() && isRevisionFile(e.Name()) && !pending[e.Name()] {
			names = append(names, e.Name())
		}
	}
	revs := make([]*Revision, len(names))
	errs := make([]error, len(names))
	load := func(i int) {
		data, err := fs.ReadFile(loc.FS, names[i])
		if err != nil {
			errs[i] = fmt.Errorf("migration: %w", err)
			return
		}
		rev, err := ParseFile(path.Join(loc.Dir, names[i]), data)
		if err != nil {
			errs[i] = fmt.Errorf("migration: %w", err)
			return
		}
		rev.Location = loc
		revs[i] = rev
	}
	workers := min(runtime.GOMAXPROCS(0)*2, len(names)/64+1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(names); i = int(next.Add(1)) - 1 {
				load(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return revs, nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
