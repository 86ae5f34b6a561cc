package database

import (
	"strconv"
	"strings"
)

// This file and its neighbours (time.go, lock.go, tx.go) are the one place that knows how PostgreSQL and SQLite
// differ. Queries elsewhere are written once, with ? placeholders, and pass through Rebind; the clauses that differ
// come from the methods below.

// Rebind turns the ? placeholders of query into the dialect's: $1, $2, ... on PostgreSQL, unchanged on SQLite.
// A ? inside a quoted literal, a quoted identifier or a comment is left alone.
func (d Dialect) Rebind(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); {
		// Copy up to the next character that matters in one piece.
		j := strings.IndexAny(query[i:], "'\"-?")
		if j < 0 {
			b.WriteString(query[i:])
			break
		}
		b.WriteString(query[i : i+j])
		i += j
		switch c := query[i]; {
		case c == '\'' || c == '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 2
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i - 1
			}
			b.WriteString(query[i : i+end+1])
			i += end + 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// Now is the database clock as an SQL expression. On PostgreSQL it is clock_timestamp(), which advances within a
// transaction; on SQLite it is the current time in the one text form of timestamps (FormatTime's; SQLite's clock
// has milliseconds).
func (d Dialect) Now() string {
	if d == SQLite {
		return "replace(strftime('%Y-%m-%d %H:%M:%f000+00:00', 'now'), '.000000+', '+')"
	}
	return "clock_timestamp()"
}

// NowPlus is the database clock millis milliseconds from now, in the form of Now: millis is an SQL expression of a
// whole number, usually a placeholder. Deadlines written with it (a lease's expiry, say) compare with Now on the
// same clock, whichever machine wrote them.
func (d Dialect) NowPlus(millis string) string {
	if d == SQLite {
		return "replace(strftime('%Y-%m-%d %H:%M:%f000+00:00', 'now', (CAST(" + millis + " AS INTEGER) / 1000.0) || ' seconds'), '.000000+', '+')"
	}
	return "(clock_timestamp() + CAST(" + millis + " AS bigint) * interval '1 millisecond')"
}

// ForUpdate is the clause that locks the selected rows until the transaction ends: " FOR UPDATE" on PostgreSQL,
// "" on SQLite, where a write transaction holds the whole database from BEGIN.
func (d Dialect) ForUpdate() string {
	if d == SQLite {
		return ""
	}
	return " FOR UPDATE"
}

// SkipLocked is ForUpdate that passes over rows other transactions hold, for picking work.
func (d Dialect) SkipLocked() string {
	if d == SQLite {
		return ""
	}
	return " FOR UPDATE SKIP LOCKED"
}

// InsertOrder is a column that orders a table's rows as they were inserted, to break ties between equal timestamps:
// SQLite's rowid, or "" on PostgreSQL, whose timestamps have microseconds and where rows have no such column.
func (d Dialect) InsertOrder() string {
	if d == SQLite {
		return "rowid"
	}
	return ""
}

// Upsert describes an INSERT that does something else when a row with the same key exists.
type Upsert struct {
	Table   string
	Columns []string
	// Key names the unique columns a conflict is detected on; empty means any unique constraint (DO NOTHING only).
	Key []string
	// Update lists the columns set from the new row on a conflict; with none the existing row is kept.
	Update []string
	// Set are further assignments on a conflict, written as SQL ("deleted_at = NULL").
	Set []string
	// Rows is how many rows the statement inserts (0 means 1).
	Rows int
}

// SQL writes the statement in the dialect, with its placeholders bound. Both databases read the same
// INSERT ... ON CONFLICT form (SQLite since 3.24), so only the placeholders differ.
func (u Upsert) SQL(d Dialect) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(u.Table)
	b.WriteString(" (")
	b.WriteString(strings.Join(u.Columns, ", "))
	b.WriteString(") VALUES ")
	b.WriteString(Placeholders(max(u.Rows, 1), len(u.Columns)))
	b.WriteString(" ON CONFLICT")
	if len(u.Key) > 0 {
		b.WriteString(" (" + strings.Join(u.Key, ", ") + ")")
	}
	set := append([]string{}, u.Set...)
	for _, c := range u.Update {
		set = append(set, c+" = excluded."+c)
	}
	if len(set) == 0 {
		b.WriteString(" DO NOTHING")
	} else {
		b.WriteString(" DO UPDATE SET " + strings.Join(set, ", "))
	}
	return d.Rebind(b.String())
}

// Placeholders returns n groups of width ? placeholders, "(?, ?), (?, ?)", for multi-row VALUES lists; width 0
// gives n single placeholders without parentheses, "?, ?", for IN lists.
func Placeholders(n, width int) string {
	if width == 0 {
		return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	}
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(group+", ", n), ", ")
}

// ForUpdateOf is ForUpdate for a join, locking only the rows of the table with this name or alias.
func (d Dialect) ForUpdateOf(table string) string {
	if d == SQLite {
		return ""
	}
	return " FOR UPDATE OF " + table
}

// Variants is one statement written for each dialect, for the few that must differ (a planner hint only
// PostgreSQL needs, say). Both are written with ? placeholders.
type Variants struct{ Postgres, SQLite string }

// For returns the dialect's statement, with its placeholders bound.
func (v Variants) For(d Dialect) string {
	if d == SQLite {
		return v.SQLite
	}
	return d.Rebind(v.Postgres)
}

// NoLimit is the LIMIT clause that limits nothing, for an OFFSET without a limit: "LIMIT ALL" on PostgreSQL,
// "LIMIT -1" on SQLite (which needs a LIMIT before an OFFSET).
func (d Dialect) NoLimit() string {
	if d == SQLite {
		return "LIMIT -1"
	}
	return "LIMIT ALL"
}

// IsServer reports whether the database is a server (PostgreSQL), where connecting creates nothing and costs a
// round trip, rather than a file that opening creates (SQLite).
func (d Dialect) IsServer() bool { return d == Postgres }
