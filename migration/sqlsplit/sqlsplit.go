// Package sqlsplit splits SQL scripts into statements for PostgreSQL and SQLite.
//
// A script is split on semicolons that are outside of
//
//   - single-quoted strings ('it”s', and PostgreSQL escape strings E'it\'s'),
//   - double-quoted identifiers ("a;b", with "" doubling),
//   - dollar-quoted strings ($$ ... $$ and $tag$ ... $tag$; $1 is a parameter),
//   - line comments (-- ...) and block comments (/* ... */, which nest as in PostgreSQL),
//   - SQLite trigger bodies: in a statement starting with CREATE [TEMP|TEMPORARY] TRIGGER, the
//     BEGIN ... END body (CASE ... END pairs inside it are counted),
//   - PostgreSQL SQL-standard function and procedure bodies: BEGIN ATOMIC ... END anywhere in a statement
//     (CASE ... END pairs counted likewise).
//
// The text of a statement runs from its first to its last character that is neither whitespace nor part
// of a comment: comments inside a statement are kept as written, comments before it and after its last
// token are not part of it. A statement made only of whitespace and comments is dropped.
//
// Split makes a single pass over the bytes of the script and returns substrings of it, so the only
// allocation is the result slice.
package sqlsplit

import (
	"fmt"
	"strings"
)

// Statement is one SQL statement of a script.
type Statement struct {
	SQL  string // the statement text, trimmed of surrounding whitespace, without the terminating semicolon
	Line int    // 1-based line in the script where the statement starts (first non-space, non-comment character)
}

// Trigger-tracking states of the statement being scanned.
const (
	trigHeader     = iota // scanning the leading words: CREATE [TEMP|TEMPORARY] TRIGGER?
	trigNone              // not a CREATE TRIGGER statement
	trigBeforeBody        // CREATE TRIGGER seen, BEGIN not yet
	trigInBody            // inside BEGIN ... END (or BEGIN ATOMIC ... END): semicolons do not end the statement
	trigAfterBody         // the body's END seen
)

