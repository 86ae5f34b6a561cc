package subscription

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// WorkflowRow is a row of workflows.
type WorkflowRow struct {
	WorkflowID  uuid.UUID
	Name        string
	Target      string
	Description string
	IsTask      bool
	CreatedAt   *time.Time
	DeletedAt   *time.Time
}

// BlockRow is a row of product_blocks with its resource types.
type BlockRow struct {
	ProductBlockID uuid.UUID
	Name           string
	Description    string
	Tag            *string
	Status         *string
	CreatedAt      *time.Time
	EndDate        *time.Time
	ResourceTypes  []ResourceTypeRow
}

// ResourceTypeRow is a row of resource_types.
type ResourceTypeRow struct {
	ResourceTypeID uuid.UUID
	ResourceType   string
	Description    *string
}

// FixedInputRow is a row of fixed_inputs.
type FixedInputRow struct {
	FixedInputID uuid.UUID
	Name, Value  string
	ProductID    uuid.UUID
	CreatedAt    *time.Time
}

// ProductDetail is a product with its blocks, fixed inputs and (not deleted) workflows.
type ProductDetail struct {
	ProductRow
	Blocks      []*BlockRow
	FixedInputs []FixedInputRow
	Workflows   []*WorkflowRow
}

// Workflows returns the workflow rows (deleted ones too), by name; with ids, only those.
func (s *Store) Workflows(ctx context.Context, ids ...uuid.UUID) ([]*WorkflowRow, error) {
	query := "SELECT w.workflow_id, w.name, w.target, w.description, w.is_task, w.created_at, w.deleted_at FROM workflows w"
	query, args := whereIn(query, "w.workflow_id", ids)
	return s.workflowRows(ctx, query+" ORDER BY w.name", args...)
}

func (s *Store) workflowRows(ctx context.Context, query string, args ...any) ([]*WorkflowRow, error) {
	var out []*WorkflowRow
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var w WorkflowRow
		var created, deleted any
		if err := rows.Scan(&w.WorkflowID, &w.Name, &w.Target, &w.Description, &w.IsTask, &created, &deleted); err != nil {
			return err
		}
		return scanTimes(&w.CreatedAt, created, &w.DeletedAt, deleted, func() { out = append(out, &w) })
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading workflows: %w", err)
	}
	return out, nil
}

// ProductDetails returns the products with their blocks, fixed inputs and workflows, by name; with ids, only
// those.
func (s *Store) ProductDetails(ctx context.Context, ids ...uuid.UUID) ([]*ProductDetail, error) {
	query, args := whereIn("SELECT "+productColumns+" FROM products p", "p.product_id", ids)
	var out []*ProductDetail
	byID := map[uuid.UUID]*ProductDetail{}
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var p ProductDetail
		var created, end any
		if err := rows.Scan(&p.ProductID, &p.Name, &p.Description, &p.ProductType, &p.Tag, &p.Status, &created, &end); err != nil {
			return err
		}
		return scanTimes(&p.CreatedAt, created, &p.EndDate, end, func() {
			out = append(out, &p)
			byID[p.ProductID] = &p
		})
	}, query+" ORDER BY p.name", args...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading products: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	pids := make([]uuid.UUID, len(out))
	for i, p := range out {
		pids[i] = p.ProductID
	}
	q, a := whereIn("SELECT ppb.product_id, ppb.product_block_id FROM product_product_blocks ppb", "ppb.product_id", pids)
	links := map[uuid.UUID][]uuid.UUID{}
	var blockIDs []uuid.UUID
	err = s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var pid, bid uuid.UUID
		if err := rows.Scan(&pid, &bid); err != nil {
			return err
		}
		links[pid] = append(links[pid], bid)
		blockIDs = append(blockIDs, bid)
		return nil
	}, q, a...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading product blocks of products: %w", err)
	}
	blocks, err := s.Blocks(ctx, blockIDs...)
	if err != nil {
		return nil, err
	}
	blockByID := map[uuid.UUID]*BlockRow{}
	for _, b := range blocks {
		blockByID[b.ProductBlockID] = b
	}
	for pid, bids := range links {
		for _, bid := range bids {
			if b := blockByID[bid]; b != nil {
				byID[pid].Blocks = append(byID[pid].Blocks, b)
			}
		}
	}
	q, a = whereIn("SELECT f.fixed_input_id, f.name, f.value, f.product_id, f.created_at FROM fixed_inputs f", "f.product_id", pids)
	err = s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var f FixedInputRow
		var created any
		if err := rows.Scan(&f.FixedInputID, &f.Name, &f.Value, &f.ProductID, &created); err != nil {
			return err
		}
		return scanTimes(&f.CreatedAt, created, nil, nil, func() { byID[f.ProductID].FixedInputs = append(byID[f.ProductID].FixedInputs, f) })
	}, q+" ORDER BY f.name", a...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading fixed inputs: %w", err)
	}
	q, a = whereIn("SELECT pw.product_id, w.workflow_id, w.name, w.target, w.description, w.is_task, w.created_at, w.deleted_at "+
		"FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE w.deleted_at IS NULL", "pw.product_id", pids)
	err = s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var pid uuid.UUID
		var w WorkflowRow
		var created, deleted any
		if err := rows.Scan(&pid, &w.WorkflowID, &w.Name, &w.Target, &w.Description, &w.IsTask, &created, &deleted); err != nil {
			return err
		}
		return scanTimes(&w.CreatedAt, created, &w.DeletedAt, deleted, func() { byID[pid].Workflows = append(byID[pid].Workflows, &w) })
	}, q+" ORDER BY w.name", a...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading the workflows of products: %w", err)
	}
	return out, nil
}

