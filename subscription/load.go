package subscription

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
)

// Create returns a new subscription of the named product for a customer, not stored yet (Save stores it): a new
// id, lifecycle initial, not in sync, the description "Initial subscription of <product description>", the
// product's fixed inputs, and empty instances for the block fields required from initial: min instances of a list
// whose bounds apply from initial, none of a list required from a later lifecycle (required=provisioning).
func (s *Store) Create(ctx context.Context, productName, customerID string) (domain.Model, error) {
	pt, ok := s.reg.Product(productName)
	if !ok {
		return nil, fmt.Errorf("subscription: product %q: %w in the registry (registered: %s)", productName, ErrNotRegistered, strings.Join(s.reg.ProductNames(), ", "))
	}
	q := s.conn()
	var prod domain.ProductInfo
	found := false
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		found = true
		var created, ended time.Time
		if err := rows.Scan(&prod.ProductID, &prod.Name, &prod.Description, &prod.ProductType, &prod.Tag, &prod.Status, database.ScanTime{T: &created}, database.ScanTime{T: &ended}); err != nil {
			return err
		}
		prod.CreatedAt, prod.EndDate = timePtr(created), timePtr(ended)
		return nil
	}, "SELECT product_id, name, description, product_type, tag, status, created_at, end_date FROM products WHERE name = ?", productName)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading product %q: %w", productName, err)
	}
	if !found {
		return nil, fmt.Errorf("subscription: product %q: %w in the database (products)", productName, ErrNotFound)
	}
	fixed, err := s.fixedInputs(ctx, q, prod.ProductID)
	if err != nil {
		return nil, err
	}
	base := domain.Subscription{
		SubscriptionID: uuid.New(),
		CustomerID:     customerID,
		Description:    "Initial subscription of " + prod.Description,
		Status:         domain.Initial,
		Version:        1,
		Product:        prod,
	}
	m, err := pt.NewModel(base, fixed)
	if err != nil {
		return nil, fmt.Errorf("subscription: %w", err)
	}
	return m, nil
}

// Create is Store.Create returning the product type T: subscription.Create[netapp.Node](ctx, s, "Node Cisco", c).
func Create[T any, PT interface {
	*T
	domain.Model
}](ctx context.Context, s *Store, productName, customerID string) (PT, error) {
	m, err := s.Create(ctx, productName, customerID)
	if err != nil {
		return nil, err
	}
	return as[T, PT](m)
}

// Load is Store.Load returning the product type T.
func Load[T any, PT interface {
	*T
	domain.Model
}](ctx context.Context, s *Store, id uuid.UUID) (PT, error) {
	m, err := s.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return as[T, PT](m)
}

func as[T any, PT interface {
	*T
	domain.Model
}](m domain.Model) (PT, error) {
	t, ok := m.(PT)
	if !ok {
		return nil, fmt.Errorf("subscription: %s is a %T, not a %T", m.SubscriptionBase().SubscriptionID, m, t)
	}
	return t, nil
}

func (s *Store) fixedInputs(ctx context.Context, q querier, productID uuid.UUID) (map[string]string, error) {
	fixed := map[string]string{}
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return err
		}
		fixed[name] = value
		return nil
	}, "SELECT name, value FROM fixed_inputs WHERE product_id = ?", productID.String())
	if err != nil {
		return nil, fmt.Errorf("subscription: reading fixed inputs of product %s: %w", productID, err)
	}
	return fixed, nil
}

// treeCTE selects the ids of every instance reachable from the subscription's own instances. PostgreSQL uses
// treeCTEPostgres: its planner, estimating a recursive query, may otherwise join by scanning whole tables, a cost
// that grows with the database instead of the tree; a LATERAL subquery with OFFSET 0 is not flattened into a
// join, so every step is an index lookup per instance.
const treeCTE = `WITH RECURSIVE tree(id) AS (
    SELECT subscription_instance_id FROM subscription_instances WHERE subscription_id = ?
    UNION
    SELECT r.depends_on_id FROM subscription_instance_relations r JOIN tree ON r.in_use_by_id = tree.id
)
`

