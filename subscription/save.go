package subscription

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
)

const upsertSubscription = `INSERT INTO subscriptions
    (subscription_id, description, status, product_id, customer_id, insync, start_date, end_date, note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (subscription_id) DO UPDATE SET
    description = excluded.description, status = excluded.status, product_id = excluded.product_id,
    customer_id = excluded.customer_id, insync = excluded.insync, start_date = excluded.start_date,
    end_date = excluded.end_date, note = excluded.note`

// Save stores a subscription in one transaction, as orchestrator-core's save does: the subscriptions row (all
// but version, which the database bumps and Save reads back into the model), and for every instance the
// subscription owns and reaches: its row and label, its values (one row per list element, no row for nil; values
// of resource types the block does not declare are kept as they are), and
// its outgoing relations (order_id the list position, domain_model_attr the field). Instances of other
// subscriptions are linked, never modified; own instances no longer reachable are deleted (with their values and
// relations). New instances get their ids in the model. Only rows that differ are written. A note of nothing but
// white space is stored as NULL and becomes "" in the model.
//
// The model must be valid for its lifecycle (ErrInvalid otherwise), and its product must be set (as Create and
// Load set it).
func (s *Store) Save(ctx context.Context, m domain.Model) error {
	pt, ok := s.reg.ProductTypeOf(m)
	if !ok {
		return fmt.Errorf("subscription: save: %T is not a registered product type: %w", m, ErrNotRegistered)
	}
	base := m.SubscriptionBase()
	if base.SubscriptionID == uuid.Nil {
		base.SubscriptionID = uuid.New()
	}
	if base.Product.ProductID == uuid.Nil {
		return fmt.Errorf("subscription: save %s: no product (make subscriptions with Create or Load)", base.SubscriptionID)
	}
	if err := pt.Validate(m, base.Status); err != nil {
		return invalid(err, "subscription: cannot save %s: not valid for %s", base.SubscriptionID, base.Status)
	}
	tree, err := pt.Flatten(m)
	if err != nil {
		return fmt.Errorf("subscription: save %s: %w", base.SubscriptionID, err)
	}
	if err := checkLimits(base, tree); err != nil {
		return fmt.Errorf("subscription: cannot save %s: %w", base.SubscriptionID, err)
	}
	if storedNote(base.Note) == nil {
		base.Note = "" // stored as NULL, as the model reads back
	}
	return s.inTx(ctx, func(q querier) error {
		if err := s.save(ctx, q, base, tree); err != nil {
			return fmt.Errorf("subscription: save %s: %w", base.SubscriptionID, err)
		}
		return nil
	})
}

