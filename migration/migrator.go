package migration

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

// Migrator runs revisions of a graph against a database.
type Migrator struct {
	DB    *database.DB
	Graph *Graph
	// Progress receives one "Running upgrade ..." line per revision run; nil discards them.
	Progress io.Writer
	// Warn receives warnings (as Alembic's UserWarnings); nil discards them.
	Warn func(string)
	// Logger gets a debug record of each revision it runs; nil logs nothing.
	Logger *slog.Logger
	// Table is the version table; VersionTable (Alembic's) when empty. Revisions of wfo's own that
	// orchestrator-core must not see are tracked in a table of their own.
	Table string
}

func (m *Migrator) table() string { return cmp.Or(m.Table, VersionTable) }

// createVersionTable is the version table as Alembic creates it.
func createVersionTable(table string) string {
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (version_num VARCHAR(32) NOT NULL, CONSTRAINT %s_pkc PRIMARY KEY (version_num))", table, table)
}

// querier is what reading the version table needs: a connection or a transaction.
type querier = database.Querier

// Current returns the rows of the version table, ordered as the graph loads them (unknown ids last, sorted).
// A database without the table has no rows.
func (m *Migrator) Current(ctx context.Context) ([]string, error) {
	return m.current(ctx, m.DB)
}

func (m *Migrator) current(ctx context.Context, q querier) ([]string, error) {
	exists, err := m.versionTableExists(ctx, q)
	if err != nil || !exists {
		return nil, err
	}
	return m.rows(ctx, q)
}

