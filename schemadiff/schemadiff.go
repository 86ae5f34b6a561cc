// Package schemadiff compares an application's own tables in a live database with the application's desired
// schema (SQL statements creating them) and plans the SQL that takes the database from one to the other and back.
// It is what "db revision --autogenerate" writes into a revision.
//
// The work is done by Atlas (ariga.io/atlas): the live database is inspected, restricted to the application's
// tables (never the core's, see IsCoreTable); the desired SQL is run in a scratch database of the same dialect and
// inspected too; the two are diffed and the diff planned as SQL. The downgrade is the plan of the diff the other
// way round, so it exists even where Atlas has no reverse for a statement (SQLite's table rebuilds).
//
// The scratch database is, on SQLite, a private in-memory database; on PostgreSQL, a schema with a random name in
// the live database, created inside a transaction that is always rolled back, so it never outlives the diff
// (the user needs the right to create a schema; the desired SQL sees the core's tables through the search path,
// so foreign keys to them work).
package schemadiff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

// Plan is the difference between the live database and the desired schema, as SQL both ways.
type Plan struct {
	Dialect database.Dialect
	// Source is the desired schema's path.
	Source string
	// Changes describe what the upgrade changes, in order; Destructive ones lose data.
	Changes []Change
	// Reviews are notes for a person, such as a drop and an add that may be meant as a rename.
	Reviews []string
	// Up and Down are the upgrade's and the downgrade's statements, without terminating semicolons.
	Up, Down []string
	// NoTransaction is set when the statements must run outside the runner's transaction: SQLite rebuilds a
	// table with foreign-key enforcement off, which it only allows outside a transaction, so the statements
	// bring their own.
	NoTransaction bool

	downChanges []Change
	downReviews []string
}

// Change is one detected difference, worded as Alembic's autogenerate reports them.
type Change struct {
	Text string
	// Destructive says what data the change loses; empty when it loses none.
	Destructive string
}

// Empty reports whether the database already has the desired schema.
func (p *Plan) Empty() bool { return len(p.Up) == 0 }

// UpgradeSQL is the upgrade section of a revision: a comment block with the changes and warnings, then the
// statements.
func (p *Plan) UpgradeSQL() string {
	head := []string{fmt.Sprintf("Generated from %s by db revision --autogenerate: review before applying.", p.Source)}
	return render(head, p.Changes, p.Reviews, p.Up)
}

// DowngradeSQL is the downgrade section: the statements that take the database back to where it was when the
// plan was made.
func (p *Plan) DowngradeSQL() string {
	head := []string{"Takes the schema back to what it was when this revision was generated."}
	return render(head, p.downChanges, p.downReviews, p.Down)
}

func render(head []string, changes []Change, reviews []string, stmts []string) string {
	var b strings.Builder
	for _, h := range head {
		b.WriteString("-- " + h + "\n")
	}
	for _, c := range changes {
		b.WriteString("-- Detected " + c.Text + ".\n")
		if c.Destructive != "" {
			b.WriteString("-- DESTRUCTIVE: " + c.Destructive + ".\n")
		}
	}
	for _, r := range reviews {
		b.WriteString("-- REVIEW: " + r + "\n")
	}
	for _, s := range stmts {
		b.WriteString("\n" + s + ";\n")
	}
	return b.String()
}

// Diff compares the application's tables in db with the desired schema src and plans the change.
func Diff(ctx context.Context, db *database.DB, src Source) (*Plan, error) {
	dia, err := dialectOf(db.Dialect)
	if err != nil {
		return nil, err
	}
	st, err := dia.inspect(ctx, db, src)
	if err != nil {
		return nil, err
	}
	defer st.close()
	for _, t := range st.desired.Tables {
		if IsCoreTable(t.Name) {
			return nil, fmt.Errorf("schemadiff: %s: table %s belongs to the core (or uses wfo's reserved prefix %s): the desired schema declares only the application's own tables",
				src.Path, t.Name, reservedPrefix)
		}
	}
	p := &Plan{Dialect: db.Dialect, Source: src.Path}
	up, err := st.drv.SchemaDiff(st.live, st.desired)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: comparing the database with %s: %w", src.Path, err)
	}
	if len(up) == 0 {
		return p, nil
	}
	down, err := st.drv.SchemaDiff(st.desired, st.live)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: comparing %s with the database: %w", src.Path, err)
	}
	format := typeFormatter(st.drv)
	p.Changes, p.Reviews = describe(up, format)
	p.downChanges, p.downReviews = describe(down, format)
	if p.Up, err = planStatements(ctx, st.drv, up); err != nil {
		return nil, err
	}
	if p.Down, err = planStatements(ctx, st.drv, down); err != nil {
		return nil, err
	}
	dia.finish(p, st)
	return p, nil
}

// Equal reports whether db's application tables already match src: what a test checks after running a revision.
func Equal(ctx context.Context, db *database.DB, src Source) (bool, error) {
	p, err := Diff(ctx, db, src)
	if err != nil {
		return false, err
	}
	return p.Empty(), nil
}

func planStatements(ctx context.Context, drv migrate.Driver, changes []schema.Change) ([]string, error) {
	unqualified := ""
	plan, err := drv.PlanChanges(ctx, "autogenerate", changes, func(o *migrate.PlanOptions) {
		o.SchemaQualifier = &unqualified // revisions run in whatever schema the database's search path names
		o.Indent = "  "
	})
	if err != nil {
		return nil, fmt.Errorf("schemadiff: planning the change: %w", err)
	}
	out := make([]string, 0, len(plan.Changes))
	for _, c := range plan.Changes {
		if len(c.Args) > 0 {
			return nil, fmt.Errorf("schemadiff: planned statement with arguments cannot go into a revision: %s", c.Cmd)
		}
		out = append(out, c.Cmd)
	}
	return out, nil
}

// applySource runs the desired schema's statements in the scratch database.
func applySource(ctx context.Context, ex schema.ExecQuerier, src Source) error {
	stmts, err := sqlsplit.Split(src.SQL, 0)
	if err != nil {
		return fmt.Errorf("schemadiff: %s: %w", src.Path, err)
	}
	for _, s := range stmts {
		if _, err := ex.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("schemadiff: %s:%d: %s", src.Path, s.Line, strings.Join(strings.Fields(err.Error()), " "))
		}
	}
	return nil
}

func randomSuffix() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
