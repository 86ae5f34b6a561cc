package subscription_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/subscription"
)

// A model that drifted from the catalogue in the database: a misspelt resource type, a new nested block, a new
// product, a product of another type.

type driftLeaf struct {
	domain.Block `wfo:"TestLeaf"`
	Name         *string `wfo:"leaf_nme"`
	Size         int     `wfo:"size"`
}

type driftNew struct {
	domain.Block `wfo:"TestNew"`
	Serial       *string `wfo:"serial_number"`
}

type driftRoot struct {
	domain.Block `wfo:"TestRoot"`
	Leaf         *driftLeaf `wfo:"leaf"`
	New          *driftNew  `wfo:"new"`
}

type drift struct {
	domain.Subscription `wfo:"Thing"`
	Color               Color     `wfo:"color"`
	Speed               *int      `wfo:"speed"`
	Root                driftRoot `wfo:"root"`
}

type driftProvider struct {
	domain.Subscription `wfo:"Provider2"`
	Root                driftRoot `wfo:"root"`
}

func TestCheckCatalogue(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		db, s := setup(t, target.URI)
		require.NoError(t, s.CheckCatalogue(ctx), "the catalogue made from the registry matches it")

		reg := domain.MustNewRegistry(domain.Product[drift]("Thing red", "Thing purple"), domain.Product[driftProvider]("Provider"))
		err := subscription.New(db, reg).CheckCatalogue(ctx)
		require.ErrorIs(t, err, subscription.ErrCatalogueMismatch)
		var ce *subscription.CatalogueError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, []string{
			"block TestLeaf lacks resource type leaf_nme",
			"block TestRoot lacks the relation to nested block TestNew",
			`product "Provider" has product type "Provider", the model says "Provider2"`,
			`product "Provider" lacks root block TestRoot`,
			`product "Thing purple" is missing`,
			"product block TestNew is missing",
			"resource type leaf_nme is missing",
			"resource type serial_number is missing",
		}, ce.Differences)
		require.ErrorContains(t, err, "subscription: the domain model and the database catalogue differ (run db migrate-domain-models): block TestLeaf lacks")
	})
}
