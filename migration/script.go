package migration

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// NewRevision describes a revision file to write.
type NewRevision struct {
	ID            string
	Message       string
	DownRevisions []string
	BranchLabels  []string
	DependsOn     []string
	Created       time.Time
	// Upgrade and Downgrade are SQL for the sections; empty sections are written with a comment.
	Upgrade, Downgrade string
	// Dialect, when set, names the dialect of both sections.
	Dialect string
	// NoTransaction writes "-- wfo:transaction none".
	NoTransaction bool
}

// NewID returns a fresh revision id: 12 lower-case hex characters, as Alembic makes them.
func NewID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

var slugWord = regexp.MustCompile(`\w+`)

// Slug makes the file-name part of a message as Alembic does: word runs joined with "_", lower-cased, cut at 40
// characters on a word boundary with a trailing "_".
func Slug(message string) string {
	slug := strings.ToLower(strings.Join(slugWord.FindAllString(message, -1), "_"))
	if len(slug) > 40 {
		cut := slug[:40]
		if i := strings.LastIndex(cut, "_"); i >= 0 {
			cut = cut[:i]
		}
		slug = cut + "_"
	}
	return slug
}

// FileName is the revision's file name: <YYYY-MM-DD>_<rev>_<slug>.sql.
func (r NewRevision) FileName() string {
	return fmt.Sprintf("%s_%s_%s.sql", r.Created.Format("2006-01-02"), r.ID, Slug(r.Message))
}

// Render writes the revision file's text: the documentation block Alembic's template writes, the wfo directives,
// and the two sections.
func (r NewRevision) Render() []byte {
	var b strings.Builder
	msg := strings.TrimSpace(r.Message)
	if msg != "" {
		msg += "." // as orchestrator-core's revision template writes the message
	}
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, "wfo:") {
			// "-- wfo:..." would read as a directive: indent the line by one more space.
			line = " " + line
		}
		b.WriteString(strings.TrimRight("-- "+line, " ") + "\n")
	}
	b.WriteString("--\n")
	fmt.Fprintf(&b, "-- Revision ID: %s\n", r.ID)
	fmt.Fprintf(&b, "-- Revises: %s\n", strings.Join(r.DownRevisions, ", "))
	fmt.Fprintf(&b, "-- Create Date: %s\n", r.Created.Format("2006-01-02 15:04:05.000000"))
	b.WriteString("--\n")
	fmt.Fprintf(&b, "-- wfo:revision %s\n", r.ID)
	writeDirective(&b, "down_revision", r.DownRevisions)
	writeDirective(&b, "branch_labels", r.BranchLabels)
	writeDirective(&b, "depends_on", r.DependsOn)
	if r.NoTransaction {
		b.WriteString("-- wfo:transaction none\n")
	}
	b.WriteString(strings.TrimRight("\n-- wfo:upgrade "+r.Dialect, " ") + "\n")
	b.WriteString(sectionBody(r.Upgrade))
	b.WriteString(strings.TrimRight("\n-- wfo:downgrade "+r.Dialect, " ") + "\n")
	b.WriteString(sectionBody(r.Downgrade))
	return []byte(b.String())
}

// CommentText makes a value safe inside a one-line "--" comment of a revision: a value with a line break or any
// other character that is not graphic (PostgreSQL also ends a comment at a carriage return) is written as a
// Go-quoted string, so nothing of it can become SQL or a wfo directive.
func CommentText(s string) string {
	for _, r := range s {
		if !unicode.IsGraphic(r) || r == '\u2028' || r == '\u2029' {
			return strconv.QuoteToGraphic(s)
		}
	}
	return s
}

func writeDirective(b *strings.Builder, key string, values []string) {
	b.WriteString(strings.TrimRight(fmt.Sprintf("-- wfo:%s %s", key, strings.Join(values, ", ")), " ") + "\n")
}

// sectionBody drops the blank lines around a section's SQL. The first line keeps its indentation, so an indented
// "-- wfo:upgrade" does not become a section marker.
func sectionBody(sql string) string {
	if strings.TrimSpace(sql) == "" {
		return ""
	}
	for {
		line, rest, _ := strings.Cut(sql, "\n")
		if strings.TrimSpace(line) != "" {
			break
		}
		sql = rest
	}
	return strings.TrimRight(sql, " \t\r\n") + "\n"
}
