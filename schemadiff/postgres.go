package schemadiff

import (
	"context"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/wfo-go/wfo/database"
)

// postgresDialect diffs on PostgreSQL.
type postgresDialect struct{}

// finish leaves the statements as planned: they run in the runner's transaction.
func (postgresDialect) finish(*Plan, *state) {}

// inspect works in one transaction that is always rolled back: it inspects the live schema, then runs
// the desired SQL in a fresh schema whose name comes first in the search path (so unqualified references to the
// core's tables still find them) and inspects that.
func (postgresDialect) inspect(ctx context.Context, db *database.DB, src Source) (*state, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("schemadiff: %w", err)
	}
	fail := func(err error) (*state, error) {
		tx.Rollback()
		return nil, err
	}
	drv, err := postgres.Open(tx)
	if err != nil {
		return fail(fmt.Errorf("schemadiff: %w", err))
	}
	live, err := inspectLive(ctx, drv, tx, schema.InspectTables|schema.InspectTypes,
		"SELECT current_schema(), table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
	if err != nil {
		return fail(fmt.Errorf("schemadiff: inspecting the database: %w", err))
	}
	keepApplicationTypes(live)
	scratch := "wfo_autogenerate_" + randomSuffix()
	for _, stmt := range []string{
		"CREATE SCHEMA " + quote(scratch),
		"SET LOCAL search_path = " + quote(scratch) + ", " + quote(live.Name),
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fail(fmt.Errorf("schemadiff: preparing a scratch schema for %s (%s): %w", src.Path, stmt, err))
		}
	}
	if err := applySource(ctx, tx, src); err != nil {
		return fail(err)
	}
	desired, err := drv.InspectSchema(ctx, scratch, &schema.InspectOptions{Mode: schema.InspectTables | schema.InspectTypes})
	if err != nil {
		return fail(fmt.Errorf("schemadiff: inspecting %s: %w", src.Path, err))
	}
	desired.Name = live.Name
	return &state{drv: drv, live: live, desired: desired, close: func() { tx.Rollback() }}, nil
}

// keepApplicationTypes keeps of the live schema's types (enums) only those the application's tables use: the
// others are the core's (input_states.input_type, for one) or nobody's, and a diff must not drop them.
func keepApplicationTypes(s *schema.Schema) {
	used := map[string]bool{}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			ct := c.Type.Type
			if a, ok := ct.(*postgres.ArrayType); ok {
				ct = a.Type
			}
			if e, ok := ct.(*schema.EnumType); ok {
				used[e.T] = true
			}
		}
	}
	var kept []schema.Object
	for _, o := range s.Objects {
		if e, ok := o.(*schema.EnumType); ok && used[e.T] {
			kept = append(kept, o)
		}
	}
	s.Objects = kept
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }
