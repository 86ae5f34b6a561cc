package subscription

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
)

// ChangeLifecycle moves a subscription to lifecycle to, in the model (Save stores it), as orchestrator-core's
// from_other_lifecycle does: every field required in the new lifecycle must be set, recursively (the error names
// each missing block field by its path); the subscriptions using any of its top-level blocks must have a status
// the new one allows (spec/core.md §2.7, ErrUnsafeStatusChange); start_date is set on the move to active and
// end_date on the move to terminated, when unset.
func (s *Store) ChangeLifecycle(ctx context.Context, m domain.Model, to domain.Lifecycle) error {
	pt, ok := s.reg.ProductTypeOf(m)
	if !ok {
		return fmt.Errorf("subscription: %T is not a registered product type: %w", m, ErrNotRegistered)
	}
	if _, err := domain.ParseLifecycle(string(to)); err != nil {
		return fmt.Errorf("subscription: cannot move to %q: %w", to, err)
	}
	if err := pt.Validate(m, to); err != nil {
		return invalid(err, "subscription: cannot move to %s", to)
	}
	base := m.SubscriptionBase()
	users, err := s.rootUsers(ctx, pt, m)
	if err != nil {
		return err
	}
	var unsafe []string
	for _, u := range users {
		if !domain.SafeInUseBy(to, u.Status) {
			unsafe = append(unsafe, fmt.Sprintf("%s (%s)", u.SubscriptionID, u.Status))
		}
	}
	if len(unsafe) > 0 {
		return fmt.Errorf("subscription: cannot move %s to %s: %w: in use by %s", base.SubscriptionID, to, ErrUnsafeStatusChange, strings.Join(unsafe, ", "))
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	if to == domain.Active && base.StartDate == nil {
		base.StartDate = &now
	}
	if to == domain.Terminated && base.EndDate == nil {
		base.EndDate = &now
	}
	base.Status = to
	return nil
}

// rootUsers returns the other subscriptions whose instances hold one of the model's top-level instances.
func (s *Store) rootUsers(ctx context.Context, pt *domain.ProductType, m domain.Model) ([]Summary, error) {
	base := m.SubscriptionBase()
	var roots []any
	for _, id := range pt.RootInstances(m) {
		roots = append(roots, id.String())
	}
	if len(roots) == 0 {
		return nil, nil
	}
	var users []Summary
	err := inBatches(roots, func(batch []any) error {
		more, err := s.summaries(ctx, `SELECT DISTINCT `+summaryColumns+`
FROM subscription_instance_relations r
JOIN subscription_instances si ON si.subscription_instance_id = r.in_use_by_id
JOIN subscriptions s ON s.subscription_id = si.subscription_id
JOIN products p ON p.product_id = s.product_id
WHERE si.subscription_id <> ? AND r.depends_on_id IN `+database.Placeholders(1, len(batch)), append([]any{base.SubscriptionID.String()}, batch...)...)
		users = append(users, more...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("subscription: reading the users of %s: %w", base.SubscriptionID, err)
	}
	return users, nil
}

// Summary is a subscription as the in-use-by and depends-on lists show it.
type Summary struct {
	SubscriptionID uuid.UUID
	Description    string
	Status         domain.Lifecycle
	Insync         bool
	CustomerID     string
	ProductName    string
}

const summaryColumns = `s.subscription_id, s.description, s.status, s.insync, s.customer_id, p.name`

func (s *Store) summaries(ctx context.Context, query string, args ...any) ([]Summary, error) {
	var out []Summary
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var sum Summary
		var status string
		if err := rows.Scan(&sum.SubscriptionID, &sum.Description, &status, &sum.Insync, &sum.CustomerID, &sum.ProductName); err != nil {
			return err
		}
		sum.Status = domain.Lifecycle(status)
		if !slices.ContainsFunc(out, func(o Summary) bool { return o.SubscriptionID == sum.SubscriptionID }) {
			out = append(out, sum)
		}
		return nil
	}, query, args...)
	slices.SortFunc(out, func(a, b Summary) int { return strings.Compare(a.SubscriptionID.String(), b.SubscriptionID.String()) })
	return out, err
}

// InUseBy returns the subscriptions that use subscription id: those owning an instance that depends on an
// instance id owns, sorted by id.
func (s *Store) InUseBy(ctx context.Context, id uuid.UUID) ([]Summary, error) {
	return s.related(ctx, id, "depends_on_id", "in_use_by_id", "in use by")
}

// DependsOn returns the subscriptions that subscription id uses: those owning an instance that an instance id
// owns depends on, sorted by id.
func (s *Store) DependsOn(ctx context.Context, id uuid.UUID) ([]Summary, error) {
	return s.related(ctx, id, "in_use_by_id", "depends_on_id", "depends on")
}

// related follows subscription_instance_relations from the instances id owns (column mine of the relation) to
// instances of other subscriptions (column other): the two directions of InUseBy and DependsOn.
func (s *Store) related(ctx context.Context, id uuid.UUID, mine, other, what string) ([]Summary, error) {
	out, err := s.summaries(ctx, `SELECT DISTINCT `+summaryColumns+`
FROM subscription_instances mine
JOIN subscription_instance_relations r ON r.`+mine+` = mine.subscription_instance_id
JOIN subscription_instances si ON si.subscription_instance_id = r.`+other+`
JOIN subscriptions s ON s.subscription_id = si.subscription_id
JOIN products p ON p.product_id = s.product_id
WHERE mine.subscription_id = ? AND si.subscription_id <> mine.subscription_id`, id.String())
	if err != nil {
		return nil, fmt.Errorf("subscription: %s of %s: %w", what, id, err)
	}
	return out, nil
}

// Lock takes a subscription's insync lock, as the reference's "unsync" step does before a modify or terminate
// workflow changes it: insync becomes false. A subscription already out of sync is ErrNotInSync.
func (s *Store) Lock(ctx context.Context, id uuid.UUID) error {
	res, err := s.exec(ctx, s.conn(), "UPDATE subscriptions SET insync = ? WHERE subscription_id = ? AND insync = ?", false, id.String(), true)
	if err != nil {
		return fmt.Errorf("subscription: lock %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	if err := s.exists(ctx, id); err != nil {
		return err
	}
	return fmt.Errorf("subscription: lock %s: %w", id, ErrNotInSync)
}

// Unlock releases the insync lock: insync becomes true.
func (s *Store) Unlock(ctx context.Context, id uuid.UUID) error {
	res, err := s.exec(ctx, s.conn(), "UPDATE subscriptions SET insync = ? WHERE subscription_id = ?", true, id.String())
	if err != nil {
		return fmt.Errorf("subscription: unlock %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return fmt.Errorf("subscription: unlock %s: %w", id, ErrNotFound)
}

func (s *Store) exists(ctx context.Context, id uuid.UUID) error {
	found := false
	err := s.scanAll(ctx, s.conn(), func(*sql.Rows) error { found = true; return nil },
		"SELECT 1 FROM subscriptions WHERE subscription_id = ?", id.String())
	if err != nil {
		return fmt.Errorf("subscription: %s: %w", id, err)
	}
	if !found {
		return fmt.Errorf("subscription: %s: %w", id, ErrNotFound)
	}
	return nil
}
