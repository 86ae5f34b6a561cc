package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of an "every N units" rule.
type Unit int

// The units of the reference's schedules (the schedule library's second(s) ... week(s)).
const (
	Second Unit = iota + 1
	Minute
	Hour
	Day
	Week
)

var unitNames = map[Unit][2]string{
	Second: {"second", "seconds"},
	Minute: {"minute", "minutes"},
	Hour:   {"hour", "hours"},
	Day:    {"day", "days"},
	Week:   {"week", "weeks"},
}

// String returns the unit's plural name ("hours").
func (u Unit) String() string {
	if n, ok := unitNames[u]; ok {
		return n[1]
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

func (u Unit) name(n int) string {
	if n == 1 {
		return unitNames[u][0]
	}
	return unitNames[u][1]
}

func (u Unit) duration() time.Duration {
	switch u {
	case Second:
		return time.Second
	case Minute:
		return time.Minute
	case Hour:
		return time.Hour
	}
	return 0
}

// ErrInvalidRule is wrapped by every error about a rule.
var ErrInvalidRule = errors.New("schedule: invalid rule")

// Rule says when a schedule runs: every N units, optionally at a time of day (of the hour, of the minute), or at
// the times of a cron expression. Build one with Every, Every(...).At or Cron, or parse its text with ParseRule.
// A Rule that could not be built carries its error (Err); the scheduler refuses it.
//
// Timing, in the scheduler's time zone (UTC unless WFO_TIMEZONE says otherwise):
//
//   - every N seconds, minutes or hours: N units of elapsed time after the previous run ended (or after the
//     scheduler started, for the first run).
//   - every N days or weeks: the same wall-clock time N days (7N days) later.
//   - every N hours at "MM:SS", every N minutes at ":SS": the first time the local clock shows that position at
//     least N-1 units after the previous run.
//   - every N days (weeks) at "HH:MM[:SS]": that wall-clock time, on the first day it is still ahead at least
//     N-1 days (7N-1 days) after the previous run: "every 1 day at 00:10" runs today if 00:10 is still to come,
//     else tomorrow.
//   - cron: the standard five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly,
//     @monthly, @yearly, in wall-clock time.
//
// Wall-clock times follow daylight saving: a time the clocks pass twice runs once, at its first occurrence; a
// time they skip runs at the moment of the change.
type Rule struct {
	n    int
	unit Unit
	// at is the position of the run within its day, hour or minute; hasAt tells whether it is set.
	at    time.Duration
	hasAt bool
	cron  *cronSpec
	err   error
}

// Every returns the rule "every n units". n must be at least 1.
func Every(n int, u Unit) Rule {
	r := Rule{n: n, unit: u}
	switch {
	case unitNames[u] == [2]string{}:
		r.err = fmt.Errorf("%w: unknown unit %d: use Second, Minute, Hour, Day or Week", ErrInvalidRule, int(u))
	case n < 1:
		r.err = fmt.Errorf("%w: every %d %s: the period must be at least 1", ErrInvalidRule, n, u)
	}
	return r
}

// At returns the rule run at a time within each period: "HH:MM" or "HH:MM:SS" for days and weeks, "MM:SS" or
// ":MM" for hours, ":SS" for minutes (the reference's formats).
func (r Rule) At(at string) Rule {
	if r.err != nil {
		return r
	}
	if r.cron != nil {
		r.err = fmt.Errorf("%w: a cron rule has no at time", ErrInvalidRule)
		return r
	}
	pos, err := parseAt(r.unit, at)
	if err != nil {
		r.err = fmt.Errorf("%w: every %d %s at %q: %v", ErrInvalidRule, r.n, r.unit.name(r.n), at, err)
		return r
	}
	r.at, r.hasAt = pos, true
	return r
}

// parseAt reads an at time for unit u as an offset into the day, hour or minute.
func parseAt(u Unit, at string) (time.Duration, error) {
	parts := strings.Split(at, ":")
	num := func(s string, max int) (int, bool) {
		if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
			return 0, false
		}
		n, _ := strconv.Atoi(s)
		return n, n <= max
	}
	switch u {
	case Day, Week:
		const valid = "use HH:MM or HH:MM:SS (00:00 to 23:59:59)"
		if len(parts) != 2 && len(parts) != 3 {
			return 0, errors.New(valid)
		}
		h, ok1 := num(parts[0], 23)
		m, ok2 := num(parts[1], 59)
		s, ok3 := 0, true
		if len(parts) == 3 {
			s, ok3 = num(parts[2], 59)
		}
		if !ok1 || !ok2 || !ok3 {
			return 0, errors.New(valid)
		}
		return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second, nil
	case Hour:
		const valid = "use MM:SS or :MM for hours"
		if len(parts) != 2 {
			return 0, errors.New(valid)
		}
		if parts[0] == "" {
			m, ok := num(parts[1], 59)
			if !ok {
				return 0, errors.New(valid)
			}
			return time.Duration(m) * time.Minute, nil
		}
		m, ok1 := num(parts[0], 59)
		s, ok2 := num(parts[1], 59)
		if !ok1 || !ok2 {
			return 0, errors.New(valid)
		}
		return time.Duration(m)*time.Minute + time.Duration(s)*time.Second, nil
	case Minute:
		const valid = "use :SS for minutes"
		if len(parts) != 2 || parts[0] != "" {
			return 0, errors.New(valid)
		}
		s, ok := num(parts[1], 59)
		if !ok {
			return 0, errors.New(valid)
		}
		return time.Duration(s) * time.Second, nil
	}
	return 0, errors.New("only days, weeks, hours and minutes can have an at time")
}

// Cron returns the rule of a cron expression: five fields (minute hour day-of-month month day-of-week) with
// *, lists, ranges, steps and the names jan-dec and sun-sat, or one of @hourly, @daily (@midnight), @weekly,
// @monthly, @yearly (@annually). As in cron, when both day fields are restricted a day matching either runs.
func Cron(expr string) Rule {
	spec, err := parseCron(expr)
	if err != nil {
		return Rule{err: fmt.Errorf("%w: cron %q: %v", ErrInvalidRule, expr, err)}
	}
	return Rule{cron: spec}
}

// Err returns why the rule is not valid, or nil.
func (r Rule) Err() error {
	if r.err == nil && r.cron == nil && r.n == 0 {
		return fmt.Errorf("%w: no rule: use Every, Every(...).At or Cron", ErrInvalidRule)
	}
	return r.err
}

// String returns the rule's text, which ParseRule reads back: "every 1 hour", "every 6 hours",
// "every 1 day at 00:10", "every 1 hour at 05:00", "cron 10 0 * * *".
func (r Rule) String() string {
	switch {
	case r.err != nil:
		return "invalid rule"
	case r.cron != nil:
		return "cron " + r.cron.text
	case r.n == 0:
		return "no rule"
	}
	s := fmt.Sprintf("every %d %s", r.n, r.unit.name(r.n))
	if r.hasAt {
		s += " at " + formatAt(r.unit, r.at)
	}
	return s
}

func formatAt(u Unit, at time.Duration) string {
	h, m, s := int(at/time.Hour), int(at/time.Minute)%60, int(at/time.Second)%60
	switch u {
	case Day, Week:
		if s == 0 {
			return fmt.Sprintf("%02d:%02d", h, m)
		}
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	case Hour:
		return fmt.Sprintf("%02d:%02d", m, s)
	}
	return fmt.Sprintf(":%02d", s)
}

// ParseRule reads a rule's text: "every [N] UNIT [at TIME]" (UNIT one of second(s), minute(s), hour(s), day(s),
// week(s); N defaults to 1) or "cron EXPRESSION".
func ParseRule(text string) (Rule, error) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return Rule{}, fmt.Errorf("%w: empty rule: use \"every N units [at TIME]\" or \"cron EXPRESSION\"", ErrInvalidRule)
	}
	switch strings.ToLower(f[0]) {
	case "cron":
		r := Cron(strings.Join(f[1:], " "))
		return r, r.err
	case "every":
		rest := f[1:]
		n := 1
		if len(rest) > 0 {
			if v, err := strconv.Atoi(rest[0]); err == nil {
				n, rest = v, rest[1:]
			}
		}
		if len(rest) == 0 {
			return Rule{}, fmt.Errorf("%w: %q: the unit is missing: use second(s), minute(s), hour(s), day(s) or week(s)", ErrInvalidRule, text)
		}
		unit := Unit(0)
		for u, names := range unitNames {
			if strings.EqualFold(rest[0], names[0]) || strings.EqualFold(rest[0], names[1]) {
				unit = u
			}
		}
		if unit == 0 {
			return Rule{}, fmt.Errorf("%w: %q: unknown unit %q: use second(s), minute(s), hour(s), day(s) or week(s)", ErrInvalidRule, text, rest[0])
		}
		r := Every(n, unit)
		switch {
		case len(rest) == 1:
		case len(rest) == 3 && strings.EqualFold(rest[1], "at"):
			r = r.At(rest[2])
		default:
			return Rule{}, fmt.Errorf("%w: %q: unexpected %q after the unit: use \"every N units at TIME\"", ErrInvalidRule, text, strings.Join(rest[1:], " "))
		}
		return r, r.err
	}
	return Rule{}, fmt.Errorf("%w: %q: use \"every N units [at TIME]\" or \"cron EXPRESSION\"", ErrInvalidRule, text)
}