const treeCTEPostgres = `WITH RECURSIVE tree(id) AS (
    SELECT subscription_instance_id FROM subscription_instances WHERE subscription_id = ?
    UNION
    SELECT r.depends_on_id FROM tree CROSS JOIN LATERAL (
        SELECT depends_on_id FROM subscription_instance_relations WHERE in_use_by_id = tree.id OFFSET 0) r
)
`

// loadSubscription reads the subscription with its product, one row per fixed input (or one row with NULLs).
const loadSubscription = `SELECT s.customer_id, s.description, s.status, s.insync, s.start_date, s.end_date, s.note, s.version,
       p.product_id, p.name, p.description, p.product_type, p.tag, p.status, p.created_at, p.end_date, fi.name, fi.value
FROM subscriptions s
JOIN products p ON p.product_id = s.product_id
LEFT JOIN fixed_inputs fi ON fi.product_id = p.product_id
WHERE s.subscription_id = ?`

// loadTree reads the tree in one query, computing it once: rows of kind 'i' are instances (id, owner, block
// name, label), 'v' values (instance, resource type, value), 'r' relations (in use by, depends on,
// domain_model_attr, order_id).
const loadTree = treeCTE + loadTreeSelect

// loadTreePostgres is loadTree with index lookups per instance forced, as in treeCTEPostgres.
const loadTreePostgres = treeCTEPostgres + `SELECT 'i', CAST(si.subscription_instance_id AS TEXT), CAST(si.subscription_id AS TEXT), pb.name, si.label, 0
FROM tree
CROSS JOIN LATERAL (SELECT * FROM subscription_instances WHERE subscription_instance_id = tree.id OFFSET 0) si
JOIN product_blocks pb ON pb.product_block_id = si.product_block_id
UNION ALL
SELECT 'v', CAST(v.subscription_instance_id AS TEXT), rt.resource_type, v.value, NULL, 0
FROM tree
CROSS JOIN LATERAL (SELECT * FROM subscription_instance_values WHERE subscription_instance_id = tree.id OFFSET 0) v
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
UNION ALL
SELECT 'r', CAST(r.in_use_by_id AS TEXT), CAST(r.depends_on_id AS TEXT), r.domain_model_attr, NULL, r.order_id
FROM tree
CROSS JOIN LATERAL (SELECT * FROM subscription_instance_relations WHERE in_use_by_id = tree.id OFFSET 0) r`

const loadTreeSelect = `SELECT 'i', CAST(si.subscription_instance_id AS TEXT), CAST(si.subscription_id AS TEXT), pb.name, si.label, 0
FROM tree
JOIN subscription_instances si ON si.subscription_instance_id = tree.id
JOIN product_blocks pb ON pb.product_block_id = si.product_block_id
UNION ALL
SELECT 'v', CAST(v.subscription_instance_id AS TEXT), rt.resource_type, v.value, NULL, 0
FROM tree
JOIN subscription_instance_values v ON v.subscription_instance_id = tree.id
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
UNION ALL
SELECT 'r', CAST(r.in_use_by_id AS TEXT), CAST(r.depends_on_id AS TEXT), r.domain_model_attr, NULL, r.order_id
FROM tree
JOIN subscription_instance_relations r ON r.in_use_by_id = tree.id`

// Load reads a subscription into its registered product type (a pointer to it, as a domain.Model), in two
// queries whatever the size of its tree: the subscription with its product and fixed inputs, and the tree (on
// PostgreSQL in a read-only transaction that first turns JIT off, see readTx). Fixed inputs come from its product. The subscription must be valid for
// its lifecycle, as in the reference, whose typed models refuse it otherwise.
func (s *Store) Load(ctx context.Context, id uuid.UUID) (domain.Model, error) {
	var m domain.Model
	err := s.readTx(ctx, func(q querier) error {
		var err error
		m, err = s.load(ctx, q, id)
		return err
	})
	return m, err
}

