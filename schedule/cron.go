package schedule

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a parsed cron expression: one bit per allowed value of each field.
type cronSpec struct {
	text                          string
	minute, hour, dom, month, dow uint64
	domRestricted, dowRestricted  bool
	minuteList, hourList          []int
}

var cronMacros = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

var (
	monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	dowNames   = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

type cronField struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
}

var cronFields = [5]cronField{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, monthNames},
	{"day of week", 0, 7, dowNames},
}

func parseCron(expr string) (*cronSpec, error) {
	f := strings.Fields(expr)
	text := strings.Join(f, " ")
	if len(f) == 1 && strings.HasPrefix(f[0], "@") {
		m, ok := cronMacros[strings.ToLower(f[0])]
		if !ok {
			return nil, fmt.Errorf("unknown macro %s: use @hourly, @daily, @weekly, @monthly or @yearly", f[0])
		}
		text, f = strings.ToLower(f[0]), strings.Fields(m)
	}
	if len(f) != 5 {
		return nil, fmt.Errorf("%d fields: use five (minute hour day-of-month month day-of-week) or a macro such as @daily", len(f))
	}
	s := &cronSpec{text: text}
	sets := [5]*uint64{&s.minute, &s.hour, &s.dom, &s.month, &s.dow}
	for i, field := range cronFields {
		set, err := parseCronField(f[i], field)
		if err != nil {
			return nil, fmt.Errorf("%s field %q: %v", field.name, f[i], err)
		}
		*sets[i] = set
	}
	if s.dow&(1<<7) != 0 { // 7 is Sunday too
		s.dow = s.dow&^(1<<7) | 1
	}
	s.domRestricted = !strings.HasPrefix(f[2], "*")
	s.dowRestricted = !strings.HasPrefix(f[4], "*")
	for v := 0; v < 60; v++ {
		if s.minute&(1<<v) != 0 {
			s.minuteList = append(s.minuteList, v)
		}
		if v < 24 && s.hour&(1<<v) != 0 {
			s.hourList = append(s.hourList, v)
		}
	}
	if !s.possible() {
		return nil, errors.New("no date matches the day of month and month fields")
	}
	return s, nil
}

func parseCronField(text string, f cronField) (uint64, error) {
	var set uint64
	for _, item := range strings.Split(text, ",") {
		rng, stepText, hasStep := strings.Cut(item, "/")
		lo, hi := f.min, f.max
		if f.name == "day of week" {
			hi = 6 // * means Sunday to Saturday once; 7 is accepted as a value only
		}
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if lo, err = cronValue(a, f); err != nil {
				return 0, err
			}
			if hi, err = cronValue(b, f); err != nil {
				return 0, err
			}
			if lo > hi {
				return 0, fmt.Errorf("range %s goes backwards", rng)
			}
		default:
			v, err := cronValue(rng, f)
			if err != nil {
				return 0, err
			}
			lo, hi = v, v
			if hasStep { // "a/step" means a to the end in steps
				hi = f.max
			}
		}
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return 0, fmt.Errorf("step %q: use a whole number of at least 1", stepText)
			}
			step = n
		}
		for v := lo; v <= hi; v += step {
			set |= 1 << v
		}
	}
	return set, nil
}

func cronValue(s string, f cronField) (int, error) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min || v > f.max || s == "" || s[0] == '+' || s[0] == '-' {
		valid := fmt.Sprintf("%d-%d", f.min, f.max)
		if f.names != nil {
			valid += fmt.Sprintf(" or %s-%s", f.names[0], f.names[len(f.names)-1])
		}
		return 0, fmt.Errorf("%q is not a value: use %s", s, valid)
	}
	return v, nil
}

// possible reports whether some date matches: a restricted day of week always does; otherwise some allowed
// month must have one of the allowed days of month (February counting 29).
func (s *cronSpec) possible() bool {
	if s.dowRestricted && s.domRestricted || !s.domRestricted {
		return true
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m := 1; m <= 12; m++ {
		if s.month&(1<<m) != 0 && bits.TrailingZeros64(s.dom) <= days[m] {
			return true
		}
	}
	return false
}

func (s *cronSpec) dayMatches(day int, wd time.Weekday, month time.Month) bool {
	if s.month&(1<<int(month)) == 0 {
		return false
	}
	dom, dow := s.dom&(1<<day) != 0, s.dow&(1<<int(wd)) != 0
	if s.domRestricted && s.dowRestricted {
		return dom || dow
	}
	return dom && dow
}

func (s *cronSpec) matches(lt time.Time) bool {
	y, m, d := lt.Date()
	if lt.Second() == 0 && lt.Nanosecond() == 0 && s.minute&(1<<lt.Minute()) != 0 && s.hour&(1<<lt.Hour()) != 0 &&
		s.dayMatches(d, lt.Weekday(), m) && resolve(y, m, d, lt.Hour(), lt.Minute(), 0, lt.Location()).Equal(lt) {
		return true
	}
	// The moment of a jump forward stands for the skipped wall-clock times that match.
	offBefore, offAfter, jump := isJump(lt, lt.Location())
	if !jump {
		return false
	}
	wall := func(off int) time.Time { return time.Unix(lt.Unix()+int64(off), 0).UTC() }
	for w, to := wall(offBefore), wall(offAfter); w.Before(to); w = w.Add(time.Minute) {
		if w.Second() == 0 && s.minute&(1<<w.Minute()) != 0 && s.hour&(1<<w.Hour()) != 0 && s.dayMatches(w.Day(), w.Weekday(), w.Month()) {
			return true
		}
	}
	return false
}

// maxCronDays bounds the search: February 29 can be eight years away (2096 to 2104).
const maxCronDays = 9 * 366

func (s *cronSpec) next(after time.Time, loc *time.Location) time.Time {
	la := after.In(loc)
	y, m, d := la.Date()
	for i := 0; i < maxCronDays; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		if !s.dayMatches(day.Day(), day.Weekday(), day.Month()) {
			continue
		}
		for _, h := range s.hourList {
			// Resolved times grow with the wall-clock time within a day, and a daylight-saving change moves them by
			// at most a few hours, so on the first day the hours well before now cannot come after it.
			if i == 0 && h < la.Hour()-3 {
				continue
			}
			for _, mi := range s.minuteList {
				if c := resolve(day.Year(), day.Month(), day.Day(), h, mi, 0, loc); c.After(after) {
					return c
				}
			}
		}
	}
	return time.Time{}
}
