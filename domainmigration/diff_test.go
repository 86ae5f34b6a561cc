package domainmigration_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domainmigration"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

// answers is an Asker from a map of "kind/product/fixed input/block/resource type" keys; a question without an
// answer is an error.
type answers map[string]string

var errUnanswered = errors.New("unanswered")

func (answers) Section(string) {}
func (a answers) Ask(q domainmigration.Question) (string, error) {
	if v, ok := a[q.ResourceType+"@"+q.Block]; ok && q.Kind == domainmigration.DefaultValue {
		return v, nil
	}
	if q.Kind == domainmigration.ResourceTypeDescription || q.Kind == domainmigration.BlockDescription || q.Kind == domainmigration.BlockTag ||
		q.Kind == domainmigration.ProductDescription || q.Kind == domainmigration.ProductTag {
		return "x", nil
	}
	return "", errUnanswered
}

func catalogue() *domainmigration.Catalogue { return domainmigration.NewCatalogue() }

func count(t *testing.T, script string) int {
	t.Helper()
	s, err := sqlsplit.Split(script, 0)
	require.NoError(t, err)
	return len(s)
}

// A resource type missing in several blocks is added to all of them, whatever the order (the reference's grouping
// could drop blocks, spec §8.2).
func TestGroupingKeepsEveryBlock(t *testing.T) {
	t.Parallel()
	m := &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"P": {Type: "P", Blocks: []domainmigration.Attr{
			{Name: "a", Blocks: []string{"A"}, Fill: 1}, {Name: "b", Blocks: []string{"B"}, Fill: 1}, {Name: "c", Blocks: []string{"C"}, Fill: 1}}}},
		Blocks: map[string]*domainmigration.Block{
			"A": {ResourceTypes: []string{"x"}}, "B": {ResourceTypes: []string{"y"}}, "C": {ResourceTypes: []string{"x"}}},
	}
	c := catalogue()
	c.Products["P"] = &domainmigration.CatalogueProduct{Type: "P", FixedInputs: map[string]string{}, Blocks: []string{"A", "B", "C"}}
	c.Blocks["A"], c.Blocks["B"], c.Blocks["C"] = &domainmigration.CatalogueBlock{}, &domainmigration.CatalogueBlock{}, &domainmigration.CatalogueBlock{}
	c.ResourceTypes["x"], c.ResourceTypes["y"] = true, true
	ch := domainmigration.Compare(m, c, nil).Changes(domainmigration.Updates{})
	require.Equal(t, []domainmigration.Group{{Name: "x", Members: []string{"A", "C"}}, {Name: "y", Members: []string{"B"}}}, ch.CreateResourceTypeLinks)
	require.Empty(t, ch.CreateResourceTypes)
}

// A block in the database that only a new product uses is compared too (spec §8.17).
func TestBlockOfNewProductIsCompared(t *testing.T) {
	t.Parallel()
	m := &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"New": {Type: "N", Blocks: []domainmigration.Attr{{Name: "b", Blocks: []string{"B"}, Fill: 1}}}},
		Blocks:   map[string]*domainmigration.Block{"B": {ResourceTypes: []string{"a", "b"}}},
	}
	c := catalogue()
	c.Blocks["B"] = &domainmigration.CatalogueBlock{ResourceTypes: []string{"a"}}
	c.ResourceTypes["a"] = true
	ch := domainmigration.Compare(m, c, nil).Changes(domainmigration.Updates{})
	require.Equal(t, []string{"New"}, ch.CreateProducts)
	require.Equal(t, []domainmigration.Group{{Name: "b", Members: []string{"B"}}}, ch.CreateResourceTypeLinks)
	require.Equal(t, []string{"b"}, ch.CreateResourceTypes)
	require.Empty(t, ch.CreateBlocks)
}

// SKIP_MODEL_FOR_MIGRATION_DB_DIFF matches without regard to case, and a skipped product is left alone
// entirely (spec §8.13).
func TestSkip(t *testing.T) {
	t.Parallel()
	m := &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"Legacy Node": {Type: "N", FixedInputs: []string{"f"}}, "New Legacy": {Type: "N"}},
		Blocks:   map[string]*domainmigration.Block{},
	}
	c := catalogue()
	c.Products["Legacy Node"] = &domainmigration.CatalogueProduct{FixedInputs: map[string]string{"g": "1"}}
	c.Products["Old LEGACY thing"] = &domainmigration.CatalogueProduct{FixedInputs: map[string]string{}}
	d := domainmigration.Compare(m, c, domainmigration.Skipper([]string{"LeGaCy"}))
	require.True(t, d.Empty())
	d = domainmigration.Compare(m, c, domainmigration.Skipper(nil))
	require.Equal(t, []string{"New Legacy"}, d.NewProducts)
	require.Equal(t, []string{"Old LEGACY thing"}, d.GoneProducts)
	require.Equal(t, []domainmigration.FixedInputRename{{Product: "Legacy Node", Old: "g", New: "f"}}, d.FixedInputRenameCandidates())
}