// MustParseRule is ParseRule for rules written in code; it panics on an invalid rule.
func MustParseRule(text string) Rule {
	r, err := ParseRule(text)
	if err != nil {
		panic(err)
	}
	return r
}

// Next returns when a schedule with this rule runs next, given the end of its previous run (or the moment the
// scheduler first planned it), with wall-clock times in loc. The result is always after the given time. It
// returns the zero time for an invalid rule.
func (r Rule) Next(after time.Time, loc *time.Location) time.Time {
	if r.Err() != nil {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	if r.cron != nil {
		return r.cron.next(after, loc)
	}
	switch r.unit {
	case Second, Minute, Hour:
		d := r.unit.duration()
		if !r.hasAt {
			return after.Add(time.Duration(r.n) * d).In(loc)
		}
		return nextPosition(after.Add(time.Duration(r.n-1)*d), loc, d, r.at, false)
	}
	days := r.n
	if r.unit == Week {
		days *= 7
	}
	la := after.In(loc)
	y, m, d := la.Date()
	if !r.hasAt {
		t := resolve(y, m, d+days, la.Hour(), la.Minute(), la.Second(), loc).Add(time.Duration(la.Nanosecond()))
		if !t.After(after) { // cannot happen with real zones: a day is never shorter than 2 hours
			t = after.Add(time.Duration(days) * 24 * time.Hour)
		}
		return t
	}
	// The earliest moment the run may come: the same wall-clock time days-1 days later.
	from := after
	if days > 1 {
		from = resolve(y, m, d+days-1, la.Hour(), la.Minute(), la.Second(), loc).Add(time.Duration(la.Nanosecond()))
		if from.Before(after) {
			from = after
		}
	}
	lf := from.In(loc)
	y, m, d = lf.Date()
	h, mi, s := int(r.at/time.Hour), int(r.at/time.Minute)%60, int(r.at/time.Second)%60
	for i := 0; ; i++ {
		if c := resolve(y, m, d+i, h, mi, s, loc); c.After(from) {
			return c
		}
	}
}

// Matches reports whether t is a time the rule's at time or cron expression names in loc, for checks and
// tests: the wall clock shows it, or it is the moment of a daylight-saving jump over it. Interval rules without an
// at time match every time.
func (r Rule) Matches(t time.Time, loc *time.Location) bool {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	switch {
	case r.Err() != nil:
		return false
	case r.cron != nil:
		return r.cron.matches(lt)
	case !r.hasAt:
		return true
	case r.unit == Day || r.unit == Week:
		h, mi, s := int(r.at/time.Hour), int(r.at/time.Minute)%60, int(r.at/time.Second)%60
		y, m, d := lt.Date()
		return resolve(y, m, d, h, mi, s, loc).Equal(t) ||
			resolve(y, m, d-1, h, mi, s, loc).Equal(t) // a jump over the time at midnight lands on the next date
	}
	return positionIn(lt, r.unit.duration()) == r.at
}