// readTx runs fn in the store's transaction or in a snapshot of the database (database.DB.InSnapshot), so that
// the load's queries see one state.
func (s *Store) readTx(ctx context.Context, fn func(q querier) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	return s.db.InSnapshot(ctx, func(q database.Querier) error {
		for _, stmt := range s.db.Dialect.SnapshotSettings() {
			if _, err := s.exec(ctx, q, stmt); err != nil {
				return fmt.Errorf("subscription: %w", err)
			}
		}
		return fn(q)
	})
}

func (s *Store) load(ctx context.Context, q querier, id uuid.UUID) (domain.Model, error) {
	base := domain.Subscription{SubscriptionID: id}
	found := false
	fixed := map[string]string{}
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		found = true
		var status string
		var start, end, created, ended time.Time
		var note, fiName, fiValue sql.NullString
		p := &base.Product
		if err := rows.Scan(&base.CustomerID, &base.Description, &status, &base.Insync, database.ScanTime{T: &start}, database.ScanTime{T: &end}, &note, &base.Version,
			&p.ProductID, &p.Name, &p.Description, &p.ProductType, &p.Tag, &p.Status, database.ScanTime{T: &created}, database.ScanTime{T: &ended}, &fiName, &fiValue); err != nil {
			return err
		}
		p.CreatedAt, p.EndDate = timePtr(created), timePtr(ended)
		if fiName.Valid {
			fixed[fiName.String] = fiValue.String
		}
		base.Status, base.Note = domain.Lifecycle(status), note.String
		base.StartDate, base.EndDate = timePtr(start), timePtr(end)
		return nil
	}, loadSubscription, id.String())
	if err != nil {
		return nil, fmt.Errorf("subscription: loading %s: %w", id, err)
	}
	if !found {
		return nil, fmt.Errorf("subscription: %s: %w", id, ErrNotFound)
	}
	pt, ok := s.reg.Product(base.Product.Name)
	if !ok {
		return nil, fmt.Errorf("subscription: %s: product %q is %w (registered: %s)", id, base.Product.Name, ErrNotRegistered, strings.Join(s.reg.ProductNames(), ", "))
	}
	tree, err := s.loadTree(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("subscription: loading %s: %w", id, err)
	}
	m, err := pt.Assemble(base, fixed, tree)
	if err != nil {
		return nil, fmt.Errorf("subscription: loading %s: %w", id, err)
	}
	if err := pt.Validate(m, base.Status); err != nil {
		return nil, invalid(err, "subscription: loading %s: not valid for %s", id, base.Status)
	}
	return m, nil
}

// loadTree reads the instances reachable from the subscription's own, their values and their relations.
func (s *Store) loadTree(ctx context.Context, q querier, id uuid.UUID) (*domain.Tree, error) {
	tree := &domain.Tree{}
	byID := map[uuid.UUID]*domain.Instance{}
	type value struct {
		inst      uuid.UUID
		rt, value string
	}
	var values []value
	query := database.Variants{Postgres: loadTreePostgres, SQLite: loadTree}.For(s.db.Dialect)
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var kind, a, b string
		var c, d sql.NullString
		var order int
		if err := rows.Scan(&kind, &a, &b, &c, &d, &order); err != nil {
			return err
		}
		var err error
		parse := func(text string) uuid.UUID {
			u, perr := uuid.Parse(text)
			err = cmp.Or(err, perr)
			return u
		}
		switch kind {
		case "i":
			inst := &domain.Instance{ID: parse(a), Owner: parse(b), Block: c.String, Label: d.String, Values: map[string][]string{}}
			tree.Instances = append(tree.Instances, inst)
			byID[inst.ID] = inst
		case "v":
			values = append(values, value{inst: parse(a), rt: b, value: c.String})
		case "r":
			tree.Relations = append(tree.Relations, domain.Relation{InUseBy: parse(a), DependsOn: parse(b), OrderID: order, Attr: c.String})
		}
		return err
	}, query, id.String())
	if err != nil {
		return nil, err
	}
	for _, v := range values {
		if inst := byID[v.inst]; inst != nil {
			inst.Values[v.rt] = append(inst.Values[v.rt], v.value)
		}
	}
	return tree, nil
}
