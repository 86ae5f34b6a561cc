package domain_test

import (
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

// The workshop's user model (spec/generator.md §7): two product names share the product type User.

type Affiliation string

const (
	Internal Affiliation = "internal"
	External Affiliation = "external"
)

func (Affiliation) Values() []Affiliation { return []Affiliation{Internal, External} }

type Age int

func (Age) Bounds() (lo, hi int64) { return 0, 150 }

type UserGroupBlock struct {
	domain.Block `wfo:"UserGroupBlock"`
	GroupName    *string `wfo:"group_name,required=provisioning"`
	GroupID      *int    `wfo:"group_id,required=active"`
}

type UserBlock struct {
	domain.Block `wfo:"UserBlock"`
	GroupMember  []UserGroupBlock `wfo:"group_member,max=4"`
	MainGroup    *UserGroupBlock  `wfo:"main_group,required=provisioning"`
	Username     *string          `wfo:"username,required=provisioning"`
	Age          *Age             `wfo:"age"`
	UserID       *uuid.UUID       `wfo:"user_id,required=active"`
	Enabled      bool             `wfo:"enabled,default=True"`
	Aliases      []string         `wfo:"aliases"`
	Address      *netip.Addr      `wfo:"address,ip=4"`
	Since        *time.Time       `wfo:"since"`
	Note         string           `wfo:"-"`
}

type User struct {
	domain.Subscription
	Affiliation Affiliation `wfo:"affiliation"`
	Settings    *string     `wfo:"settings"`
	User        UserBlock   `wfo:"user"`
}

type UserGroup struct {
	domain.Subscription `wfo:"user_group"`
	Group               UserGroupBlock `wfo:"group"`
}

func TestRegistryIntrospection(t *testing.T) {
	t.Parallel()
	reg, err := domain.NewRegistry(
		domain.Product[User]("User internal", "User external"),
		domain.Product[UserGroup]("User group"),
	)
	require.NoError(t, err)

	require.Equal(t, []string{"User external", "User group", "User internal"}, reg.ProductNames())
	internal, ok := reg.Product("User internal")
	require.True(t, ok)
	external, _ := reg.Product("User external")
	require.Same(t, internal, external, "two names share one product type")
	require.Equal(t, "User", internal.Name)
	require.Equal(t, reflect.TypeFor[User](), internal.GoType)
	require.Equal(t, []string{"User external", "User internal"}, internal.ProductNames)
	group, _ := reg.Product("User group")
	require.Equal(t, "user_group", group.Name, "the tag on domain.Subscription names the product type")

	var fixed []string
	for _, f := range internal.FixedInputs() {
		fixed = append(fixed, f.Name)
	}
	require.Equal(t, []string{"affiliation", "settings"}, fixed)
	require.Equal(t, []string{"internal", "external"}, internal.Field("affiliation").Value.Enum)
	require.True(t, internal.Field("settings").Optional)
	require.Equal(t, []string{"UserBlock"}, internal.RootBlocks())
	require.Equal(t, "user", internal.BlockFields()[0].Name)

	var blocks []string
	for _, b := range reg.Blocks() {
		blocks = append(blocks, b.Name)
	}
	require.Equal(t, []string{"UserBlock", "UserGroupBlock"}, blocks, "every block reachable, transitively")

	user, ok := reg.Block("UserBlock")
	require.True(t, ok)
	type fieldInfo struct {
		Name     string
		Kind     domain.FieldKind
		Optional bool
		Required domain.Lifecycle
		Min, Max int
	}
	var got []fieldInfo
	for _, f := range user.Fields {
		got = append(got, fieldInfo{f.Name, f.Kind, f.Optional, f.RequiredFrom, f.Min, f.Max})
	}
	require.Equal(t, []fieldInfo{
		{"group_member", domain.BlockListField, false, domain.Initial, 0, 4},
		{"main_group", domain.BlockField, true, domain.Provisioning, 0, 0},
		{"username", domain.ResourceField, true, domain.Provisioning, 0, 0},
		{"age", domain.ResourceField, true, "", 0, 0},
		{"user_id", domain.ResourceField, true, domain.Active, 0, 0},
		{"enabled", domain.ResourceField, false, domain.Initial, 0, 0},
		{"aliases", domain.ResourceListField, false, domain.Initial, 0, 0},
		{"address", domain.ResourceField, true, "", 0, 0},
		{"since", domain.ResourceField, true, "", 0, 0},
	}, got)
	require.Equal(t, []string{"UserGroupBlock"}, user.DependsOn())
	require.Equal(t, "group_member", user.BlockFields()[0].Name)
	require.Len(t, user.ResourceTypes(), 7)
	require.Equal(t, "True", user.Field("enabled").Default)
	age := user.Field("age").Value
	require.Equal(t, domain.Int, age.Kind)
	require.True(t, age.Bounded)
	require.Equal(t, [2]int64{0, 150}, [2]int64{age.Min, age.Max})
	require.Equal(t, 4, user.Field("address").Value.IPVersion)

	m := &User{}
	p, ok := reg.ProductTypeOf(m)
	require.True(t, ok)
	require.Same(t, internal, p)
	_, ok = reg.ProductTypeOf(&productOf[noTagOK]{})
	require.False(t, ok, "not registered")
}

// Models that cannot be stored, each refused with an error naming the type and field.
type (
	noTag struct {
		domain.Block `wfo:"NoTag"`
		NodeID       *int
	}
	floatField struct {
		domain.Block `wfo:"Float"`
		Speed        *float64 `wfo:"speed"`
	}
	notABlock struct {
		domain.Block `wfo:"NotABlock"`
		Child        *struct{ X int } `wfo:"child"`
	}
	noBlockName struct {
		domain.Block
		X *int `wfo:"x"`
	}
	dupAttr struct {
		domain.Block `wfo:"DupAttr"`
		A            *int    `wfo:"a"`
		B            *string `wfo:"a"`
	}
	valueRequiredLater struct {
		domain.Block `wfo:"ValueLater"`
		A            int `wfo:"a,required=active"`
	}
	listRequired struct {
		domain.Block `wfo:"ListRequired"`
		A            []int `wfo:"a,min=1,required=never"`
	}
	minOnScalar struct {
		domain.Block `wfo:"MinScalar"`
		A            *int `wfo:"a,min=1"`
	}
	maxBelowMin struct {
		domain.Block `wfo:"MaxBelowMin"`
		A            []noTagOK `wfo:"a,min=3,max=2"`
	}
	noTagOK struct {
		domain.Block `wfo:"Leaf"`
	}
	otherLeaf struct {
		domain.Block `wfo:"Leaf"`
	}
	twoLeaves struct {
		domain.Block `wfo:"TwoLeaves"`
		A            *noTagOK   `wfo:"a"`
		B            *otherLeaf `wfo:"b"`
	}
	badDefault struct {
		domain.Block `wfo:"BadDefault"`
		A            Affiliation `wfo:"a,default=neither"`
	}
	reserved struct {
		domain.Block `wfo:"Reserved"`
		Label        *string `wfo:"label"`
	}
	ipOnInt struct {
		domain.Block `wfo:"IPOnInt"`
		A            *int `wfo:"a,ip=4"`
	}
	unknownOption struct {
		domain.Block `wfo:"UnknownOption"`
		A            *int `wfo:"a,requird=active"`
	}
	selfForever struct {
		domain.Block `wfo:"SelfForever"`
		Next         []selfForever `wfo:"next,min=1"`
	}
	badEnum   string
	enumBlock struct {
		domain.Block `wfo:"EnumBlock"`
		A            *badEnum `wfo:"a"`
	}
)

func (badEnum) Values() []string { return nil }

type productOf[B any] struct {
	domain.Subscription
	Root B `wfo:"root"`
}

type twoRoots struct {
	domain.Subscription
	A noTagOK  `wfo:"a"`
	B *noTagOK `wfo:"b"`
}

type listFixed struct {
	domain.Subscription
	Speeds []int `wfo:"speeds"`
}

func TestRegisterRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		reg  domain.Registration
		err  string
	}{
		{"no tag", domain.Product[productOf[noTag]]("P"), "domain: block type domain_test.noTag field NodeID: no wfo tag (give the attribute name, e.g. `wfo:\"node_id\"`, or `wfo:\"-\"` to leave the field out)"},
		{"unsupported type", domain.Product[productOf[floatField]]("P"), "domain: block type domain_test.floatField field Speed: unsupported type float64 (resource types and fixed inputs are string, bool, integer and named types of those, uuid.UUID, netip.Addr, netip.Prefix or time.Time)"},
		{"unknown block", domain.Product[productOf[notABlock]]("P"), "domain: block type domain_test.notABlock field Child: type struct { X int } is not a product block (embed domain.Block) nor a supported value type"},
		{"no block name", domain.Product[productOf[noBlockName]]("P"), "domain: block type domain_test.noBlockName embeds domain.Block without a block name (write domain.Block `wfo:\"Name\"`)"},
		{"duplicate attribute", domain.Product[productOf[dupAttr]]("P"), `domain: block type domain_test.dupAttr field B: attribute name "a" is also used by field A`},
		{"value field required later", domain.Product[productOf[valueRequiredLater]]("P"), "domain: block type domain_test.valueRequiredLater field A: required=active on a value field, which is always present: make it a pointer to leave it unset before active"},
		{"required list", domain.Product[productOf[listRequired]]("P"), "domain: block type domain_test.listRequired field A: required=never on a list would never check min= and max= (leave them out instead)"},
		{"min on a scalar", domain.Product[productOf[minOnScalar]]("P"), "domain: block type domain_test.minOnScalar field A: min= applies to lists only"},
		{"max below min", domain.Product[productOf[maxBelowMin]]("P"), "domain: block type domain_test.maxBelowMin field A: max=2 is less than min=3"},
		{"two blocks with one name", domain.Product[productOf[twoLeaves]]("P"), `domain: block name "Leaf" is declared by both domain_test.noTagOK and domain_test.otherLeaf`},
		{"bad default", domain.Product[productOf[badDefault]]("P"), `domain: block type domain_test.badDefault field A: default=neither: "neither" is not one of internal, external`},
		{"reserved name", domain.Product[productOf[reserved]]("P"), `domain: block type domain_test.reserved field Label: attribute name "label" is reserved for the block's own fields`},
		{"ip on an int", domain.Product[productOf[ipOnInt]]("P"), "domain: block type domain_test.ipOnInt field A: ip= applies to netip.Addr and netip.Prefix fields only"},
		{"unknown option", domain.Product[productOf[unknownOption]]("P"), `domain: block type domain_test.unknownOption field A: unknown tag option "requird" (valid: required, min, max, ip, default)`},
		{"infinite tree", domain.Product[productOf[selfForever]]("P"), "domain: block type domain_test.selfForever: every SelfForever would contain another SelfForever (make a field on the way optional or its list min=0)"},
		{"bad enum", domain.Product[productOf[enumBlock]]("P"), "domain: block type domain_test.enumBlock field A: type domain_test.badEnum: an enum's Values method must be func() []badEnum"},
		{"two roots of one block", domain.Product[twoRoots]("P"), "domain: product type domain_test.twoRoots fields A and B: two root fields of block Leaf cannot be told apart when loading (nest them in one root block)"},
		{"list fixed input", domain.Product[listFixed]("P"), "domain: product type domain_test.listFixed field Speeds: a list of values cannot be a fixed input"},
		{"no product name", domain.Product[User](), "domain: product type domain_test.User is registered without a product name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.NewRegistry(tt.reg)
			require.EqualError(t, err, tt.err)
		})
	}
}

func TestRegisterTwice(t *testing.T) {
	t.Parallel()
	reg, err := domain.NewRegistry(domain.Product[User]("User internal"))
	require.NoError(t, err)
	err = reg.Register(domain.Product[UserGroup]("User group"), domain.Product[User]("User internal"))
	require.EqualError(t, err, `domain: product name "User internal" is registered twice (for domain_test.User and domain_test.User)`)
	require.Equal(t, []string{"User internal"}, reg.ProductNames(), "a failed Register leaves the registry as it was")
	_, ok := reg.Block("UserGroupBlock")
	require.True(t, ok, "blocks of the registered User are there")
	_, ok = reg.Product("User group")
	require.False(t, ok)

	type userAgain struct {
		domain.Subscription `wfo:"User"`
		User                UserBlock `wfo:"user"`
	}
	err = reg.Register(domain.Product[userAgain]("User 2"))
	require.EqualError(t, err, `domain: product type name "User" is declared by both domain_test.User and domain_test.userAgain`)
	require.Panics(t, func() { domain.MustNewRegistry(domain.Product[listFixed]("P")) })
}
