package workflow

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
)

// Processes is what a step may do with other processes: the built-in tasks start validation workflows and resume
// waiting processes through it. Package process implements it.
type Processes interface {
	// Start starts a workflow by name with the pages of its initial input and returns the new process's id.
	Start(ctx context.Context, workflow string, pages ...any) (uuid.UUID, error)
	// Resume resumes a suspended, waiting or failed process, with input for its next step's form.
	Resume(ctx context.Context, pid uuid.UUID, pages ...any) error
	// Restart starts a process that was created but never started.
	Restart(ctx context.Context, pid uuid.UUID) error
}

// Context is what a step function gets besides its input: the process it runs in, the database and a
// transaction that commits together with the step's log entry.
//
// The transaction is begun by the first call to Tx. A step that changes the database should do so through it:
// when the step succeeds, its changes and the step's row in process_steps commit at once; when it fails, they are
// rolled back and only the failure is logged. A step that never calls Tx holds no transaction while it runs (on
// SQLite, where a transaction holds the database's write lock, that lets other processes proceed).
type Context struct {
	context.Context
	// ProcessID is the running process (processes.pid).
	ProcessID uuid.UUID
	// Workflow is the running workflow.
	Workflow *Workflow
	// StepName is the running step's name.
	StepName string
	// User is the user acting on the process (the one who started or resumed it; "SYSTEM" for the scheduler).
	User string
	// DB is the database.
	DB *database.DB
	// Processes starts and resumes other processes.
	Processes Processes
	// Registry holds every workflow the engine knows.
	Registry *Registry
	// Logger logs with the process id and step name attached.
	Logger *slog.Logger
	// Models saves the subscription models a step returns (see ModelSaver); nil saves nothing.
	Models ModelSaver

	tx *sql.Tx
}

// Tx returns the step's transaction, beginning it on first use.
func (c *Context) Tx() (*sql.Tx, error) {
	if c.tx != nil {
		return c.tx, nil
	}
	if c.DB == nil {
		return nil, fmt.Errorf("workflow: step %q: no database", c.StepName)
	}
	tx, err := c.DB.BeginTx(c, nil)
	if err != nil {
		return nil, fmt.Errorf("workflow: step %q: beginning its transaction: %w", c.StepName, err)
	}
	c.tx = tx
	return tx, nil
}

// ActiveTx returns the transaction Tx began, nil when the step did not ask for one. The engine commits it with the
// step's log entry or rolls it back.
func (c *Context) ActiveTx() *sql.Tx { return c.tx }

// Dialect is the database's dialect, for the rare step that writes dialect-specific SQL.
func (c *Context) Dialect() database.Dialect {
	if c.DB == nil {
		return ""
	}
	return c.DB.Dialect
}

// Log returns the step's logger: Logger, or slog.Default() when it is nil.
func (c *Context) Log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}
