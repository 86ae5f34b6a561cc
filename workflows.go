package wfo

import (
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflow"
)

// WithWorkflows registers the application's workflows and tasks, besides the core's built-in ones (modify_note and
// the tasks of package tasks). db migrate-workflows and db migrate-tasks offer them; the engine runs them.
func WithWorkflows(wfs ...*workflow.Workflow) Option {
	return func(a *App) { a.workflows = append(a.workflows, wfs...) }
}

// Workflows returns the registry of the core's built-in workflows, configured by the settings, and the
// application's. A declaration that is not valid, or a name registered twice, is an error.
func (a *App) Workflows(s settings.Settings) (*workflow.Registry, error) {
	return workflow.NewRegistry(append(tasks.Workflows(s), a.workflows...)...)
}

// Engine returns a started workflow engine on db for the application's workflows, with its domain model and the
// application's logger, synchronous or on a pool of MAX_WORKERS workers as TESTING says; opts come last. Close it
// when done.
func (a *App) Engine(db *database.DB, s settings.Settings, opts ...process.Option) (*process.Engine, error) {
	reg, err := a.Workflows(s)
	if err != nil {
		return nil, err
	}
	all := append([]process.Option{process.WithSettings(s), process.WithProducts(a.Products()), process.WithLogger(a.Logger(s))}, opts...)
	e := process.New(db, reg, all...)
	e.StartWorkers()
	return e, nil
}
