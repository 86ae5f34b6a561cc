package schemadiff

import (
	"context"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/migration"
)

// ErrNotUpToDate refuses a diff against a database that has not run every revision: the revisions it lacks
// would show up as changes to write again.
var ErrNotUpToDate error = &migration.Error{Msg: "Target database is not up to date."}

// Revise compares db with the desired schema src and, when they differ, writes a revision of project whose
// upgrade holds the plan and whose downgrade holds its reverse, as "db revision --autogenerate" does. o gives
// the message, head and version path as for Project.Revise; its SQL fields are set from the plan. The database
// must be at the graph's heads (ErrNotUpToDate otherwise). When nothing differs it writes nothing and returns an
// empty plan.
func Revise(ctx context.Context, db *database.DB, project *migration.Project, src Source, o migration.ReviseOptions) (*Plan, []string, error) {
	g, err := project.Graph()
	if err != nil {
		return nil, nil, err
	}
	rows, err := (&migration.Migrator{DB: db, Graph: g}).Current(ctx)
	if err != nil {
		return nil, nil, err
	}
	steps, err := g.UpgradePlan(rows, "heads")
	if err != nil {
		return nil, nil, err
	}
	if len(steps) > 0 {
		return nil, nil, ErrNotUpToDate
	}
	plan, err := Diff(ctx, db, src)
	if err != nil || plan.Empty() {
		return plan, nil, err
	}
	o.Upgrade, o.Downgrade = plan.UpgradeSQL(), plan.DowngradeSQL()
	o.Dialect, o.NoTransaction = string(plan.Dialect), plan.NoTransaction
	paths, err := project.Revise(o)
	if err != nil {
		return nil, nil, err
	}
	return plan, paths, nil
}
