package migration

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Running a version-table change binds its values; the offline form inlines them as one quoted literal each.
func TestVersionOpStatements(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op     VersionOp
		stmt   string
		args   []any
		inline string
	}{
		{VersionOp{Kind: "insert", To: "ae1"}, "INSERT INTO alembic_version (version_num) VALUES (?)", []any{"ae1"},
			"INSERT INTO alembic_version (version_num) VALUES ('ae1')"},
		{VersionOp{Kind: "delete", From: "ae1"}, "DELETE FROM alembic_version WHERE alembic_version.version_num = ?", []any{"ae1"},
			"DELETE FROM alembic_version WHERE alembic_version.version_num = 'ae1'"},
		{VersionOp{Kind: "update", From: "it's", To: "a?1"}, "UPDATE alembic_version SET version_num=? WHERE alembic_version.version_num = ?", []any{"a?1", "it's"},
			"UPDATE alembic_version SET version_num='a?1' WHERE alembic_version.version_num = 'it''s'"},
	}
	for _, tt := range tests {
		stmt, args := tt.op.Statement()
		require.Equal(t, tt.stmt, stmt)
		require.Equal(t, tt.args, args)
		require.Equal(t, tt.inline, tt.op.SQL())
	}
}