// Split splits script into statements. lineOffset is added to every Line (so callers can report lines of the
// enclosing file when the script is a section of it). It returns an error for an unterminated quoted string,
// dollar-quoted body, block comment or trigger body, naming the line where it started, e.g.
// `line 12: unterminated dollar-quoted string $fn$`.
func Split(script string, lineOffset int) ([]Statement, error) {
	s := script
	n := len(s)

	// Line numbers are computed lazily: only statement starts and error positions need one, and
	// they are requested at increasing offsets.
	line, linePos := 1, 0
	lineAt := func(p int) int {
		line += strings.Count(s[linePos:p], "\n")
		linePos = p
		return line + lineOffset
	}

	var out []Statement
	start := -1 // offset of the current statement's first significant byte, -1 before it
	end := 0    // offset just past the current statement's last significant byte
	words := 0  // leading words seen while trig == trigHeader
	trig := trigHeader
	depth := 0   // BEGIN/CASE ... END nesting inside a trigger body
	bodyPos := 0 // offset of the trigger body's BEGIN
	begin := -1  // offset of a BEGIN that is the last token seen, -1 otherwise (for BEGIN ATOMIC)

	// mark records that [i, j) is significant (not whitespace or comment) and belongs to the statement.
	mark := func(i, j int) {
		if start < 0 {
			start = i
		}
		end = j
	}
	flush := func() {
		if start >= 0 {
			if out == nil {
				out = make([]Statement, 0, strings.Count(s[start:], ";")+1)
			}
			out = append(out, Statement{SQL: s[start:end], Line: lineAt(start)})
		}
		start, words, trig, depth, begin = -1, 0, trigHeader, 0, -1
	}
	// nonWord ends the search for CREATE [TEMP|TEMPORARY] TRIGGER and for BEGIN ATOMIC at a token that is not a
	// word.
	nonWord := func() {
		if trig == trigHeader {
			trig = trigNone
		}
		begin = -1
	}

	i := 0
	for i < n {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++

		case c == ';':
			if trig == trigInBody {
				mark(i, i+1)
				i++
				continue
			}
			flush()
			i++

		case c == '-' && i+1 < n && s[i+1] == '-':
			j := strings.IndexByte(s[i+2:], '\n')
			if j < 0 {
				i = n
			} else {
				i += 2 + j
			}

		case c == '/' && i+1 < n && s[i+1] == '*':
			j, ok := skipBlockComment(s, i)
			if !ok {
				return nil, fmt.Errorf("line %d: unterminated block comment", lineAt(i))
			}
			i = j

		case c == '\'':
			j, ok := skipQuoted(s, i, '\'', false)
			if !ok {
				return nil, fmt.Errorf("line %d: unterminated quoted string", lineAt(i))
			}
			mark(i, j)
			nonWord()
			i = j

		case c == '"':
			j, ok := skipQuoted(s, i, '"', false)
			if !ok {
				return nil, fmt.Errorf("line %d: unterminated quoted identifier", lineAt(i))
			}
			mark(i, j)
			nonWord()
			i = j

		case c == '$':
			// Not preceded by an identifier byte: identifier characters always start a word, which is
			// consumed whole (including any '$' in it) below.
			j := i + 1
			if j < n && !isDigit(s[j]) {
				for j < n && isIdent(s[j]) && s[j] != '$' {
					j++
				}
			}
			if j < n && s[j] == '$' {
				tag := s[i : j+1]
				k := strings.Index(s[j+1:], tag)
				if k < 0 {
					return nil, fmt.Errorf("line %d: unterminated dollar-quoted string %s", lineAt(i), tag)
				}
				k += j + 1 + len(tag)
				mark(i, k)
				nonWord()
				i = k
				continue
			}
			// A parameter such as $1 or a lone '$': the '$' is ordinary, what follows is a word.
			mark(i, i+1)
			nonWord()
			i++

		case isIdent(c):
			j := i + 1
			for j < n && isIdent(s[j]) {
				j++
			}
			if j == i+1 && (c == 'E' || c == 'e') && j < n && s[j] == '\'' {
				// PostgreSQL escape string E'...': a backslash escapes the next byte.
				k, ok := skipQuoted(s, j, '\'', true)
				if !ok {
					return nil, fmt.Errorf("line %d: unterminated quoted string", lineAt(i))
				}
				mark(i, k)
				nonWord()
				i = k
				continue
			}
			mark(i, j)
			w := s[i:j]
			if trig != trigInBody && begin >= 0 && strings.EqualFold(w, "ATOMIC") {
				trig, depth, bodyPos, begin = trigInBody, 1, begin, -1
				i = j
				continue
			}
			begin = -1
			if trig != trigInBody && strings.EqualFold(w, "BEGIN") {
				begin = i
			}
			switch trig {
			case trigHeader:
				words++
				switch {
				case words == 1 && strings.EqualFold(w, "CREATE"):
				case words == 2 && (strings.EqualFold(w, "TEMP") || strings.EqualFold(w, "TEMPORARY")):
				case (words == 2 || words == 3) && strings.EqualFold(w, "TRIGGER"):
					trig = trigBeforeBody
				default:
					trig = trigNone
				}
			case trigBeforeBody:
				if strings.EqualFold(w, "BEGIN") {
					trig, depth, bodyPos = trigInBody, 1, i
				}
			case trigInBody:
				if strings.EqualFold(w, "CASE") {
					depth++
				} else if strings.EqualFold(w, "END") {
					depth--
					if depth == 0 {
						trig = trigAfterBody
					}
				}
			}
			i = j

		default:
			mark(i, i+1)
			nonWord()
			i++
		}
	}
	if trig == trigInBody {
		return nil, fmt.Errorf("line %d: unterminated body (BEGIN without matching END)", lineAt(bodyPos))
	}
	flush()
	return out, nil
}

// skipQuoted returns the offset just past the quoted token starting with the quote byte q at s[i].
// A doubled quote stands for itself; with backslash, a backslash escapes the next byte.
func skipQuoted(s string, i int, q byte, backslash bool) (int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		case '\\':
			if backslash {
				j++
			}
		}
	}
	return len(s), false
}

// skipBlockComment returns the offset just past the (possibly nested) block comment starting at s[i].
func skipBlockComment(s string, i int) (int, bool) {
	depth := 0
	for j := i; j+1 < len(s); {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j += 2
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j, true
			}
		default:
			j++
		}
	}
	return len(s), false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdent reports whether c may appear in an identifier or keyword (bytes of non-ASCII UTF-8 included).
func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}
