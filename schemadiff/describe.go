package schemadiff

import (
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
)

// describe words the changes of a diff and finds drop/add pairs a person should check for a rename: a rename
// is never guessed, the diff drops and adds, which loses the data.
func describe(changes []schema.Change, format func(schema.Type) string) ([]Change, []string) {
	var out []Change
	var reviews, droppedTables, addedTables []string
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddTable:
			out = append(out, Change{Text: fmt.Sprintf("added table '%s'", c.T.Name)})
			for _, idx := range c.T.Indexes {
				out = append(out, Change{Text: fmt.Sprintf("added %s '%s' on '%s'", indexKind(idx), idx.Name, columns(c.T.Name, idx))})
			}
			addedTables = append(addedTables, c.T.Name)
		case *schema.DropTable:
			out = append(out, Change{Text: fmt.Sprintf("removed table '%s'", c.T.Name), Destructive: fmt.Sprintf("drops table %s with all its rows", c.T.Name)})
			droppedTables = append(droppedTables, c.T.Name)
		case *schema.ModifyTable:
			var dropped, added []string
			for _, tc := range c.Changes {
				ch := describeTableChange(c.T, tc, format)
				out = append(out, ch...)
				switch tc := tc.(type) {
				case *schema.DropColumn:
					dropped = append(dropped, tc.C.Name)
				case *schema.AddColumn:
					added = append(added, tc.C.Name)
				}
			}
			if len(dropped) > 0 && len(added) > 0 {
				reviews = append(reviews, fmt.Sprintf("table %s loses column(s) %s and gains %s. Renames are never guessed: if one is a rename, "+
					"replace the generated statements with ALTER TABLE %s RENAME COLUMN <old> TO <new>, which keeps the values.",
					c.T.Name, strings.Join(dropped, ", "), strings.Join(added, ", "), c.T.Name))
			}
		case *schema.AddObject:
			out = append(out, Change{Text: "added " + objectName(c.O)})
		case *schema.DropObject:
			out = append(out, Change{Text: "removed " + objectName(c.O)})
		case *schema.ModifyObject:
			out = append(out, Change{Text: "changed " + objectName(c.To)})
			if lost := enumValuesDropped(c.From, c.To); lost != "" {
				reviews = append(reviews, fmt.Sprintf("PostgreSQL cannot remove values from an enum type: %s stay(s) in %s. "+
					"To remove them, recreate the type and the columns that use it by hand.", lost, objectName(c.To)))
			}
		default:
			out = append(out, Change{Text: "change " + kindOf(c)})
		}
	}
	if len(droppedTables) > 0 && len(addedTables) > 0 {
		reviews = append(reviews, fmt.Sprintf("table(s) %s removed and %s added. Renames are never guessed: if one is a rename, "+
			"replace the generated statements with ALTER TABLE <old> RENAME TO <new>, which keeps the rows.",
			strings.Join(droppedTables, ", "), strings.Join(addedTables, ", ")))
	}
	return out, reviews
}

