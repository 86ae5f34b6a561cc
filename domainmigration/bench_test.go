package domainmigration_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wfo-go/wfo/domainmigration"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

// bigModel is a declared catalogue of 500 products, 2,000 blocks and 5,000 resource types: each product has a
// fixed input, its own root block with three nested blocks, and the block Common that every product shares.
func bigModel(extra ...string) *domainmigration.Model {
	m := &domainmigration.Model{Products: map[string]*domainmigration.Product{}, Blocks: map[string]*domainmigration.Block{}}
	name := func(i int) string { return fmt.Sprintf("B%04d", i) }
	for i := range 2000 {
		m.Blocks[name(i)] = &domainmigration.Block{Defaults: map[string]string{}}
	}
	m.Blocks["Common"] = m.Blocks[name(1999)]
	delete(m.Blocks, name(1999))
	for j := range 5000 {
		b := m.Blocks[name(j%1999)]
		if j%2000 == 1999 {
			b = m.Blocks["Common"]
		}
		b.ResourceTypes = append(b.ResourceTypes, fmt.Sprintf("rt%04d", j))
	}
	for _, rt := range extra {
		m.Blocks["Common"].ResourceTypes = append(m.Blocks["Common"].ResourceTypes, rt)
		m.Blocks["Common"].Defaults[rt] = "default"
	}
	child := 500
	for i := range 500 {
		root := m.Blocks[name(i)]
		for k := range 3 {
			if child < 1999 {
				root.Children = append(root.Children, domainmigration.Attr{Name: fmt.Sprintf("part%d", k), Blocks: []string{name(child)}, Fill: 1})
				child++
			}
		}
		m.Products[fmt.Sprintf("P%d", i)] = &domainmigration.Product{Type: fmt.Sprintf("T%d", i), FixedInputs: []string{"size"},
			FixedInputValues: map[string]string{"size": "1"}, Description: "product", Tag: "P", Blocks: []domainmigration.Attr{
				{Name: "root", Blocks: []string{name(i)}, Fill: 1}, {Name: "common", Blocks: []string{"Common"}, Fill: 1}}}
	}
	return m
}

// everything answers every question.
type everything struct{}

func (everything) Section(string)                               {}
func (everything) Ask(domainmigration.Question) (string, error) { return "x", nil }

// BenchmarkLargeCatalogue times, on a database holding bigModel and 100,000 subscriptions (each with an instance
// of its root block and of Common, and a value in Common), the three steps of adding a resource type with a default
// to Common: reading and comparing the catalogues, writing the revision, and running its upgrade (100,000 new
// values; the downgrade that follows is not timed).
func BenchmarkLargeCatalogue(b *testing.B) {
	ctx := context.Background()
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var uri string
			if dialect == "sqlite" {
				uri = freshSQLite(b)
			} else {
				uri = freshPostgres(b)
			}
			h := setup(b, uri)
			// The catalogue, as this package writes it.
			up, _, err := domainmigration.Compare(bigModel(), domainmigration.NewCatalogue(), nil).Changes(domainmigration.Updates{}).SQL(everything{})
			if err != nil {
				b.Fatal(err)
			}
			execB(b, h, up)
			execB(b, h, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
INSERT INTO subscriptions (description, status, product_id, customer_id, insync)
SELECT 'sub', 'active', p.product_id, 'c', TRUE FROM n JOIN products p ON p.name = 'P' || CAST(n.i % 500 AS TEXT);
INSERT INTO subscription_instances (subscription_id, product_block_id)
SELECT s.subscription_id, ppb.product_block_id FROM subscriptions s JOIN product_product_blocks ppb ON ppb.product_id = s.product_id;
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT si.subscription_instance_id, rt.resource_type_id, 'v' FROM subscription_instances si
JOIN product_blocks pb ON pb.product_block_id = si.product_block_id AND pb.name = 'Common'
JOIN resource_types rt ON rt.resource_type = 'rt1999';
ANALYZE;`)
			model := bigModel("new_common")

			var changes *domainmigration.Changes
			b.Run("diff", func(b *testing.B) {
				for b.Loop() {
					cat, err := domainmigration.ReadCatalogue(ctx, h.db)
					if err != nil {
						b.Fatal(err)
					}
					changes = domainmigration.Compare(model, cat, nil).Changes(domainmigration.Updates{})
				}
			})
			var upgrade, downgrade string
			b.Run("revision", func(b *testing.B) {
				for b.Loop() {
					upgrade, downgrade, err = changes.SQL(everything{})
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					dir := b.TempDir()
					b.StartTimer()
					p := &migration.Project{Locations: []*migration.Location{migration.DirLocation(dir), h.project().Locations[1]}}
					if _, err := p.Revise(migration.ReviseOptions{Message: "add new_common", Upgrade: upgrade, Downgrade: downgrade}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("upgrade", func(b *testing.B) {
				for b.Loop() {
					execB(b, h, upgrade)
					b.StopTimer()
					execB(b, h, downgrade)
					b.StartTimer()
				}
			})
		})
	}
}

func execB(b testing.TB, h *harness, script string) {
	b.Helper()
	stmts, err := sqlsplit.Split(script, 0)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := h.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.Exec(s.SQL); err != nil {
			b.Fatalf("%s: %v", s.SQL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