// Updates naming a product without differences do no harm (the reference crashed, spec §8.12), and every
// per-block update is kept (the reference kept the last, §8.3).
func TestUpdates(t *testing.T) {
	t.Parallel()
	m := &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"P": {Type: "P", Blocks: []domainmigration.Attr{{Name: "b", Blocks: []string{"B"}, Fill: 1}}}},
		Blocks:   map[string]*domainmigration.Block{"B": {ResourceTypes: []string{"c", "d"}}, "Other": {ResourceTypes: []string{"a"}}},
	}
	c := catalogue()
	c.Products["P"] = &domainmigration.CatalogueProduct{FixedInputs: map[string]string{}, Blocks: []string{"B"}}
	c.Blocks["B"] = &domainmigration.CatalogueBlock{ResourceTypes: []string{"a", "b"}}
	c.Blocks["Other"] = &domainmigration.CatalogueBlock{ResourceTypes: []string{"a"}}
	c.ResourceTypes["a"], c.ResourceTypes["b"] = true, true
	d := domainmigration.Compare(m, c, nil)
	require.Equal(t, map[string][]string{"b": {"c", "d"}}, d.RenameCandidates(), "a is still declared by Other")
	olds, news := d.BlockUpdateCandidates("B", nil)
	require.Equal(t, []string{"a", "b"}, olds)
	require.Equal(t, []string{"c", "d"}, news)
	u := domainmigration.Updates{
		FixedInputs:        map[string]map[string]string{"Q": {"x": "y"}},
		BlockResourceTypes: map[string]map[string]string{"B": {"a": "c", "b": "d"}},
	}
	ch := d.Changes(u)
	require.Equal(t, []domainmigration.Rename{{Owner: "B", Old: "a", New: "c"}, {Owner: "B", Old: "b", New: "d"}}, ch.UpdateBlockResourceTypes)
	require.Empty(t, ch.CreateResourceTypeLinks)
	require.Empty(t, ch.DeleteResourceTypeLinks)
	require.Equal(t, []string{"c", "d"}, ch.CreateResourceTypes)
	up, down, err := ch.SQL(answers{})
	require.NoError(t, err)
	require.Equal(t, 1+2+4, count(t, up)) // the fixed-input rename, two types, two pairs of updates
	require.Equal(t, 4+2+1, count(t, down))
}

// Every literal is quoted: a value with quotes or what looks like a bind parameter is data (spec §8.9).
func TestLiteralsAreQuoted(t *testing.T) {
	t.Parallel()
	m := &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"P": {Type: "P", Blocks: []domainmigration.Attr{{Name: "b", Blocks: []string{"B"}, Fill: 1}}}},
		Blocks:   map[string]*domainmigration.Block{"B": {ResourceTypes: []string{"a", "n"}}},
	}
	c := catalogue()
	c.Products["P"] = &domainmigration.CatalogueProduct{FixedInputs: map[string]string{}, Blocks: []string{"B"}, Subscriptions: true}
	c.Blocks["B"] = &domainmigration.CatalogueBlock{ResourceTypes: []string{"a"}, Instances: true}
	c.ResourceTypes["a"] = true
	ch := domainmigration.Compare(m, c, nil).Changes(domainmigration.Updates{})
	up, _, err := ch.SQL(answers{"n@B": `it's :x """ ; --`})
	require.NoError(t, err)
	require.Contains(t, up, `'it''s :x """ ; --'`)
	require.Equal(t, 3, count(t, up))
	_, _, err = ch.SQL(answers{})
	require.ErrorIs(t, err, errUnanswered)
}

func TestReadCatalogueWithoutSchema(t *testing.T) {
	t.Parallel()
	h := setup(t, "sqlite:///"+t.TempDir()+"/empty.db")
	_, err := domainmigration.ReadCatalogue(context.Background(), h.db)
	require.ErrorIs(t, err, domainmigration.ErrNoSchema)
}