func describeTableChange(t *schema.Table, c schema.Change, format func(schema.Type) string) []Change {
	col := func(name string) string { return t.Name + "." + name }
	switch c := c.(type) {
	case *schema.AddColumn:
		return []Change{{Text: fmt.Sprintf("added column '%s'", col(c.C.Name))}}
	case *schema.DropColumn:
		return []Change{{Text: fmt.Sprintf("removed column '%s'", col(c.C.Name)), Destructive: fmt.Sprintf("drops column %s with its values", col(c.C.Name))}}
	case *schema.ModifyColumn:
		var out []Change
		if c.Change.Is(schema.ChangeType) {
			ch := Change{Text: fmt.Sprintf("type change from %s to %s on '%s'", format(c.From.Type.Type), format(c.To.Type.Type), col(c.To.Name))}
			if narrows(c.From.Type.Type, c.To.Type.Type) {
				ch.Destructive = fmt.Sprintf("narrows column %s to %s: values that do not fit make the upgrade fail or are lost", col(c.To.Name), format(c.To.Type.Type))
			}
			out = append(out, ch)
		}
		if c.Change.Is(schema.ChangeNull) {
			if c.To.Type.Null {
				out = append(out, Change{Text: fmt.Sprintf("NULL allowed on '%s'", col(c.To.Name))})
			} else {
				out = append(out, Change{Text: fmt.Sprintf("NOT NULL on '%s' (fails while the column holds NULLs)", col(c.To.Name))})
			}
		}
		if c.Change.Is(schema.ChangeDefault) {
			out = append(out, Change{Text: fmt.Sprintf("default change on '%s'", col(c.To.Name))})
		}
		if len(out) == 0 {
			out = append(out, Change{Text: fmt.Sprintf("changed column '%s'", col(c.To.Name))})
		}
		return out
	case *schema.AddIndex:
		return []Change{{Text: fmt.Sprintf("added %s '%s' on '%s'", indexKind(c.I), c.I.Name, columns(t.Name, c.I))}}
	case *schema.DropIndex:
		return []Change{{Text: fmt.Sprintf("removed %s '%s' on '%s'", indexKind(c.I), c.I.Name, columns(t.Name, c.I))}}
	case *schema.ModifyIndex:
		return []Change{{Text: fmt.Sprintf("changed %s '%s' on '%s'", indexKind(c.To), c.To.Name, columns(t.Name, c.To))}}
	case *schema.AddForeignKey:
		return []Change{{Text: "added foreign key " + foreignKey(c.F)}}
	case *schema.DropForeignKey:
		return []Change{{Text: "removed foreign key " + foreignKey(c.F)}}
	case *schema.ModifyForeignKey:
		return []Change{{Text: "changed foreign key " + foreignKey(c.To)}}
	case *schema.AddPrimaryKey:
		return []Change{{Text: fmt.Sprintf("added primary key on '%s'", columns(t.Name, c.P))}}
	case *schema.DropPrimaryKey:
		return []Change{{Text: fmt.Sprintf("removed primary key on '%s'", columns(t.Name, c.P))}}
	case *schema.ModifyPrimaryKey:
		return []Change{{Text: fmt.Sprintf("changed primary key on '%s'", columns(t.Name, c.To))}}
	case *schema.AddCheck:
		return []Change{{Text: fmt.Sprintf("added check constraint '%s' on '%s'", c.C.Name, t.Name)}}
	case *schema.DropCheck:
		return []Change{{Text: fmt.Sprintf("removed check constraint '%s' on '%s'", c.C.Name, t.Name)}}
	case *schema.ModifyCheck:
		return []Change{{Text: fmt.Sprintf("changed check constraint '%s' on '%s'", c.To.Name, t.Name)}}
	}
	return []Change{{Text: fmt.Sprintf("change %s on table '%s'", kindOf(c), t.Name)}}
}

func indexKind(i *schema.Index) string {
	if i.Unique {
		return "unique index"
	}
	return "index"
}

func columns(table string, i *schema.Index) string {
	var cols []string
	for _, p := range i.Parts {
		if p.C != nil {
			cols = append(cols, p.C.Name)
		} else {
			cols = append(cols, "<expression>")
		}
	}
	return table + "(" + strings.Join(cols, ", ") + ")"
}

func foreignKey(fk *schema.ForeignKey) string {
	names := func(cs []*schema.Column) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return strings.Join(out, ", ")
	}
	return fmt.Sprintf("'%s(%s)' -> '%s(%s)'", fk.Table.Name, names(fk.Columns), fk.RefTable.Name, names(fk.RefColumns))
}

// objectName names a schema-level object, such as a PostgreSQL enum type.
func objectName(o schema.Object) string {
	if e, ok := o.(*schema.EnumType); ok {
		return fmt.Sprintf("enum type '%s'", e.T)
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", o), "*schema.")
}

// enumValuesDropped names the values an enum type loses, "" when none.
func enumValuesDropped(from, to schema.Object) string {
	f, ok1 := from.(*schema.EnumType)
	t, ok2 := to.(*schema.EnumType)
	if !ok1 || !ok2 {
		return ""
	}
	var lost []string
	for _, v := range f.Values {
		if !slices.Contains(t.Values, v) {
			lost = append(lost, v)
		}
	}
	if len(lost) == 0 {
		return ""
	}
	return "value(s) " + strings.Join(lost, ", ")
}

// kindOf names a change of a kind describe has no words for (types, sequences and the like).
func kindOf(c schema.Change) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", c), "*schema.")
}

// narrows reports whether a column type change may not keep every value: anything but a longer string, an
// unbounded string, or a wider integer.
func narrows(from, to schema.Type) bool {
	switch f := from.(type) {
	case *schema.StringType:
		t, ok := to.(*schema.StringType)
		if !ok {
			return true
		}
		switch {
		case t.Size == 0 || strings.EqualFold(t.T, "text"):
			return false
		case f.Size == 0 || strings.EqualFold(f.T, "text"):
			return true
		}
		return t.Size < f.Size
	case *schema.IntegerType:
		t, ok := to.(*schema.IntegerType)
		return !ok || intRank(t.T) < intRank(f.T)
	}
	return true
}

func intRank(t string) int {
	switch strings.ToLower(t) {
	case "smallint", "int2":
		return 1
	case "integer", "int", "int4":
		return 2
	}
	return 3
}

// typeFormatter renders a column type the way the driver writes it in SQL.
func typeFormatter(drv migrate.Driver) func(schema.Type) string {
	f, ok := drv.(schema.TypeFormatter)
	return func(t schema.Type) string {
		if ok {
			if s, err := f.FormatType(t); err == nil {
				return s
			}
		}
		return fmt.Sprintf("%T", t)
	}
}
