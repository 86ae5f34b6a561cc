package workflowmigration

import (
	"fmt"
	"strings"

	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/workflow"
)

// quote makes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// insertWorkflow adds the workflow's row, or brings back a deleted one. A row that is there already stays as it is
// (a task becomes a task).
func insertWorkflow(e Entry, isTask bool) string {
	conflict := "ON CONFLICT (name) DO UPDATE SET deleted_at = NULL"
	if isTask {
		conflict += ", is_task = true"
	}
	return fmt.Sprintf("INSERT INTO workflows (name, target, description, is_task)\nVALUES (%s, %s, %s, %t)\n%s;\n",
		quote(e.Name), quote(string(e.Target)), quote(e.Description), isTask, conflict)
}

// link links the workflow to every product of the product type, also when the workflow existed before (the
// reference linked nothing then).
func link(name, productType string) string {
	return fmt.Sprintf(`INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = %s AND w.name = %s
ON CONFLICT DO NOTHING;
`, quote(productType), quote(name))
}

func unlink(name, productType string) string {
	return fmt.Sprintf(`DELETE FROM products_workflows
WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = %s)
  AND product_id IN (SELECT product_id FROM products WHERE product_type = %s);
`, quote(name), quote(productType))
}

// deleteWorkflow removes the workflow and its links. A workflow that processes ran keeps its row, marked deleted,
// because processes.workflow_id has no cascade (the reference's delete_workflow failed there).
func deleteWorkflow(name string) string {
	return fmt.Sprintf(`DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = %[1]s);
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = %[1]s AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = %[1]s AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
`, quote(name))
}

// comment says what the SQL after it does. Names, targets and product types come from the database and the
// registrations: they are sanitised, so none of them can end the comment line.
func comment(verb string, e Entry, isTask bool) string {
	e.Name, e.Target = migration.CommentText(e.Name), workflow.Target(migration.CommentText(string(e.Target)))
	if isTask {
		return fmt.Sprintf("-- %s task %s (%s).\n", verb, e.Name, e.Target)
	}
	pts := make([]string, len(e.ProductTypes))
	for i, pt := range e.ProductTypes {
		pts[i] = migration.CommentText(pt)
	}
	return productComment(verb, e, strings.Join(pts, ", "))
}

func productComment(verb string, e Entry, pts string) string {
	switch {
	case verb == "Add" && e.Exists:
		return fmt.Sprintf("-- Link workflow %s (%s) to product type %s.\n", e.Name, e.Target, pts)
	case pts == "":
		return fmt.Sprintf("-- %s workflow %s (%s).\n", verb, e.Name, e.Target)
	case verb == "Add":
		return fmt.Sprintf("-- Add workflow %s (%s) for product type %s.\n", e.Name, e.Target, pts)
	}
	return fmt.Sprintf("-- %s workflow %s (%s) of product type %s.\n", verb, e.Name, e.Target, pts)
}

// SQL returns the revision's upgrade and downgrade: the upgrade adds the entries to add and deletes the entries to
// delete; the downgrade undoes that in reverse order (a workflow that existed before is only unlinked; a deleted
// one comes back with its target, description and product types).
func (p *Plan) SQL() (upgrade, downgrade string) {
	isTask := p.Kind == Tasks
	var up, down []string
	for _, e := range p.Add {
		s := comment("Add", e, isTask)
		if !e.Exists || isTask {
			s += insertWorkflow(e, isTask)
		}
		for _, pt := range e.ProductTypes {
			s += link(e.Name, pt)
		}
		up = append(up, s)

		d := comment("Remove", e, isTask)
		switch {
		case e.Exists && isTask:
			// The row was there, not marked as a task: it goes back to that.
			d += fmt.Sprintf("UPDATE workflows SET is_task = false WHERE name = %s;\n", quote(e.Name))
		case e.Exists:
			for _, pt := range e.ProductTypes {
				d += unlink(e.Name, pt)
			}
		default:
			d += deleteWorkflow(e.Name)
		}
		down = append(down, d)
	}
	for _, e := range p.Delete {
		up = append(up, comment("Delete", e, isTask)+deleteWorkflow(e.Name))
		s := comment("Restore", e, isTask) + insertWorkflow(e, isTask)
		for _, pt := range e.ProductTypes {
			s += link(e.Name, pt)
		}
		down = append(down, s)
	}
	for i, j := 0, len(down)-1; i < j; i, j = i+1, j-1 {
		down[i], down[j] = down[j], down[i]
	}
	return strings.Join(up, "\n"), strings.Join(down, "\n")
}

// Write writes the plan as a new revision on the data branch (creating the data root when the project has none)
// and returns the paths written.
func (p *Plan) Write(project *migration.Project, message string) ([]string, error) {
	up, down := p.SQL()
	return project.Revise(migration.ReviseOptions{Message: message, Head: "data@head", Upgrade: up, Downgrade: down})
}
