package domainmigration_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/migration/sqlsplit"
	"github.com/wfo-go/wfo/subscription"
)

// harness is a project directory and a database with the core schema, driven through the command tree.
type harness struct {
	t   testing.TB
	dir string
	uri string
	db  *database.DB
}

func setup(t testing.TB, uri string) *harness {
	h := &harness{t: t, dir: t.TempDir(), uri: uri}
	require.NoError(t, os.MkdirAll(filepath.Join(h.dir, "migrations", "versions", "schema"), 0o755))
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	h.db, err = database.Open(context.Background(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { h.db.Close() })
	return h
}

func (h *harness) project() *migration.Project {
	return &migration.Project{Locations: []*migration.Location{
		migration.DirLocation(filepath.Join(h.dir, "migrations", "versions", "schema")),
		coremigration.Location(),
	}}
}

// run runs a wfo command line with the registry and standard input, returning its exit code, stdout and stderr.
func (h *harness) run(reg *domain.Registry, stdin string, args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), wfo.New(wfo.WithProducts(reg), wfo.WithDir(h.dir)), args,
		cli.WithIO(strings.NewReader(stdin), &out, &errOut), cli.WithEnviron([]string{"DATABASE_URI=" + h.uri}))
	return code, out.String(), errOut.String()
}

// mustRun runs a command line that must succeed and returns its stdout.
func (h *harness) mustRun(reg *domain.Registry, stdin string, args ...string) string {
	h.t.Helper()
	code, out, errOut := h.run(reg, stdin, args...)
	require.Equal(h.t, 0, code, "wfo %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errOut)
	return out
}

func (h *harness) exec(script string) {
	h.t.Helper()
	stmts, err := sqlsplit.Split(script, 0)
	require.NoError(h.t, err)
	for _, s := range stmts {
		_, err := h.db.Exec(s.SQL)
		require.NoError(h.t, err, s.SQL)
	}
}

func (h *harness) query(q string) []string {
	h.t.Helper()
	rows, err := h.db.Query(q)
	require.NoError(h.t, err, q)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(h.t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(h.t, rows.Err())
	return out
}

func (h *harness) count(q string) int {
	h.t.Helper()
	var n int
	require.NoError(h.t, h.db.QueryRow(q).Scan(&n), q)
	return n
}

// sqlOf splits the output of migrate-domain-models --test into its upgrade and downgrade and counts their
// statements.
func sqlOf(t *testing.T, out string) (up, down string, nUp, nDown int) {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n-- upgrade\n")
	require.True(t, ok, "no upgrade in:\n%s", out)
	up, down, ok = strings.Cut(rest, "\n-- downgrade\n")
	require.True(t, ok, "no downgrade in:\n%s", out)
	su, err := sqlsplit.Split(up, 0)
	require.NoError(t, err)
	sd, err := sqlsplit.Split(down, 0)
	require.NoError(t, err)
	return up, down, len(su), len(sd)
}

// Fixtures of spec §7.

const subBlockOnly = `
INSERT INTO resource_types (resource_type, description) VALUES ('int_field', ''), ('str_field', '');
INSERT INTO product_blocks (name, description, tag, status) VALUES ('SubBlockOneForTest', 'Test Sub Block One', 'TEST', 'active');
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt
WHERE pb.name = 'SubBlockOneForTest' AND rt.resource_type IN ('int_field', 'str_field');
`

const dbOne = subBlockOnly + `
INSERT INTO resource_types (resource_type, description) VALUES ('list_field', ''), ('enum_field', '');
INSERT INTO product_blocks (name, description, tag, status) VALUES ('ProductBlockOneForTest', 'Test Block', 'TEST', 'active');
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt WHERE pb.name = 'ProductBlockOneForTest';
INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT a.product_block_id, b.product_block_id FROM product_blocks a, product_blocks b
WHERE a.name = 'ProductBlockOneForTest' AND b.name = 'SubBlockOneForTest';
INSERT INTO products (name, description, product_type, tag, status) VALUES ('TestProductOne', 'Test ProductTable', 'Test', 'TEST', 'active');
INSERT INTO fixed_inputs (name, value, product_id) SELECT 'test_fixed_input', 'False', product_id FROM products WHERE name = 'TestProductOne';
INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id FROM products p, product_blocks pb WHERE p.name = 'TestProductOne' AND pb.name = 'ProductBlockOneForTest';
`

var regOne = domain.MustNewRegistry(domain.Product[One]("TestProductOne"))

// s1 stores the subscription S1 of spec §7.
func (h *harness) s1() {
	h.t.Helper()
	ctx := context.Background()
	store := subscription.New(h.db, regOne)
	s, err := subscription.Create[One](ctx, store, "TestProductOne", "customer")
	require.NoError(h.t, err)
	s.Block.IntField, s.Block.StrField, s.Block.ListField, s.Block.EnumField = 1, "A", []int{10, 20, 30}, "bar"
	s.Block.SubBlock.IntField, s.Block.SubBlock.StrField = 2, "B"
	s.Block.SubBlock2.IntField, s.Block.SubBlock2.StrField = 3, "test"
	require.NoError(h.t, store.Save(ctx, s))
}

// load loads the only subscription with the registry's product type T.
func load[T any, PT interface {
	*T
	domain.Model
}](h *harness, reg *domain.Registry) *T {
	h.t.Helper()
	ids := h.query("SELECT CAST(subscription_id AS TEXT) FROM subscriptions")
	require.Len(h.t, ids, 1)
	m, err := subscription.New(h.db, reg).Load(context.Background(), mustUUID(h.t, ids[0]))
	require.NoError(h.t, err)
	s, ok := m.(PT)
	require.True(h.t, ok, "loaded a %T", m)
	return (*T)(s)
}
