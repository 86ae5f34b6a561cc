// Package prompt is the question-and-answer plumbing of the interactive db commands (migrate-workflows,
// migrate-tasks): prompts, menus, tables and colours as orchestrator-core's CLI helpers print them. Every answer is
// read as a line from an io.Reader, so the commands can be driven from a pipe; running out of input is an error
// instead of a prompt asked for ever.
package prompt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Color is an ANSI attribute, as the reference's COLOR.
type Color string

// The attributes the wizards use.
const (
	Reset     Color = "\033[0m"
	Bold      Color = "\033[1m"
	Underline Color = "\033[4m"
	Red       Color = "\033[31m"
	Green     Color = "\033[32m"
	Yellow    Color = "\033[33m"
	Magenta   Color = "\033[35m"
	Cyan      Color = "\033[36m"
)

// ErrNoInput is returned when the input ends before a question is answered.
var ErrNoInput = errors.New("prompt: no more input (the input ended before every question was answered)")

// Prompter asks questions on out and reads answers from in.
type Prompter struct {
	in    *bufio.Reader
	out   io.Writer
	color bool
}

// New returns a prompter. With color, text is decorated with ANSI attributes as the reference does (every
// printed line then ends with a reset code); without, plain text.
func New(in io.Reader, out io.Writer, color bool) *Prompter {
	return &Prompter{in: bufio.NewReader(in), out: out, color: color}
}

// IsTerminal reports whether w is a terminal, where colours make sense; NO_COLOR turns them off.
func IsTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Fmt decorates text with the attributes (the reference's str_fmt); plain text without colour.
func (p *Prompter) Fmt(text string, flags ...Color) string {
	if !p.color {
		return text
	}
	var b strings.Builder
	for _, f := range flags {
		b.WriteString(string(f))
	}
	b.WriteString(text)
	b.WriteString(string(Reset))
	return b.String()
}

// Println prints a decorated line (the reference's print_fmt).
func (p *Prompter) Println(text string, flags ...Color) { fmt.Fprintln(p.out, p.Fmt(text, flags...)) }

// Printf prints plain formatted text.
func (p *Prompter) Printf(format string, args ...any) { fmt.Fprintf(p.out, format, args...) }

// Input prints text and reads a line. A non-empty answer is returned trimmed; an empty one gives def, or, when def
// is empty, the question again.
func (p *Prompter) Input(text, def string) (string, error) {
	for {
		fmt.Fprint(p.out, text)
		line, err := p.in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			fmt.Fprintln(p.out)
			if err == io.EOF {
				return "", ErrNoInput
			}
			return "", fmt.Errorf("prompt: reading the answer: %w", err)
		}
		answer := strings.TrimSpace(line)
		if err := checkText(answer); err != nil {
			fmt.Fprintln(p.out)
			return "", err
		}
		if answer != "" {
			return answer, nil
		}
		if def != "" {
			return def, nil
		}
	}
}

// ErrBadText is an answer that cannot go into a database: not UTF-8, or with control characters.
var ErrBadText = errors.New("prompt: the answer must be UTF-8 text without control characters")

// checkText refuses what PostgreSQL would reject later (invalid UTF-8, NUL) and what has no place in a name or a
// description (other control characters).
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrBadText, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' {
			return fmt.Errorf("%w: %q contains %U", ErrBadText, s, r)
		}
	}
	return nil
}

// Option is one menu entry.
type Option struct {
	Key, Label string
}

// Numbered makes options keyed 1..n from labels, then the extra options.
func Numbered(labels []string, extra ...Option) []Option {
	out := make([]Option, 0, len(labels)+len(extra))
	for i, l := range labels {
		out = append(out, Option{Key: fmt.Sprint(i + 1), Label: l})
	}
	return append(out, extra...)
}

// Menu prints "<key>) <label>" per option and the prompt "? " until the answer is one of the keys, saying
// "Invalid choice" otherwise, and returns the chosen key.
func (p *Prompter) Menu(options []Option) (string, error) {
	for {
		for _, o := range options {
			p.Println(o.Key + ") " + o.Label)
		}
		answer, err := p.Input("? ", "")
		if err != nil {
			return "", err
		}
		for _, o := range options {
			if o.Key == answer {
				return answer, nil
			}
		}
		p.Println("Invalid choice")
	}
}

// Table renders rows as python-tabulate's "simple" format with an index column counting from 1, as the reference
// prints its tables: columns two spaces apart, each as wide as its widest cell or its header plus two, a dashed line
// under the headers, the index right-aligned. headers name the index column first. Trailing blanks are trimmed.
// No rows and no headers give "".
func Table(headers []string, rows [][]string) string {
	if len(rows) == 0 && len(headers) == 0 {
		return ""
	}
	n := len(headers)
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = append([]string{fmt.Sprint(i + 1)}, r...)
		if len(cells[i]) > n {
			n = len(cells[i])
		}
	}
	head := make([]string, n)
	copy(head, headers)
	width := make([]int, n)
	for c := range n {
		width[c] = utf8.RuneCountInString(head[c]) + 2
		for _, r := range cells {
			if c < len(r) {
				width[c] = max(width[c], utf8.RuneCountInString(r[c]))
			}
		}
	}
	pad := func(s string, c int) string {
		gap := strings.Repeat(" ", width[c]-utf8.RuneCountInString(s))
		if c == 0 {
			return gap + s
		}
		return s + gap
	}
	var lines []string
	line := make([]string, n)
	for c := range n {
		line[c] = pad(head[c], c)
	}
	lines = append(lines, strings.TrimRight(strings.Join(line, "  "), " "))
	for c := range n {
		line[c] = strings.Repeat("-", width[c])
	}
	lines = append(lines, strings.Join(line, "  "))
	for _, r := range cells {
		for c := range n {
			v := ""
			if c < len(r) {
				v = r[c]
			}
			line[c] = pad(v, c)
		}
		lines = append(lines, strings.TrimRight(strings.Join(line, "  "), " "))
	}
	return strings.Join(lines, "\n")
}