// rows reads the version table, which must exist (inside a step's transaction it does: the run creates it first).
func (m *Migrator) rows(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version_num FROM "+m.table())
	if err != nil {
		return nil, fmt.Errorf("migration: reading the version table: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("migration: reading the version table: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migration: reading the version table: %w", err)
	}
	slices.SortFunc(ids, func(a, b string) int {
		na, oka := m.Graph.byID[a]
		nb, okb := m.Graph.byID[b]
		switch {
		case oka && okb:
			return na.index - nb.index
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	})
	return ids, nil
}

func (m *Migrator) versionTableExists(ctx context.Context, q querier) (bool, error) {
	ok, err := m.DB.Dialect.TableExists(ctx, q, m.table())
	if err != nil {
		return false, fmt.Errorf("migration: looking for the version table: %w", err)
	}
	return ok, nil
}

// Upgrade runs every revision needed to reach target, each in its own transaction with its version-table update.
func (m *Migrator) Upgrade(ctx context.Context, target string) error {
	return m.run(ctx, func(heads []string) ([]Step, error) { return m.Graph.UpgradePlan(heads, target) })
}

// Downgrade undoes revisions down to target, each in its own transaction with its version-table update.
func (m *Migrator) Downgrade(ctx context.Context, target string) error {
	return m.run(ctx, func(heads []string) ([]Step, error) { return m.Graph.DowngradePlan(heads, target, m.Warn) })
}

// run holds the migration lock, plans from the current rows and applies the steps one by one. Each step checks,
// inside its transaction, that the rows are still what the plan started from; when another process changed them,
// the rest is planned again from the new rows, so no revision runs twice.
func (m *Migrator) run(ctx context.Context, plan func(heads []string) ([]Step, error)) error {
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer conn.Close()
	unlock, err := m.DB.Lock(ctx, conn, "migration")
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer unlock()
	if err := m.adoptReplaced(ctx, conn); err != nil {
		return err
	}
	heads, err := m.current(ctx, conn)
	if err != nil {
		return err
	}
	steps, err := plan(heads)
	if err != nil {
		return err
	}
	if len(steps) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, createVersionTable(m.table())); err != nil {
		return fmt.Errorf("migration: creating the version table: %w", err)
	}
	for len(steps) > 0 {
		step := steps[0]
		ops, after, err := m.Graph.VersionOps(heads, step)
		if err != nil {
			return err
		}
		changed, err := m.apply(ctx, conn, step, heads, ops)
		if err != nil {
			return err
		}
		if changed != nil {
			heads = changed
			if steps, err = plan(heads); err != nil {
				return err
			}
			continue
		}
		heads, steps = after, steps[1:]
	}
	return nil
}

// apply runs one step and its version-table changes. When the rows are no longer expected, it changes nothing and
// returns the rows it found.
func (m *Migrator) apply(ctx context.Context, conn *sql.Conn, step Step, expected []string, ops []VersionOp) ([]string, error) {
	if step.Node.NoTransaction {
		if got, err := m.rows(ctx, conn); err != nil || !sameSet(got, expected) {
			return got, err
		}
		m.progress(step)
		if err := m.runBody(ctx, connTx{conn, string(m.DB.Dialect)}, step); err != nil {
			return nil, err
		}
		return nil, m.inTx(ctx, conn, func(tx *sql.Tx) error { return m.execOps(ctx, tx, ops) })
	}
	var changed []string
	err := m.inTx(ctx, conn, func(tx *sql.Tx) error {
		got, err := m.rows(ctx, tx)
		if err != nil {
			return err
		}
		if !sameSet(got, expected) {
			changed = got
			return errChanged
		}
		m.progress(step)
		if err := m.runBody(ctx, txTx{tx, string(m.DB.Dialect)}, step); err != nil {
			return err
		}
		return m.execOps(ctx, tx, ops)
	})
	if errors.Is(err, errChanged) {
		return changed, nil
	}
	return nil, err
}

var errChanged = errors.New("version table changed")

// adoptReplaced brings a database onto the revisions that replace retired ids (Revision.Replaces). When a row of
// the version table is a retired id, or an applied revision names one as its down revision or dependency, the
// replacing revision's upgrade runs once more (it is written to be safe to repeat), and rows naming a retired id
// are rewritten to the replacing id, in one transaction.
func (m *Migrator) adoptReplaced(ctx context.Context, conn *sql.Conn) error {
	if len(m.Graph.replaced) == 0 {
		return nil
	}
	rows, err := m.current(ctx, conn)
	if err != nil || len(rows) == 0 {
		return err
	}
	applied, err := m.Graph.currentNodes(rows)
	if err != nil {
		return nil // an unknown row: planning reports it
	}
	var ops []VersionOp
	var replacing []*Node
	add := func(n *Node) {
		if !slices.Contains(replacing, n) {
			replacing = append(replacing, n)
		}
	}
	for _, r := range rows {
		n, ok := m.Graph.replaced[r]
		if !ok {
			continue
		}
		add(n)
		if slices.Contains(rows, n.ID) {
			ops = append(ops, VersionOp{Kind: "delete", From: r})
		} else {
			ops = append(ops, VersionOp{Kind: "update", From: r, To: n.ID})
		}
	}
	for n := range m.Graph.ancestors(applied, true) {
		if !n.viaReplaced {
			continue
		}
		for _, id := range append(slices.Clone(n.DownRevisions), n.DependsOn...) {
			if r, ok := m.Graph.replaced[id]; ok {
				add(r)
			}
		}
	}
	if len(replacing) == 0 {
		return nil
	}
	slices.SortFunc(replacing, func(a, b *Node) int { return a.index - b.index })
	return m.inTx(ctx, conn, func(tx *sql.Tx) error {
		for _, n := range replacing {
			if err := m.runBody(ctx, txTx{tx, string(m.DB.Dialect)}, Step{Node: n, Upgrade: true}); err != nil {
				return err
			}
		}
		for _, op := range ops {
			if m.Progress != nil {
				fmt.Fprintf(m.Progress, "Adopting %s as %s\n", op.From, cmp.Or(op.To, "its replacement"))
			}
		}
		return m.execOps(ctx, tx, ops)
	})
}

// progress reports a step once it is sure to run (another process may have run it meanwhile).
func (m *Migrator) progress(step Step) {
	if m.Progress != nil {
		fmt.Fprintln(m.Progress, step.String())
	}
	if m.Logger != nil {
		m.Logger.Debug("running revision", "revision", step.Node.ID, "direction", step.direction(), "file", step.Node.Revision.Path)
	}
}

func (m *Migrator) inTx(ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) error) error {
	return database.InTx(ctx, conn, fn)
}

func (m *Migrator) execOps(ctx context.Context, tx *sql.Tx, ops []VersionOp) error {
	for _, op := range ops {
		stmt, args := op.statementFor(m.table())
		if _, err := tx.ExecContext(ctx, m.DB.Dialect.Rebind(stmt), args...); err != nil {
			return fmt.Errorf("migration: updating the version table (%s): %w", op.sqlFor(m.table()), err)
		}
	}
	return nil
}

// runBody runs the revision's SQL section or Go function for the step's direction.
func (m *Migrator) runBody(ctx context.Context, tx Tx, step Step) error {
	rev := step.Node.Revision
	direction := "downgrade"
	fn := rev.Downgrade
	if step.Upgrade {
		direction, fn = "upgrade", rev.Upgrade
	}
	if rev.IsGo() {
		if fn == nil {
			return nil
		}
		if err := fn(ctx, tx); err != nil {
			return fmt.Errorf("%s %s failed: %s: %w", direction, rev.ID, rev.Path, err)
		}
		return nil
	}
	stmts, err := Statements(rev, direction, string(m.DB.Dialect))
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("%s %s failed: %s:%d: %s; statement: %s", direction, rev.ID, rev.Path, s.Line, oneLine(err.Error()), abbreviate(s.SQL))
		}
	}
	return nil
}

