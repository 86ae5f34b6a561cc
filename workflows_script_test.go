package wfo_test

import (
	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/workflow"
)

// workflowTestApp is the script tests' application for db migrate-workflows and db migrate-tasks: no domain model,
// a few workflows of each target and a task registered besides the core's.
func workflowTestApp() {
	step := workflow.NewStep("Do it", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, nil })
	wf := func(name string, target workflow.Target, description string, isTask bool) *workflow.Workflow {
		return &workflow.Workflow{Name: name, Target: target, Description: description, IsTask: isTask,
			Steps: []workflow.Step{workflow.Init, step, workflow.Done}}
	}
	app := wfo.New(wfo.WithName("wfo-wf"), wfo.WithWorkflows(
		wf("create_thing", workflow.TargetCreate, "Create thing", false),
		wf("modify_thing", workflow.TargetModify, "Modify thing", false),
		wf("validate_thing", workflow.TargetValidate, "Validate thing", false),
		wf("task_sweep", workflow.TargetSystem, "Sweep things", true),
		wf("task_check_things", workflow.TargetValidate, "Check things", true),
	))
	cli.Main(app)
}
