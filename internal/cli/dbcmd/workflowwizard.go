package dbcmd

import (
	"fmt"
	"strings"

	"github.com/wfo-go/wfo/internal/prompt"
	"github.com/wfo-go/wfo/workflowmigration"
)

// workflowWizard asks the questions of db migrate-workflows and db migrate-tasks (orchestrator-core's prompts and
// menus, sorted); what may be chosen and what the choices make is package workflowmigration's.
type workflowWizard struct {
	p    *prompt.Prompter
	plan *workflowmigration.Planner
}

// run asks until the user finishes (y) or quits (q, which gives an empty plan).
func (w *workflowWizard) run() (*workflowmigration.Plan, error) {
	noun := w.plan.Kind().Noun()
	for {
		w.p.Println("\nWhat do you want to do?\n", prompt.Underline, prompt.Bold)
		choice, err := w.p.Menu([]prompt.Option{
			{Key: "a", Label: "Add " + noun + " to database"},
			{Key: "x", Label: "Delete " + noun + " from database"},
			{Key: "c", Label: "Delete unregistered " + noun + "s from database"},
			{Key: "y", Label: "Finish and create migration file"},
			{Key: "d", Label: "Show current diff"},
			{Key: "q", Label: "Quit menu without creating a migration file"},
		})
		if err != nil {
			return nil, err
		}
		switch choice {
		case "a":
			if w.plan.Kind() == workflowmigration.Tasks {
				err = w.addTask()
			} else {
				err = w.addWorkflow()
			}
		case "x":
			err = w.deleteOne()
		case "c":
			err = w.deleteDangling()
		case "d":
			w.show()
		case "y":
			return w.plan.Plan(), nil
		case "q":
			return &workflowmigration.Plan{Kind: w.plan.Kind()}, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (w *workflowWizard) addWorkflow() error {
	p := w.p
	p.Println("\nAdd new workflow\n", prompt.Underline)
	if len(w.plan.Registered()) == 0 {
		p.Printf("No registered workflows found to add to the database\n")
		return nil
	}
	types := w.plan.ProductTypes()
	if len(types) == 0 {
		p.Printf("No registered product types found\n")
		return nil
	}
	p.Printf("Which product type should the workflow be added to?\n")
	key, err := p.Menu(prompt.Numbered(types, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	pt := types[menuIndex(key)]
	names := w.plan.Addable(pt)
	p.Printf("\nAdd product type %s to which workflow?\n", p.Fmt(pt, prompt.Bold))
	key, err = p.Menu(prompt.Numbered(names, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	name, description := names[menuIndex(key)], ""
	if w.plan.NeedsDescription(name) {
		p.Printf("Please provide a description for this workflow.\n")
		p.Printf("This description will be managed in the database and can be updated via the UI/API endpoint.\n")
		if description, err = p.Input("Workflow description: ", ""); err != nil {
			return err
		}
	}
	if err := w.plan.AddWorkflow(name, pt, description); err != nil {
		p.Printf("Could not load workflow\n")
	}
	return nil
}

func (w *workflowWizard) addTask() error {
	p := w.p
	p.Println("\nAdd new task\n", prompt.Underline)
	names := w.plan.Addable("")
	if len(names) == 0 {
		p.Printf("No registered tasks found to add to the database\n")
		return nil
	}
	p.Printf("\nWhich task should be added?\n")
	key, err := p.Menu(prompt.Numbered(names, prompt.Option{Key: "q", Label: "cancel"}))
	if err != nil || key == "q" {
		return err
	}
	if err := w.plan.AddTask(names[menuIndex(key)]); err != nil {
		p.Printf("Could not load workflow\n")
	}
	return nil
}

func (w *workflowWizard) deleteOne() error {
	p := w.p
	noun := w.plan.Kind().Noun()
	p.Println("\nDelete existing "+noun+"\n", prompt.Underline)
	rows := w.plan.Deletable(false)
	if len(rows) == 0 {
		p.Printf("No deletable %ss in database\n", noun)
		return nil
	}
	p.Println(rowTable(w.plan.Kind(), rows) + "\n")
	answer, err := p.Input("Which "+noun+" do you want to delete? (q to cancel) ", "q")
	if err != nil {
		return err
	}
	i := menuIndex(answer)
	if i < 0 || i >= len(rows) {
		return nil
	}
	w.plan.Delete(rows[i])
	return nil
}

func (w *workflowWizard) deleteDangling() error {
	p := w.p
	noun := w.plan.Kind().Noun()
	rows := w.plan.Deletable(true)
	if len(rows) == 0 {
		p.Printf("No dangling %ss found.\n", noun)
		return nil
	}
	p.Println("\nThe following " + noun + "s were found in the database that do not have a corresponding LazyWorkflowInstance:\n")
	p.Println(rowTable(w.plan.Kind(), rows) + "\n")
	answer, err := p.Input("Do you wish to delete all dangling "+noun+"s from the database? [y/n]: ", "n")
	if err != nil {
		return err
	}
	if strings.ToLower(answer) != "y" {
		p.Printf("Cancelling\n")
		return nil
	}
	w.plan.Delete(rows...)
	return nil
}

func (w *workflowWizard) show() {
	title := planTitle(w.plan.Kind())
	plan := w.plan.Plan()
	w.p.Println("\n"+title+" to add:", prompt.Green)
	w.p.Println(entryTable(plan.Kind, plan.Add) + "\n")
	w.p.Println(title+" to delete:", prompt.Red)
	w.p.Println(entryTable(plan.Kind, plan.Delete) + "\n")
}

func planTitle(k workflowmigration.Kind) string {
	if k == workflowmigration.Tasks {
		return "Tasks"
	}
	return "Workflows"
}

// rowTable renders database rows as the reference's menus do, numbered.
func rowTable(k workflowmigration.Kind, rows []workflowmigration.Row) string {
	entries := make([]workflowmigration.Entry, len(rows))
	for i, r := range rows {
		entries[i] = r.Entry()
	}
	return workflowTable(k, "#", entries)
}

// entryTable renders entries as the reference's diff tables (headers are the keys of its dicts).
func entryTable(k workflowmigration.Kind, entries []workflowmigration.Entry) string {
	if len(entries) == 0 {
		return ""
	}
	return workflowTable(k, "", entries)
}

func workflowTable(k workflowmigration.Kind, first string, entries []workflowmigration.Entry) string {
	var cells [][]string
	for _, e := range entries {
		if k == workflowmigration.Tasks {
			cells = append(cells, []string{e.Name, e.Description})
		} else {
			cells = append(cells, []string{e.Name, string(e.Target), e.Description, strings.Join(e.ProductTypes, ", ")})
		}
	}
	if k == workflowmigration.Tasks {
		return prompt.Table([]string{first, "name", "description"}, cells)
	}
	return prompt.Table([]string{first, "name", "target", "description", "product_type"}, cells)
}

// planSummary is what --test prints: the entries to add and to delete as tables.
func planSummary(plan *workflowmigration.Plan) string {
	title := planTitle(plan.Kind)
	var b strings.Builder
	for _, part := range []struct {
		what    string
		entries []workflowmigration.Entry
	}{{"add", plan.Add}, {"delete", plan.Delete}} {
		fmt.Fprintf(&b, "%s to %s:\n", title, part.what)
		if t := entryTable(plan.Kind, part.entries); t != "" {
			b.WriteString(t + "\n")
		} else {
			b.WriteString("(none)\n")
		}
	}
	return b.String()
}

// menuIndex turns a 1-based menu key into a 0-based index, -1 when it is not a number.
func menuIndex(key string) int {
	var n int
	if _, err := fmt.Sscanf(key, "%d", &n); err != nil || fmt.Sprint(n) != key {
		return -1
	}
	return n - 1
}
