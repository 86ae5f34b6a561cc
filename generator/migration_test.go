package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// memberConfig declares a block of its own (Member) and again, under another name (so in another package), a
// block that user_group.yaml already generated into the module (UserGroup), as a configuration copied from
// another product's does.
const memberConfig = `name: Member
type: Member
product_blocks:
  - name: member
    type: Member
    fields:
      - name: group
        type: UserGroup
      - name: member_name
        type: str
        required: provisioning
  - name: group
    type: UserGroup
    fields:
      - name: group_name
        type: str
        required: provisioning
      - name: group_id
        type: int
        required: active
`

// TestSkipExistingBlocks: --skip-existing-blocks leaves the blocks that the module's code already declares in
// another product's package out of the data revision (upgrade and downgrade); without it they are inserted (and
// removed) again, each insert skipping rows that exist.
func TestSkipExistingBlocks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/orch\n\ngo 1.26\n"), 0o644))
	mod := Module{Dir: dir, Path: "example.com/orch", Work: dir}
	generateAll(t, mod, "user_group", Options{})
	config := filepath.Join(dir, "member.yaml")
	require.NoError(t, os.WriteFile(config, []byte(memberConfig), 0o644))

	migration := func(skip bool) Migration {
		m, err := Load(config, dir, "", CmdMigration)
		require.NoError(t, err)
		g, err := New(m, Options{})
		require.NoError(t, err)
		mig, err := g.Migration(MigrationOptions{SkipExistingBlocks: skip})
		require.NoError(t, err)
		return mig
	}
	all, skipped := migration(false), migration(true)
	for _, sql := range []string{all.Upgrade, all.Downgrade} {
		require.Contains(t, sql, "'UserGroup'")
		require.Contains(t, sql, "'Member'")
	}
	for _, sql := range []string{skipped.Upgrade, skipped.Downgrade} {
		require.Contains(t, sql, "'Member'")
	}
	// The existing block is neither inserted nor deleted, nor are its resource types; the new block's relation to
	// it stays.
	require.NotContains(t, skipped.Upgrade, "('UserGroup', ")
	require.NotContains(t, skipped.Upgrade, "'group_name'")
	require.NotContains(t, skipped.Downgrade, "'UserGroup'")
	require.Contains(t, skipped.Upgrade, "WHERE parent.name = 'Member' AND child.name IN ('UserGroup')")
}
