package migration

import (
	"strings"
)

// FormatOptions selects what a revision's line shows, as Alembic's cmd_format.
type FormatOptions struct {
	Verbose        bool
	Parents        bool // "<down> (<deps>) -> <rev>"
	Branches       bool // " (<labels>)"
	Doc            bool // ", <doc>"
	TreeIndicators bool // " (branchpoint)", " (mergepoint)"
	// Current holds the rows of the version table; a revision among them is marked " (current)".
	Current map[string]bool
}

// Format renders a revision as Alembic's heads, history and current commands print it.
func (n *Node) Format(o FormatOptions) string {
	if o.Verbose {
		return n.logEntry(o.Current[n.ID])
	}
	var b strings.Builder
	if o.Parents {
		b.WriteString(n.downText())
		if len(n.DependsOn) > 0 {
			b.WriteString(" (" + strings.Join(n.DependsOn, ", ") + ")")
		}
		b.WriteString(" -> ")
	}
	b.WriteString(n.ID)
	if o.Branches && len(n.labels) > 0 {
		b.WriteString(" (" + strings.Join(n.labels, ", ") + ")")
	}
	if n.isRealHead {
		b.WriteString(" (head)")
	}
	if n.IsEffectiveHead() {
		b.WriteString(" (effective head)")
	}
	if o.Current[n.ID] {
		b.WriteString(" (current)")
	}
	if o.TreeIndicators {
		if n.IsBranchPoint() {
			b.WriteString(" (branchpoint)")
		}
		if n.IsMergePoint() {
			b.WriteString(" (mergepoint)")
		}
	}
	if o.Doc {
		b.WriteString(", " + n.ShortDoc())
	}
	return b.String()
}

func (n *Node) downText() string {
	if len(n.down) == 0 {
		return "<base>"
	}
	return strings.Join(nodeIDs(n.down), ", ")
}

// logEntry is the verbose block; it ends with a newline, so printing it as a line leaves an empty line after it.
func (n *Node) logEntry(current bool) string {
	var b strings.Builder
	b.WriteString("Rev: " + n.ID)
	if n.isHead {
		b.WriteString(" (head)")
	}
	if n.IsBranchPoint() {
		b.WriteString(" (branchpoint)")
	}
	if n.IsMergePoint() {
		b.WriteString(" (mergepoint)")
	}
	if current {
		b.WriteString(" (current)")
	}
	b.WriteString("\n")
	if n.IsMergePoint() {
		b.WriteString("Merges: " + n.downText() + "\n")
	} else {
		b.WriteString("Parent: " + n.downText() + "\n")
	}
	if len(n.DependsOn) > 0 {
		b.WriteString("Also depends on: " + strings.Join(n.DependsOn, ", ") + "\n")
	}
	if n.IsBranchPoint() {
		b.WriteString("Branches into: " + strings.Join(nodeIDs(n.nextrev), ", ") + "\n")
	}
	if len(n.labels) > 0 {
		b.WriteString("Branch names: " + strings.Join(n.labels, ", ") + "\n")
	}
	b.WriteString("Path: " + n.Path + "\n\n")
	if n.Doc == "" {
		// Alembic indents the docstring's lines; an empty docstring has none.
		b.WriteString("\n")
		return b.String()
	}
	for _, line := range strings.Split(n.Doc, "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}