func (s *Store) save(ctx context.Context, q querier, base *domain.Subscription, tree *domain.Tree) error {
	sid := base.SubscriptionID.String()
	if _, err := s.exec(ctx, q, upsertSubscription, sid, base.Description, string(base.Status), base.Product.ProductID.String(),
		base.CustomerID, base.Insync, s.timeArg(base.StartDate), s.timeArg(base.EndDate), storedNote(base.Note)); err != nil {
		return err
	}
	var own, foreign []*domain.Instance
	var blockNames, rtNames []string
	for _, inst := range tree.Instances {
		if inst.Owner != base.SubscriptionID {
			foreign = append(foreign, inst)
			continue
		}
		own = append(own, inst)
		if !slices.Contains(blockNames, inst.Block) {
			blockNames = append(blockNames, inst.Block)
		}
		for rt := range inst.Values {
			if !slices.Contains(rtNames, rt) {
				rtNames = append(rtNames, rt)
			}
		}
	}
	blockIDs, rtIDs, err := s.catalogueIDs(ctx, q, blockNames, rtNames)
	if err != nil {
		return err
	}
	if err := s.checkForeign(ctx, q, foreign); err != nil {
		return err
	}

	// Instances: insert new ones, relabel changed ones, delete unreachable ones.
	existing := map[uuid.UUID]sql.NullString{}
	err = s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var id uuid.UUID
		var label sql.NullString
		if err := rows.Scan(&id, &label); err != nil {
			return err
		}
		existing[id] = label
		return nil
	}, "SELECT subscription_instance_id, label FROM subscription_instances WHERE subscription_id = ?", sid)
	if err != nil {
		return err
	}
	reachable := map[uuid.UUID]bool{}
	var added []*domain.Instance
	for _, inst := range own {
		reachable[inst.ID] = true
		label, ok := existing[inst.ID]
		switch {
		case !ok:
			added = append(added, inst)
		case label.String != inst.Label || (label.Valid && inst.Label == ""):
			if _, err := s.exec(ctx, q, "UPDATE subscription_instances SET label = ? WHERE subscription_instance_id = ?", nullable(inst.Label), inst.ID.String()); err != nil {
				return err
			}
		}
	}
	err = inBatches(added, func(batch []*domain.Instance) error {
		args := make([]any, 0, 4*len(batch))
		for _, inst := range batch {
			args = append(args, inst.ID.String(), sid, blockIDs[inst.Block], nullable(inst.Label))
		}
		_, err := s.exec(ctx, q, "INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id, label) VALUES "+database.Placeholders(len(batch), 4), args...)
		return err
	})
	if err != nil {
		return err
	}
	var gone []string
	for id := range existing {
		if !reachable[id] {
			gone = append(gone, id.String())
		}
	}
	slices.Sort(gone)
	err = inBatches(gone, func(batch []string) error {
		_, err := s.exec(ctx, q, "DELETE FROM subscription_instances WHERE subscription_instance_id IN "+database.Placeholders(1, len(batch)), anys(batch)...)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.saveValues(ctx, q, sid, own, rtIDs); err != nil {
		return err
	}
	if err := s.saveRelations(ctx, q, sid, reachable, tree.Relations); err != nil {
		return err
	}
	return s.scanAll(ctx, q, func(rows *sql.Rows) error { return rows.Scan(&base.Version) },
		"SELECT version FROM subscriptions WHERE subscription_id = ?", sid)
}

// checkForeign makes sure the instances of other subscriptions that the tree links to exist as the model says.
func (s *Store) checkForeign(ctx context.Context, q querier, foreign []*domain.Instance) error {
	return inBatches(foreign, func(batch []*domain.Instance) error {
		ids := make([]any, len(batch))
		for i, inst := range batch {
			ids[i] = inst.ID.String()
		}
		type row struct {
			owner uuid.UUID
			block string
		}
		found := map[uuid.UUID]row{}
		err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
			var id uuid.UUID
			var r row
			if err := rows.Scan(&id, &r.owner, &r.block); err != nil {
				return err
			}
			found[id] = r
			return nil
		}, `SELECT si.subscription_instance_id, si.subscription_id, pb.name
FROM subscription_instances si JOIN product_blocks pb ON pb.product_block_id = si.product_block_id
WHERE si.subscription_instance_id IN `+database.Placeholders(1, len(ids)), ids...)
		if err != nil {
			return err
		}
		for _, inst := range batch {
			r, ok := found[inst.ID]
			switch {
			case !ok:
				return fmt.Errorf("linked %s instance %s of subscription %s does not exist", inst.Block, inst.ID, inst.Owner)
			case r.owner != inst.Owner:
				return fmt.Errorf("linked %s instance %s belongs to subscription %s, not %s", inst.Block, inst.ID, r.owner, inst.Owner)
			case r.block != inst.Block:
				return fmt.Errorf("linked instance %s is a %s block, not %s", inst.ID, r.block, inst.Block)
			}
		}
		return nil
	})
}

