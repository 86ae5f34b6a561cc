package sqlsplit

import (
	"strings"
	"testing"
)

// FuzzSplit checks that Split never panics and that its output is consistent:
//
//   - every statement is non-empty, has no surrounding whitespace, and is a substring of the script;
//   - Line values are non-decreasing and at least 1+lineOffset;
//   - re-splitting the statements joined with ";\n" gives the same statement texts.
//
// The round trip holds without restriction because a statement's text ends at its last character that is
// neither whitespace nor comment: it never ends inside a line comment (which would swallow the appended
// ";"), and the scanner's state at that point (outside quotes, comments and any trigger body, else Split
// would have failed or not ended the statement there) depends only on the text of the statement itself,
// so the appended ";" ends it again. Only the lines differ, so they are not compared.
func FuzzSplit(f *testing.F) {
	seeds := []string{
		"",
		"SELECT 1;",
		"SELECT 1; SELECT 2",
		"-- only a comment\n",
		"SELECT 'it''s; fine'; SELECT E'a\\';b';",
		`CREATE TABLE "a;b" ("x""y" int);`,
		"DO $$ BEGIN PERFORM 1; END $$; SELECT $1, $tag$;$tag$;",
		"SELECT /* a /* b; */ c */ 1; /* tail */",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = CASE WHEN 1 THEN 2 END; END; SELECT 2;",
		"create temp trigger t after insert on a begin select 1;",
		"SELECT 1 -- trailing comment",
		"SELECT 'unterminated",
		"/* unterminated",
		"SELECT $x$ unterminated",
		"SELECT a$b$c; SELECT $1$;",
	}
	for i, s := range seeds {
		f.Add(s, i%3*10)
	}
	f.Fuzz(func(t *testing.T, script string, lineOffset int) {
		if lineOffset < -1_000_000 || lineOffset > 1_000_000 {
			lineOffset %= 1_000_000 // avoid overflowing Line
		}
		stmts, err := Split(script, lineOffset)
		if err != nil {
			if stmts != nil {
				t.Fatalf("statements returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error %q does not name a line", err)
			}
			return
		}
		prev := 1 + lineOffset
		texts := make([]string, len(stmts))
		for i, s := range stmts {
			if s.SQL == "" {
				t.Fatalf("statement %d is empty", i)
			}
			if strings.Trim(s.SQL, " \t\n\r\f\v") != s.SQL {
				t.Fatalf("statement %d %q has surrounding whitespace", i, s.SQL)
			}
			if strings.HasPrefix(s.SQL, "--") || strings.HasPrefix(s.SQL, "/*") {
				t.Fatalf("statement %d %q starts with a comment", i, s.SQL)
			}
			if !strings.Contains(script, s.SQL) {
				t.Fatalf("statement %d %q is not part of the script", i, s.SQL)
			}
			if s.Line < prev {
				t.Fatalf("statement %d line %d < %d", i, s.Line, prev)
			}
			prev = s.Line
			texts[i] = s.SQL
		}

		// Without quotes, comments, dollar signs and triggers, splitting is plain splitting on ";".
		if !strings.ContainsAny(script, "'\"$-/") && !strings.Contains(strings.ToLower(script), "trigger") {
			var want []Statement
			line := 1 + lineOffset
			for part := range strings.SplitSeq(script, ";") {
				if sql := strings.Trim(part, " \t\n\r\f\v"); sql != "" {
					lead := part[:strings.Index(part, sql)]
					want = append(want, Statement{SQL: sql, Line: line + strings.Count(lead, "\n")})
				}
				line += strings.Count(part, "\n")
			}
			if len(want) != len(stmts) {
				t.Fatalf("got %d statements, want %d: %+v", len(stmts), len(want), stmts)
			}
			for i := range want {
				if want[i] != stmts[i] {
					t.Fatalf("statement %d: got %+v, want %+v", i, stmts[i], want[i])
				}
			}
		}

		joined := strings.Join(texts, ";\n")
		again, err := Split(joined, 0)
		if err != nil {
			t.Fatalf("re-splitting %q: %v", joined, err)
		}
		if len(again) != len(stmts) {
			t.Fatalf("re-splitting %q: got %d statements, want %d", joined, len(again), len(stmts))
		}
		for i := range again {
			if again[i].SQL != texts[i] {
				t.Fatalf("re-splitting statement %d: got %q, want %q", i, again[i].SQL, texts[i])
			}
		}
	})
}
