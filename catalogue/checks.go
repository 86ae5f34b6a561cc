package catalogue

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// strings reads one string column.
func (s *Store) strings(ctx context.Context, what, query string, args ...any) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, s.db.Dialect.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading %s: %w", what, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("catalogue: reading %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalogue: reading %s: %w", what, err)
	}
	return out, nil
}

// WorkflowNames returns the names of the workflows that are not deleted, sorted.
func (s *Store) WorkflowNames(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "workflows", "SELECT name FROM workflows WHERE deleted_at IS NULL ORDER BY name")
}

// WorkflowTargets returns the target of every row of workflows (deleted ones too), by name.
func (s *Store) WorkflowTargets(ctx context.Context) (map[string]string, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT name, target FROM workflows")
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, target string
		if err := rows.Scan(&name, &target); err != nil {
			return nil, fmt.Errorf("catalogue: reading workflows: %w", err)
		}
		out[name] = target
	}
	return out, rows.Err()
}

// ProductNames returns the names of the products, sorted.
func (s *Store) ProductNames(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "products", "SELECT name FROM products ORDER BY name")
}

// ProductsWithoutWorkflows returns the names of the products linked to no workflow that is not deleted, sorted.
func (s *Store) ProductsWithoutWorkflows(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "products", `SELECT p.name FROM products p WHERE NOT EXISTS (
    SELECT 1 FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE pw.product_id = p.product_id AND w.deleted_at IS NULL)
ORDER BY p.name`)
}

// ActiveProductsWithout returns the names of the active products not linked to the workflow, sorted.
func (s *Store) ActiveProductsWithout(ctx context.Context, workflow string) ([]string, error) {
	return s.strings(ctx, "products", `SELECT p.name FROM products p WHERE p.status = 'active' AND NOT EXISTS (
    SELECT 1 FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE pw.product_id = p.product_id AND w.name = ?)
ORDER BY p.name`, workflow)
}

// ActiveProductsWithoutLifecycle returns the names of the active products that lack a workflow (not deleted, other
// than except) of one of the targets CREATE, MODIFY, TERMINATE and VALIDATE, sorted.
func (s *Store) ActiveProductsWithoutLifecycle(ctx context.Context, except string) ([]string, error) {
	return s.strings(ctx, "products", `SELECT p.name FROM products p WHERE p.status = 'active' AND (
    SELECT count(DISTINCT w.target) FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id
    WHERE pw.product_id = p.product_id AND w.target IN ('CREATE', 'MODIFY', 'TERMINATE', 'VALIDATE') AND w.name <> ? AND w.deleted_at IS NULL) < 4
ORDER BY p.name`, except)
}

// FixedInput is a row of fixed_inputs with its product's name.
type FixedInput struct {
	Product, Name, Value string
}

// FixedInputs returns every fixed input, sorted by product name and name.
func (s *Store) FixedInputs(ctx context.Context) ([]FixedInput, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT p.name, f.name, f.value FROM fixed_inputs f JOIN products p ON p.product_id = f.product_id ORDER BY p.name, f.name")
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading fixed inputs: %w", err)
	}
	defer rows.Close()
	var out []FixedInput
	for rows.Next() {
		var f FixedInput
		if err := rows.Scan(&f.Product, &f.Name, &f.Value); err != nil {
			return nil, fmt.Errorf("catalogue: reading fixed inputs: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ValidationWorkflows returns, per product id, the names of its VALIDATE workflows that are not deleted, sorted.
func (s *Store) ValidationWorkflows(ctx context.Context) (map[uuid.UUID][]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT pw.product_id, w.name FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id
WHERE w.target = 'VALIDATE' AND w.deleted_at IS NULL ORDER BY w.name`)
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading validation workflows: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]string{}
	for rows.Next() {
		var pid uuid.UUID
		var name string
		if err := rows.Scan(&pid, &name); err != nil {
			return nil, fmt.Errorf("catalogue: reading validation workflows: %w", err)
		}
		out[pid] = append(out[pid], name)
	}
	return out, rows.Err()
}
