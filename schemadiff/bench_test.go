package schemadiff_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/schemadiff"
)

// BenchmarkDiff times one comparison of a database with the core schema and two application tables against a
// desired schema that changes both, as "db revision --autogenerate" makes it:
//
//	scripts/with-postgres go test -run '^$' -bench Diff ./schemadiff
func BenchmarkDiff(b *testing.B) {
	for _, target := range dbtest.Targets(b) {
		b.Run(target.Name, func(b *testing.B) {
			f := setup(b, target)
			f.revise(stateTables, "tables")
			require.NoError(b, f.migrator().Upgrade(f.ctx, "heads"))
			desired := f.src(stateColumns)
			b.ResetTimer()
			for b.Loop() {
				p, err := schemadiff.Diff(f.ctx, f.db, desired)
				require.NoError(b, err)
				require.False(b, p.Empty())
			}
		})
	}
}