// Statements splits a revision file's section for a dialect into statements, with file line numbers.
func Statements(rev *Revision, direction, dialect string) ([]sqlsplit.Statement, error) {
	text, offset := rev.SQL(direction, dialect)
	stmts, err := sqlsplit.Split(text, offset)
	if err != nil {
		return nil, fmt.Errorf("migration: %s: %w", rev.Path, err)
	}
	return stmts, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func abbreviate(sql string) string {
	s := oneLine(sql)
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// Stamp sets the version table to target without running any revision: "base" empties it, "heads" marks every
// head applied. Revisions implied by another one of the target are not stored, as in Alembic.
func (m *Migrator) Stamp(ctx context.Context, target string) error {
	if err := CheckTarget(target); err != nil {
		return err
	}
	nodes, err := m.Graph.getRevisions(target)
	if err != nil {
		return commandError(err, target, "Destination %s is not a valid stamp target")
	}
	var ids []string
	for _, n := range m.Graph.filterIntoHeads(nodes, true) {
		ids = append(ids, n.ID)
	}
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer conn.Close()
	// The migration lock keeps a stamp from landing between the steps of a running upgrade, which would then go on
	// from rows whose revisions never ran.
	unlock, err := m.DB.Lock(ctx, conn, "migration")
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, createVersionTable(m.table())); err != nil {
		return fmt.Errorf("migration: creating the version table: %w", err)
	}
	return m.inTx(ctx, conn, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+m.table()); err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		for _, id := range ids {
			if err := m.execOps(ctx, tx, []VersionOp{{Kind: "insert", To: id}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// filterIntoHeads keeps the nodes that no other node of the set has below it (with dependencies when withDeps).
func (g *Graph) filterIntoHeads(nodes []*Node, withDeps bool) []*Node {
	var out []*Node
	for _, n := range nodes {
		implied := false
		for _, o := range nodes {
			if o != n && g.ancestors([]*Node{o}, withDeps)[n] {
				implied = true
				break
			}
		}
		if !implied && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// CurrentHeads returns what Alembic's "current" shows: the applied revisions that no other applied revision
// builds on (dependencies that are heads of their branch included), in load order.
func (g *Graph) CurrentHeads(rows []string) ([]*Node, error) {
	nodes, err := g.currentNodes(rows)
	if err != nil {
		return nil, commandError(err, "", "")
	}
	applied := g.ancestors(nodes, true)
	var out []*Node
	for n := range applied {
		top := true
		for _, c := range n.nextrev {
			if applied[c] {
				top = false
				break
			}
		}
		if top {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *Node) int { return a.index - b.index })
	return out, nil
}

// txTx and connTx give revisions written in Go the Tx interface.
type txTx struct {
	*sql.Tx
	dialect string
}

func (t txTx) Dialect() string { return t.dialect }

type connTx struct {
	*sql.Conn
	dialect string
}

func (t connTx) Dialect() string { return t.dialect }

// WriteSQL writes the SQL that Upgrade or Downgrade would run from the rows current, without running it: the
// offline mode of "db upgrade --sql". Revisions written in Go appear as a comment.
func (g *Graph) WriteSQL(w io.Writer, dialect string, current []string, steps []Step, createTable bool) error {
	if createTable {
		fmt.Fprintf(w, "%s;\n\n", createVersionTable(VersionTable))
	}
	heads := slices.Clone(current)
	for _, step := range steps {
		ops, after, err := g.VersionOps(heads, step)
		if err != nil {
			return err
		}
		heads = after
		fmt.Fprintf(w, "-- %s\n\n", step.Arrow())
		transactional := !step.Node.NoTransaction
		if transactional {
			fmt.Fprint(w, "BEGIN;\n\n")
		}
		if step.Node.IsGo() {
			fmt.Fprintf(w, "-- revision %s is Go code (%s); its statements are not shown\n\n", step.Node.ID, step.Node.Path)
		} else {
			direction := "downgrade"
			if step.Upgrade {
				direction = "upgrade"
			}
			stmts, err := Statements(step.Node.Revision, direction, dialect)
			if err != nil {
				return err
			}
			for _, s := range stmts {
				fmt.Fprintf(w, "%s;\n\n", s.SQL)
			}
		}
		for _, op := range ops {
			fmt.Fprintf(w, "%s;\n\n", op.SQL())
		}
		if transactional {
			fmt.Fprint(w, "COMMIT;\n\n")
		}
	}
	return nil
}
