// Package catalogue is the store of the core's catalogue tables as they are in a database: products, workflows and
// the links between them. (What an application declares is package domain's and package workflow's; this package
// reads and writes the rows.) Queries need no registry.
package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
)

// Store reads and writes catalogue rows.
type Store struct {
	db *database.DB
	q  database.Querier
}

// New returns a store on db.
func New(db *database.DB) *Store { return &Store{db: db, q: db} }

// WithTx returns a store that works inside the caller's transaction tx (of the same database).
func (s *Store) WithTx(tx *sql.Tx) *Store { return &Store{db: s.db, q: tx} }

// ProductForWorkflow returns the name of the product with id productID when the workflow is linked to it
// (products_workflows); ok is false when it is not, or there is no such product.
func (s *Store) ProductForWorkflow(ctx context.Context, productID uuid.UUID, workflow string) (name string, ok bool, err error) {
	err = s.q.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT p.name FROM products p
JOIN products_workflows pw ON pw.product_id = p.product_id
JOIN workflows w ON w.workflow_id = pw.workflow_id
WHERE p.product_id = ? AND w.name = ?`), productID.String(), workflow).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("catalogue: reading product %s: %w", productID, err)
	}
	return name, true, nil
}

// WorkflowLinked reports whether the workflow, not deleted, is linked to the product.
func (s *Store) WorkflowLinked(ctx context.Context, productID uuid.UUID, workflow string) (bool, error) {
	var linked bool
	err := s.q.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT EXISTS (SELECT 1 FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id
WHERE pw.product_id = ? AND w.name = ? AND w.deleted_at IS NULL)`), productID.String(), workflow).Scan(&linked)
	if err != nil {
		return false, fmt.Errorf("catalogue: reading the workflows of product %s: %w", productID, err)
	}
	return linked, nil
}

// Workflow is a row of workflows, as far as registering one needs.
type Workflow struct {
	Name, Target, Description string
	IsTask                    bool
}

// AddWorkflows inserts a workflows row for each workflow that has none (by name) and leaves existing rows alone.
func (s *Store) AddWorkflows(ctx context.Context, wfs ...Workflow) error {
	insert := database.Upsert{Table: "workflows", Columns: []string{"workflow_id", "name", "target", "description", "is_task"}, Key: []string{"name"}}.SQL(s.db.Dialect)
	for _, w := range wfs {
		if _, err := s.q.ExecContext(ctx, insert, uuid.New().String(), w.Name, w.Target, w.Description, w.IsTask); err != nil {
			return fmt.Errorf("catalogue: adding workflow %s: %w", w.Name, err)
		}
	}
	return nil
}

// WorkflowRow is a row of workflows, not deleted, with the product types of the products it is linked to.
type WorkflowRow struct {
	Name        string
	Target      string
	Description string
	IsTask      bool
	// ProductTypes are sorted, each once.
	ProductTypes []string
}

// ErrNoSchema: the database has no catalogue tables yet.
var ErrNoSchema = errors.New("the database has no table workflows; run 'db upgrade heads' first")

// Workflows returns the rows of workflows that are not deleted, sorted by name, with their product types.
func (s *Store) Workflows(ctx context.Context) ([]WorkflowRow, error) {
	if ok, err := s.db.Dialect.TableExists(ctx, s.q, "workflows"); err != nil {
		return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
	} else if !ok {
		return nil, fmt.Errorf("catalogue: %w", ErrNoSchema)
	}
	rows, err := s.q.QueryContext(ctx, "SELECT workflow_id, name, target, description, is_task FROM workflows WHERE deleted_at IS NULL ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
	}
	var out []WorkflowRow
	index := map[string]int{}
	for rows.Next() {
		var id string
		var r WorkflowRow
		if err := rows.Scan(&id, &r.Name, &r.Target, &r.Description, &r.IsTask); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
		}
		index[id] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
	}
	links, err := s.q.QueryContext(ctx, `SELECT DISTINCT pw.workflow_id, p.product_type FROM products_workflows pw
JOIN products p ON p.product_id = pw.product_id`)
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading products_workflows: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var id, pt string
		if err := links.Scan(&id, &pt); err != nil {
			return nil, fmt.Errorf("catalogue: reading products_workflows: %w", err)
		}
		if i, ok := index[id]; ok && !slices.Contains(out[i].ProductTypes, pt) {
			out[i].ProductTypes = append(out[i].ProductTypes, pt)
		}
	}
	if err := links.Err(); err != nil {
		return nil, fmt.Errorf("catalogue: reading products_workflows: %w", err)
	}
	for i := range out {
		slices.Sort(out[i].ProductTypes) // byte order, whatever the database's collation
	}
	return out, nil
}

// ProductTypes returns the product types of the products, sorted, each once.
func (s *Store) ProductTypes(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "product types", "SELECT DISTINCT product_type FROM products ORDER BY product_type")
}
