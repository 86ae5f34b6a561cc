package workflowmigration_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowmigration"
	"github.com/wfo-go/wfo/workflowtest"
)

func registry(t *testing.T) *workflow.Registry {
	t.Helper()
	wf := func(name string, target workflow.Target, isTask bool) *workflow.Workflow {
		return &workflow.Workflow{Name: name, Target: target, Description: name + " description", IsTask: isTask,
			Steps: []workflow.Step{workflow.Init, workflow.Done}}
	}
	reg, err := workflow.NewRegistry(
		wf("create_a", workflow.TargetCreate, false),
		wf("modify_a", workflow.TargetModify, false),
		wf("task_new", workflow.TargetSystem, true),
		wf("task_flag", workflow.TargetValidate, true),
	)
	require.NoError(t, err)
	return reg
}

// state is a database with modify_a linked to A, an unregistered workflow linked to B, an unregistered unlinked
// one, a row task_flag not marked as a task, and an unregistered task.
var state = &workflowmigration.State{
	ProductTypes: []string{"A", "B"},
	Rows: []workflowmigration.Row{
		{Name: "gone_b", Target: workflow.TargetTerminate, Description: "Gone", ProductTypes: []string{"B"}},
		{Name: "loose", Target: workflow.TargetModify, Description: "Loose"},
		{Name: "modify_a", Target: workflow.TargetModify, Description: "Modify A (db)", ProductTypes: []string{"A"}},
		{Name: "task_flag", Target: workflow.TargetValidate, Description: "Flag"},
		{Name: "task_old", Target: workflow.TargetSystem, Description: "Old", IsTask: true},
	},
}

func names(rows []workflowmigration.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func TestCompare(t *testing.T) {
	t.Parallel()
	reg := registry(t)
	for _, tc := range []struct {
		kind          workflowmigration.Kind
		unregistered  []string
		notInDatabase []string
		unlinked      []string
	}{
		{workflowmigration.Workflows, []string{"loose", "gone_b"}, []string{"create_a"}, nil},
		{workflowmigration.Tasks, []string{"task_old"}, []string{"task_flag", "task_new"}, nil},
	} {
		d := workflowmigration.Compare(tc.kind, state, reg)
		require.Equal(t, tc.unregistered, names(d.Unregistered), tc.kind.Noun())
		require.Equal(t, tc.notInDatabase, d.NotInDatabase, tc.kind.Noun())
		require.Equal(t, tc.unlinked, d.Unlinked, tc.kind.Noun())
	}
}

// The planner answers what the wizard may offer next and records choices; the plan is what the answers make.
func TestPlannerWorkflows(t *testing.T) {
	t.Parallel()
	p := workflowmigration.NewPlanner(workflowmigration.Workflows, state, registry(t))
	require.Equal(t, []string{"create_a"}, p.Addable("A"))
	require.Equal(t, []string{"create_a", "modify_a"}, p.Addable("B"))
	require.Equal(t, []string{"modify_a", "gone_b"}, names(p.Deletable(false)), "by product type, target and name")

	require.True(t, p.NeedsDescription("create_a"))
	require.NoError(t, p.AddWorkflow("create_a", "A", "Create A"))
	require.False(t, p.NeedsDescription("create_a"), "in the plan already: a further product type only")
	require.NoError(t, p.AddWorkflow("create_a", "B", ""))
	require.False(t, p.NeedsDescription("modify_a"), "in the database: its description stays")
	require.NoError(t, p.AddWorkflow("modify_a", "B", "ignored"))
	require.Empty(t, p.Addable("B"))
	require.Error(t, p.AddWorkflow("nope", "A", ""))

	p.Delete(p.Deletable(true)...)
	require.Empty(t, p.Deletable(true))
	require.Equal(t, &workflowmigration.Plan{Kind: workflowmigration.Workflows,
		Add: []workflowmigration.Entry{
			{Name: "create_a", Target: workflow.TargetCreate, Description: "Create A", ProductTypes: []string{"A", "B"}},
			{Name: "modify_a", Target: workflow.TargetModify, Description: "Modify A (db)", ProductTypes: []string{"B"}, Exists: true},
		},
		Delete: []workflowmigration.Entry{
			{Name: "loose", Target: workflow.TargetModify, Description: "Loose", Exists: true},
			{Name: "gone_b", Target: workflow.TargetTerminate, Description: "Gone", ProductTypes: []string{"B"}, Exists: true},
		},
	}, p.Plan())
}

func TestPlannerTasks(t *testing.T) {
	t.Parallel()
	p := workflowmigration.NewPlanner(workflowmigration.Tasks, state, registry(t))
	require.Equal(t, []string{"task_flag", "task_new"}, p.Addable(""))
	require.False(t, p.NeedsDescription("task_new"), "a task's description is its registered one")
	require.NoError(t, p.AddTask("task_flag"))
	require.Equal(t, []string{"task_new"}, p.Addable(""))
	require.Equal(t, []string{"task_old"}, names(p.Deletable(false)))
	require.Equal(t, []workflowmigration.Entry{{Name: "task_flag", Target: workflow.TargetValidate, Description: "task_flag description", Exists: true}}, p.Plan().Add)
}

// Load reads the state through the catalogue store on both databases: rows not deleted, each with its product
// types sorted and once, and the product types; a database without the schema is ErrNoSchema.
func TestLoad(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		loc, err := database.ParseURI(target.URI)
		require.NoError(t, err)
		empty, err := database.Open(t.Context(), loc)
		require.NoError(t, err)
		_, err = workflowmigration.Load(t.Context(), empty)
		require.ErrorIs(t, err, workflowmigration.ErrNoSchema)
		empty.Close()

		db := workflowtest.OpenDB(t, target.URI, nil, nil)
		run(t, db, "INSERT INTO products (name, description, product_type, tag, status) VALUES ('B1', 'b', 'B', 'B', 'active'), ('A1', 'a', 'A', 'A', 'active'), ('A2', 'a', 'A', 'A', 'active')")
		run(t, db, "INSERT INTO workflows (name, target, description) VALUES ('w_both', 'MODIFY', 'Both'), ('w_none', 'CREATE', 'None')")
		run(t, db, "INSERT INTO workflows (name, target, description, deleted_at) VALUES ('w_deleted', 'CREATE', 'Deleted', CURRENT_TIMESTAMP)")
		run(t, db, "INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id FROM products p, workflows w WHERE w.name = 'w_both'")
		st, err := workflowmigration.Load(t.Context(), db)
		require.NoError(t, err)
		require.Equal(t, []string{"A", "B"}, st.ProductTypes)
		byName := map[string]workflowmigration.Row{}
		for _, r := range st.Rows {
			byName[r.Name] = r
		}
		require.NotContains(t, byName, "w_deleted")
		require.Equal(t, []string{"A", "B"}, byName["w_both"].ProductTypes)
		require.Empty(t, byName["w_none"].ProductTypes)
		require.Equal(t, workflow.TargetModify, byName["w_both"].Target)
	})
}
