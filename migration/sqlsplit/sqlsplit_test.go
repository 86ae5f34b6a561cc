package sqlsplit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// st builds an expected statement.
func st(line int, sql string) Statement { return Statement{SQL: sql, Line: line} }

func TestSplit(t *testing.T) {
	tests := []struct {
		name   string
		script string
		offset int
		want   []Statement
	}{
		// Basics.
		{name: "empty", script: "", want: nil},
		{name: "whitespace only", script: " \n\t\r\n  ", want: nil},
		{name: "only semicolons", script: ";;\n ; ", want: nil},
		{name: "single with semicolon", script: "SELECT 1;", want: []Statement{st(1, "SELECT 1")}},
		{name: "single without semicolon", script: "SELECT 1", want: []Statement{st(1, "SELECT 1")}},
		{name: "final without semicolon", script: "SELECT 1;\nSELECT 2\n", want: []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{name: "two on one line", script: "SELECT 1; SELECT 2;", want: []Statement{st(1, "SELECT 1"), st(1, "SELECT 2")}},
		{name: "trimmed", script: "\n\n   SELECT\n     1  \n ;\n", want: []Statement{st(3, "SELECT\n     1")}},
		{name: "crlf", script: "SELECT 1;\r\nSELECT 2;\r\n", want: []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},

		// Single-quoted strings.
		{name: "semicolon in string", script: "INSERT INTO t VALUES ('a;b');SELECT 2", want: []Statement{st(1, "INSERT INTO t VALUES ('a;b')"), st(1, "SELECT 2")}},
		{name: "doubled quote", script: "SELECT 'it''s; fine';SELECT 2", want: []Statement{st(1, "SELECT 'it''s; fine'"), st(1, "SELECT 2")}},
		{name: "empty string", script: "SELECT '';SELECT ''''", want: []Statement{st(1, "SELECT ''"), st(1, "SELECT ''''")}},
		{name: "backslash in plain string is not an escape", script: `SELECT 'C:\';SELECT 2`, want: []Statement{st(1, `SELECT 'C:\'`), st(1, "SELECT 2")}},
		{name: "escape string", script: `SELECT E'it\'s; \\';SELECT 2`, want: []Statement{st(1, `SELECT E'it\'s; \\'`), st(1, "SELECT 2")}},
		{name: "lowercase escape string", script: `SELECT e'\';';SELECT 2`, want: []Statement{st(1, `SELECT e'\';'`), st(1, "SELECT 2")}},
		{name: "escape string with doubled quote", script: `SELECT E'a''b;';SELECT 2`, want: []Statement{st(1, `SELECT E'a''b;'`), st(1, "SELECT 2")}},
		{name: "word ending in e is not an escape prefix", script: `SELECT type'\';SELECT 2`, want: []Statement{st(1, `SELECT type'\'`), st(1, "SELECT 2")}},
		{name: "comment markers in string", script: "SELECT '-- /* x';SELECT 2", want: []Statement{st(1, "SELECT '-- /* x'"), st(1, "SELECT 2")}},
		{name: "multi-line string", script: "SELECT 'a\nb;\nc';\nSELECT 2;", want: []Statement{st(1, "SELECT 'a\nb;\nc'"), st(4, "SELECT 2")}},

		// Double-quoted identifiers.
		{name: "semicolon in identifier", script: `CREATE TABLE "a;b" (x int);SELECT 2`, want: []Statement{st(1, `CREATE TABLE "a;b" (x int)`), st(1, "SELECT 2")}},
		{name: "doubled double quote", script: `SELECT 1 AS "say ""hi;""";SELECT 2`, want: []Statement{st(1, `SELECT 1 AS "say ""hi;"""`), st(1, "SELECT 2")}},
		{name: "single quote in identifier", script: `SELECT 1 AS "it's";SELECT 2`, want: []Statement{st(1, `SELECT 1 AS "it's"`), st(1, "SELECT 2")}},

		// Dollar quotes.
		// SQL-standard function bodies (PostgreSQL 14+).
		{
			name:   "begin atomic function",
			script: "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\nEND;\nSELECT 2;",
			want: []Statement{
				st(1, "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\nEND"),
				st(6, "SELECT 2"),
			},
		},
		{
			name:   "begin atomic procedure, lower case, comment between the words",
			script: "create procedure p() language sql begin /* x */ atomic insert into t values (1); delete from u; end;select 2",
			want:   []Statement{st(1, "create procedure p() language sql begin /* x */ atomic insert into t values (1); delete from u; end"), st(1, "select 2")},
		},
		{name: "atomic not after begin", script: "SELECT 1 AS atomic; SELECT 2", want: []Statement{st(1, "SELECT 1 AS atomic"), st(1, "SELECT 2")}},
		{name: "begin then atomic in the next statement", script: "BEGIN; SELECT atomic FROM t; SELECT 2", want: []Statement{st(1, "BEGIN"), st(1, "SELECT atomic FROM t"), st(1, "SELECT 2")}},
		{name: "empty tag", script: "DO $$ BEGIN PERFORM 1; END $$;SELECT 2", want: []Statement{st(1, "DO $$ BEGIN PERFORM 1; END $$"), st(1, "SELECT 2")}},
		{name: "named tag", script: "DO $fn$ SELECT ';'; $$ $fn$;SELECT 2", want: []Statement{st(1, "DO $fn$ SELECT ';'; $$ $fn$"), st(1, "SELECT 2")}},
		{name: "nested tags", script: "SELECT $a$ $b$ ; $b$ ; $a$;SELECT 2", want: []Statement{st(1, "SELECT $a$ $b$ ; $b$ ; $a$"), st(1, "SELECT 2")}},
		{name: "tag with underscore and digits", script: "SELECT $_x1$;$_x1$;SELECT 2", want: []Statement{st(1, "SELECT $_x1$;$_x1$"), st(1, "SELECT 2")}},
		{name: "unbalanced quotes in dollar body", script: "SELECT $$it's \"; -- /*$$;SELECT 2", want: []Statement{st(1, "SELECT $$it's \"; -- /*$$"), st(1, "SELECT 2")}},
		{name: "positional parameter", script: "SELECT $1;SELECT $2", want: []Statement{st(1, "SELECT $1"), st(1, "SELECT $2")}},
		{name: "parameter followed by dollar", script: "SELECT $1$;SELECT 2", want: []Statement{st(1, "SELECT $1$"), st(1, "SELECT 2")}},
		{name: "dollar inside identifier", script: "SELECT a$b$c;SELECT 2", want: []Statement{st(1, "SELECT a$b$c"), st(1, "SELECT 2")}},
		{name: "tag is case sensitive", script: "SELECT $A$ $a$; $A$;SELECT 2", want: []Statement{st(1, "SELECT $A$ $a$; $A$"), st(1, "SELECT 2")}},
		{name: "lone dollar", script: "SELECT $ ;SELECT 2", want: []Statement{st(1, "SELECT $"), st(1, "SELECT 2")}},
		{name: "multi-line dollar body", script: "SELECT $$\n;\n$$;\nSELECT 2", want: []Statement{st(1, "SELECT $$\n;\n$$"), st(4, "SELECT 2")}},

		// Line comments.
		{name: "semicolon in line comment", script: "SELECT 1 -- a; b\n, 2;SELECT 3", want: []Statement{st(1, "SELECT 1 -- a; b\n, 2"), st(2, "SELECT 3")}},
		{name: "line comment at end of script", script: "SELECT 1;\n-- bye;", want: []Statement{st(1, "SELECT 1")}},
		{name: "quote in line comment", script: "SELECT 1 -- it's\n;SELECT 2", want: []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{name: "leading comment lines", script: "-- first\n-- second;\n\nSELECT 1;", want: []Statement{st(4, "SELECT 1")}},
		{name: "comment after semicolon belongs to nothing", script: "SELECT 1; -- one\nSELECT 2; -- two\n", want: []Statement{st(1, "SELECT 1"), st(2, "SELECT 2")}},
		{name: "trailing comment before semicolon is dropped", script: "SELECT 1 -- why\n  ;", want: []Statement{st(1, "SELECT 1")}},
		{name: "comment-only statement dropped", script: "SELECT 1;\n-- nothing here\n;\nSELECT 2;", want: []Statement{st(1, "SELECT 1"), st(4, "SELECT 2")}},
		{name: "minus is not a comment", script: "SELECT 1 - -1;", want: []Statement{st(1, "SELECT 1 - -1")}},

		// Block comments.
		{name: "semicolon in block comment", script: "SELECT /* ; */ 1;SELECT 2", want: []Statement{st(1, "SELECT /* ; */ 1"), st(1, "SELECT 2")}},
		{name: "nested block comments", script: "SELECT /* a /* b; */ c; */ 1;SELECT 2", want: []Statement{st(1, "SELECT /* a /* b; */ c; */ 1"), st(1, "SELECT 2")}},
		{name: "leading block comment", script: "/* header\n; */\n  SELECT 1;", want: []Statement{st(3, "SELECT 1")}},
		{name: "block comment then statement on same line", script: "/* x */ SELECT 1;", want: []Statement{st(1, "SELECT 1")}},
		{name: "block comment only statement dropped", script: "/* a */ ; /* b */", want: nil},
		{name: "star slash outside comment", script: "SELECT 2 */ 1;", want: []Statement{st(1, "SELECT 2 */ 1")}},
		{name: "slash star slash", script: "SELECT /*/ ; */ 1;", want: []Statement{st(1, "SELECT /*/ ; */ 1")}},
		{name: "quotes in block comment", script: "SELECT /* it's \"x $$ */ 1;SELECT 2", want: []Statement{st(1, "SELECT /* it's \"x $$ */ 1"), st(1, "SELECT 2")}},

		// SQLite triggers.
		{
			name:   "trigger",
			script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  UPDATE c SET n = n + 1;\nEND;\nSELECT 2;",
			want: []Statement{
				st(1, "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  UPDATE c SET n = n + 1;\nEND"),
				st(5, "SELECT 2"),
			},
		},
		{
			name:   "temp trigger lowercase",
			script: "create temp trigger t after insert on a begin delete from b; end;select 2",
			want:   []Statement{st(1, "create temp trigger t after insert on a begin delete from b; end"), st(1, "select 2")},
		},
		{
			name:   "temporary trigger",
			script: "CREATE TEMPORARY TRIGGER IF NOT EXISTS t BEFORE DELETE ON a BEGIN SELECT 1; END;SELECT 2",
			want:   []Statement{st(1, "CREATE TEMPORARY TRIGGER IF NOT EXISTS t BEFORE DELETE ON a BEGIN SELECT 1; END"), st(1, "SELECT 2")},
		},
		{
			name:   "trigger with case",
			script: "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END; SELECT CASE 1 WHEN 1 THEN CASE 2 WHEN 2 THEN 3 END END; END;SELECT 2",
			want: []Statement{
				st(1, "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END; SELECT CASE 1 WHEN 1 THEN CASE 2 WHEN 2 THEN 3 END END; END"),
				st(1, "SELECT 2"),
			},
		},
		{
			name:   "trigger after leading comments",
			script: "-- audit\n/* the trigger */\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
			want:   []Statement{st(3, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END")},
		},
		{
			name:   "trigger keywords in quotes and comments are ignored",
			script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 'END;', \"end\" /* END; */ -- END;\n; END;SELECT 2",
			want:   []Statement{st(1, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 'END;', \"end\" /* END; */ -- END;\n; END"), st(2, "SELECT 2")},
		},
		{
			name:   "keywords as whole words only",
			script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT ending, legend, casement FROM b; END;SELECT 2",
			want:   []Statement{st(1, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT ending, legend, casement FROM b; END"), st(1, "SELECT 2")},
		},
		{
			name:   "comments between header words",
			script: "CREATE /* c */ TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;SELECT 2",
			want:   []Statement{st(1, "CREATE /* c */ TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"), st(1, "SELECT 2")},
		},
		{
			name:   "postgres trigger without body",
			script: "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();SELECT 2",
			want:   []Statement{st(1, "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f()"), st(1, "SELECT 2")},
		},
		{
			name:   "trigger without final semicolon",
			script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END",
			want:   []Statement{st(1, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END")},
		},
		{
			name:   "begin outside a trigger statement",
			script: "BEGIN;\nCREATE TABLE a (x int);\nEND;",
			want:   []Statement{st(1, "BEGIN"), st(2, "CREATE TABLE a (x int)"), st(3, "END")},
		},
		{
			name:   "trigger not first word",
			script: "SELECT 'x' AS create_trigger; SELECT 1 BEGIN; END;",
			want:   []Statement{st(1, "SELECT 'x' AS create_trigger"), st(1, "SELECT 1 BEGIN"), st(1, "END")},
		},
		{
			name:   "create trigger inside a word",
			script: "CREATE TRIGGERS BEGIN; END;",
			want:   []Statement{st(1, "CREATE TRIGGERS BEGIN"), st(1, "END")},
		},
		{
			name:   "state resets after trigger",
			script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\nSELECT CASE WHEN 1 THEN 2 END; SELECT 3;",
			want: []Statement{
				st(1, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"),
				st(2, "SELECT CASE WHEN 1 THEN 2 END"),
				st(2, "SELECT 3"),
			},
		},

		// lineOffset.
		{name: "offset", script: "\nSELECT 1;\n\n  SELECT 2;", offset: 10, want: []Statement{st(12, "SELECT 1"), st(14, "SELECT 2")}},
		{name: "offset with leading comments", script: "-- a\n/* b\n*/ SELECT 1;", offset: 4, want: []Statement{st(7, "SELECT 1")}},
		{name: "offset with multi-line statements", script: "SELECT\n1;\nSELECT '\n\n';\nSELECT 3", offset: 100, want: []Statement{st(101, "SELECT\n1"), st(103, "SELECT '\n\n'"), st(106, "SELECT 3")}},

		// Non-ASCII.
		{name: "utf-8", script: "SELECT 'héllo;' AS \"naïve\";SELECT $ü$;$ü$;", want: []Statement{st(1, "SELECT 'héllo;' AS \"naïve\""), st(1, "SELECT $ü$;$ü$")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.script, tt.offset)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name   string
		script string
		offset int
		want   string
	}{
		{name: "quoted string", script: "SELECT 1;\nSELECT 'abc;\n", want: "line 2: unterminated quoted string"},
		{name: "quoted string ending in doubled quote", script: "SELECT 'abc''", want: "line 1: unterminated quoted string"},
		{name: "escape string", script: "SELECT 1;\n\nSELECT E'abc\\';", want: "line 3: unterminated quoted string"},
		{name: "quoted identifier", script: "SELECT \"a;\nb", want: "line 1: unterminated quoted identifier"},
		{name: "dollar quote", script: "CREATE FUNCTION f() AS $fn$\nBEGIN\n  RETURN 1;\nEND\n$$;", want: "line 1: unterminated dollar-quoted string $fn$"},
		{name: "empty dollar quote", script: "SELECT 1;\nDO $$ BEGIN", want: "line 2: unterminated dollar-quoted string $$"},
		{name: "block comment", script: "SELECT 1;\n/* a\n*", want: "line 2: unterminated block comment"},
		{name: "nested block comment", script: "/* a /* b */ c;\nSELECT 1;", want: "line 1: unterminated block comment"},
		{name: "begin atomic body", script: "SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\n", want: "line 2: unterminated body (BEGIN without matching END)"},
		{name: "trigger body", script: "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  SELECT 1;\n", want: "line 3: unterminated body (BEGIN without matching END)"},
		{name: "trigger body closed only by case end", script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END;", want: "line 1: unterminated body (BEGIN without matching END)"},
		{name: "error inside trigger body", script: "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nSELECT 'x; END;", want: "line 2: unterminated quoted string"},
		{name: "offset", script: "\n\nSELECT $x$ ;", offset: 40, want: "line 43: unterminated dollar-quoted string $x$"},
		{name: "first error wins", script: "SELECT 'a /* $$", want: "line 1: unterminated quoted string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.script, tt.offset)
			require.EqualError(t, err, tt.want)
			require.Nil(t, got)
		})
	}
}

// TestSplitSubstrings checks that statement texts are slices of the script, not copies.
func TestSplitSubstrings(t *testing.T) {
	script := "SELECT 1;\n-- c\nSELECT 'two';"
	got, err := Split(script, 0)
	require.NoError(t, err)
	require.Len(t, got, 2)
	for _, s := range got {
		require.True(t, strings.Contains(script, s.SQL))
	}
	allocs := testing.AllocsPerRun(100, func() { _, _ = Split(script, 0) })
	require.LessOrEqual(t, allocs, 1.0)
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			script, err := os.ReadFile(file)
			require.NoError(t, err)
			stmts, err := Split(string(script), 0)
			require.NoError(t, err)
			got := renderGolden(stmts)

			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			require.Equal(t, string(want), got)
		})
	}
}

// renderGolden writes each statement as a block: a "-- line N" line, the statement text, and a blank line
// between blocks.
func renderGolden(stmts []Statement) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "-- line %d\n%s\n", s.Line, s.SQL)
	}
	return b.String()
}

// benchScript is a ~2 KB script mixing the constructs the splitter handles.
var benchScript = func() string {
	const part = `-- wfo revision body
CREATE TABLE subscriptions (
    subscription_id uuid PRIMARY KEY, -- the id
    description text NOT NULL DEFAULT 'it''s new; really',
    "status;x" varchar(255)
);
/* a /* nested */ comment; */
INSERT INTO subscriptions (subscription_id, description) VALUES ('5c4d9e1f-6b0a-4b8e-9d3c-2f1e0a9b8c7d', E'a\'b');
CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $fn$
BEGIN
    NEW.updated_at := now(); -- ; in body
    RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;
CREATE TRIGGER trg AFTER INSERT ON subscriptions BEGIN
    UPDATE counters SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END;
END;
`
	return strings.Repeat(part, 2048/len(part))
}()

func BenchmarkSplit(b *testing.B) {
	b.SetBytes(int64(len(benchScript)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split(benchScript, 0); err != nil {
			b.Fatal(err)
		}
	}
}
