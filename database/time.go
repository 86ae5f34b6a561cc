package database

import (
	"fmt"
	"time"

	"github.com/wfo-go/wfo/internal/pytext"
)

// FormatTime writes t in the one text form of a timestamp in SQLite's TEXT columns: Python's str() of a UTC
// datetime, the form the reference writes values in, YYYY-MM-DD HH:MM:SS[.ffffff]+00:00, with six fractional
// digits unless they are all zero (nanoseconds are truncated). Text order is time order ('+' sorts before '.'), and
// the reference's readers (datetime.fromisoformat, SQLAlchemy's SQLite DateTime) read it.
func FormatTime(t time.Time) string { return pytext.Time(t.UTC()) }

// Time is the value to bind for a timestamp column: a time.Time on PostgreSQL, FormatTime's text on SQLite. Both
// keep microseconds; the rest is truncated, so what is read back equals what was written.
func (d Dialect) Time(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d == SQLite {
		return FormatTime(t)
	}
	return t
}

// NullTime is the value to bind for a nullable timestamp column: NULL for a zero time, otherwise Time.
func (d Dialect) NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.Time(t)
}

// ParseTime reads a timestamp in any form the two databases and the reference write: a space or T between date and
// time, optional fractional seconds, an offset (+00:00, Z, +02) or none (taken as UTC). The result is in UTC.
func ParseTime(s string) (time.Time, error) {
	if t, ok := pytext.ParseTime(s); ok {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("database: %q is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff]+00:00)", s)
}

// ScanTime is a sql.Scanner for a nullable timestamp column of either database: a native time on PostgreSQL, text
// on SQLite. A NULL leaves the zero time.
type ScanTime struct{ T *time.Time }

// Scan implements sql.Scanner.
func (s ScanTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.T = time.Time{}
	case time.Time:
		*s.T = v.UTC()
	case string:
		t, err := ParseTime(v)
		if err != nil {
			return err
		}
		*s.T = t
	case []byte:
		return s.Scan(string(v))
	default:
		return fmt.Errorf("database: cannot read %T as a timestamp", v)
	}
	return nil
}

// TimestampType is the column type of a timestamp: TIMESTAMP WITH TIME ZONE on PostgreSQL, TEXT (in FormatTime's
// form) on SQLite.
func (d Dialect) TimestampType() string {
	if d == SQLite {
		return "TEXT"
	}
	return "TIMESTAMP WITH TIME ZONE"
}