// saveValues makes the stored values of the reachable own instances those of the model: rows that are already
// right stay, others are deleted, missing ones inserted.
func (s *Store) saveValues(ctx context.Context, q querier, sid string, own []*domain.Instance, rtIDs map[string]string) error {
	type key struct {
		inst uuid.UUID
		rt   string
	}
	stored := map[key][]storedValue{}
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var k key
		var v storedValue
		if err := rows.Scan(&v.id, &k.inst, &k.rt, &v.value); err != nil {
			return err
		}
		stored[k] = append(stored[k], v)
		return nil
	}, `SELECT v.subscription_instance_value_id, v.subscription_instance_id, rt.resource_type, v.value
FROM subscription_instance_values v
JOIN subscription_instances si ON si.subscription_instance_id = v.subscription_instance_id
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
WHERE si.subscription_id = ?`, sid)
	if err != nil {
		return err
	}
	var insert []any // rows of (instance id, resource type id, value)
	var inserted int
	declared := map[uuid.UUID]*domain.BlockType{} // the block of each reachable own instance
	for _, inst := range own {
		declared[inst.ID], _ = s.reg.Block(inst.Block)
		for rt, vals := range inst.Values {
			k := key{inst.ID, rt}
			have := stored[k]
			for _, v := range vals {
				if i := slices.IndexFunc(have, func(sv storedValue) bool { return sv.value == v }); i >= 0 {
					have = slices.Delete(have, i, i+1)
					continue
				}
				insert = append(insert, inst.ID.String(), rtIDs[rt], v)
				inserted++
			}
			stored[k] = have
		}
	}
	// What is left in stored is no longer wanted: changed rows of reachable own instances. Rows of resource types
	// the block does not declare stay: they are not the model's to delete (a renamed field, or another
	// application's attribute), so a load-save round trip keeps them. Rows of unreachable instances went with
	// their instance.
	var del []string
	for k, vals := range stored {
		if bt := declared[k.inst]; bt != nil && isResource(bt.Field(k.rt)) {
			for _, v := range vals {
				del = append(del, v.id)
			}
		}
	}
	slices.Sort(del)
	err = inBatches(del, func(batch []string) error {
		_, err := s.exec(ctx, q, "DELETE FROM subscription_instance_values WHERE subscription_instance_value_id IN "+database.Placeholders(1, len(batch)), anys(batch)...)
		return err
	})
	if err != nil {
		return err
	}
	for len(insert) > 0 {
		n := min(inserted, batchRows)
		if _, err := s.exec(ctx, q, "INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value) VALUES "+database.Placeholders(n, 3), insert[:3*n]...); err != nil {
			return err
		}
		insert, inserted = insert[3*n:], inserted-n
	}
	return nil
}

type storedValue struct {
	id    string
	value string
}

// saveRelations makes the stored outgoing relations of the reachable own instances those of the model.
func (s *Store) saveRelations(ctx context.Context, q querier, sid string, reachable map[uuid.UUID]bool, want []domain.Relation) error {
	stored := map[domain.Relation]bool{}
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var r domain.Relation
		var attr sql.NullString
		if err := rows.Scan(&r.InUseBy, &r.DependsOn, &r.OrderID, &attr); err != nil {
			return err
		}
		r.Attr = attr.String
		if reachable[r.InUseBy] {
			stored[r] = true
		}
		return nil
	}, `SELECT r.in_use_by_id, r.depends_on_id, r.order_id, r.domain_model_attr
FROM subscription_instance_relations r
JOIN subscription_instances si ON si.subscription_instance_id = r.in_use_by_id
WHERE si.subscription_id = ?`, sid)
	if err != nil {
		return err
	}
	var add []domain.Relation
	for _, r := range want {
		if stored[r] {
			delete(stored, r)
			continue
		}
		add = append(add, r)
	}
	var del []domain.Relation
	for r := range stored {
		del = append(del, r)
	}
	slices.SortFunc(del, func(a, b domain.Relation) int {
		if c := slices.Compare(a.InUseBy[:], b.InUseBy[:]); c != 0 {
			return c
		}
		if c := slices.Compare(a.DependsOn[:], b.DependsOn[:]); c != 0 {
			return c
		}
		return a.OrderID - b.OrderID
	})
	err = inBatches(del, func(batch []domain.Relation) error {
		args := make([]any, 0, 3*len(batch))
		for _, r := range batch {
			args = append(args, r.InUseBy.String(), r.DependsOn.String(), r.OrderID)
		}
		_, err := s.exec(ctx, q, "DELETE FROM subscription_instance_relations WHERE (in_use_by_id, depends_on_id, order_id) IN ("+database.Placeholders(len(batch), 3)+")", args...)
		return err
	})
	if err != nil {
		return err
	}
	return inBatches(add, func(batch []domain.Relation) error {
		args := make([]any, 0, 4*len(batch))
		for _, r := range batch {
			args = append(args, r.InUseBy.String(), r.DependsOn.String(), r.OrderID, nullable(r.Attr))
		}
		_, err := s.exec(ctx, q, "INSERT INTO subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) VALUES "+database.Placeholders(len(batch), 4), args...)
		return err
	})
}

// nullable stores "" as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// isResource reports whether a block field is a resource type (single or list).
func isResource(f *domain.Field) bool { return f != nil && !f.IsBlock() }