// Blocks returns product blocks with their resource types, by name; with ids, only those.
func (s *Store) Blocks(ctx context.Context, ids ...uuid.UUID) ([]*BlockRow, error) {
	query, args := whereIn("SELECT b.product_block_id, b.name, b.description, b.tag, b.status, b.created_at, b.end_date FROM product_blocks b", "b.product_block_id", ids)
	var out []*BlockRow
	byID := map[uuid.UUID]*BlockRow{}
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var b BlockRow
		var tag, status sql.NullString
		var created, end any
		if err := rows.Scan(&b.ProductBlockID, &b.Name, &b.Description, &tag, &status, &created, &end); err != nil {
			return err
		}
		if tag.Valid {
			b.Tag = &tag.String
		}
		if status.Valid {
			b.Status = &status.String
		}
		return scanTimes(&b.CreatedAt, created, &b.EndDate, end, func() {
			out = append(out, &b)
			byID[b.ProductBlockID] = &b
		})
	}, query+" ORDER BY b.name", args...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading product blocks: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	bids := make([]uuid.UUID, len(out))
	for i, b := range out {
		bids[i] = b.ProductBlockID
	}
	q, a := whereIn("SELECT pbr.product_block_id, rt.resource_type_id, rt.resource_type, rt.description FROM product_block_resource_types pbr "+
		"JOIN resource_types rt ON rt.resource_type_id = pbr.resource_type_id", "pbr.product_block_id", bids)
	err = s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var bid uuid.UUID
		var rt ResourceTypeRow
		var desc sql.NullString
		if err := rows.Scan(&bid, &rt.ResourceTypeID, &rt.ResourceType, &desc); err != nil {
			return err
		}
		if desc.Valid {
			rt.Description = &desc.String
		}
		byID[bid].ResourceTypes = append(byID[bid].ResourceTypes, rt)
		return nil
	}, q+" ORDER BY rt.resource_type", a...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading resource types: %w", err)
	}
	return out, nil
}

// whereIn adds "col IN (?, ...)" for ids to query (after its WHERE, or as one); no ids adds nothing.
func whereIn(query, col string, ids []uuid.UUID) (string, []any) {
	if len(ids) == 0 {
		return query, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	cond := col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	if strings.Contains(query, " WHERE ") {
		return query + " AND " + cond, args
	}
	return query + " WHERE " + cond, args
}

// scanTimes reads up to two nullable timestamps and calls done when both are read.
func scanTimes(dst1 **time.Time, v1 any, dst2 **time.Time, v2 any, done func()) error {
	var err error
	if *dst1, err = scanTime(v1); err != nil {
		return err
	}
	if dst2 != nil {
		if *dst2, err = scanTime(v2); err != nil {
			return err
		}
	}
	done()
	return nil
}
