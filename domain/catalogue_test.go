package domain_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

// A small shop declared fully: a circuit product type with two products differing in speed, its blocks with
// descriptions, tags and status, and resource types with descriptions.

type Bandwidth int

func (Bandwidth) Values() []Bandwidth { return []Bandwidth{1000, 10000} }

type EndpointBlock struct {
	domain.Block `wfo:"Endpoint,tag=EP" description:"One end of a circuit"`
	PortName     *string `wfo:"port_name,required=active" description:"Port the circuit ends on"`
	VLAN         *int    `wfo:"vlan"`
}

type CircuitBlock struct {
	domain.Block `wfo:"Circuit,tag=CIRCUIT,status=pre production" description:"A point-to-point circuit"`
	Name         *string         `wfo:"circuit_name" description:"Name of the circuit"`
	Endpoints    []EndpointBlock `wfo:"endpoints,max=2"`
	VLAN         *int            `wfo:"vlan" description:"VLAN on both ends"`
}

type Circuit struct {
	domain.Subscription
	Speed   Bandwidth    `wfo:"speed"`
	Shared  *bool        `wfo:"shared"`
	Circuit CircuitBlock `wfo:"circuit"`
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	reg, err := domain.NewRegistry(
		domain.Products[Circuit](
			domain.ProductSpec{Name: "Circuit 10G", Description: "Ten gigabit circuit", Tag: "CIRC", Status: domain.ProductPhaseOut,
				FixedInputs: domain.FixedInputs{"speed": Bandwidth(10000), "shared": true}},
			domain.ProductSpec{Name: "Circuit 1G", Description: "One gigabit circuit", Tag: "CIRC",
				FixedInputs: domain.FixedInputs{"speed": "1000"}},
		),
		domain.Product[UserGroup]("User group"),
	)
	require.NoError(t, err)

	want := domain.Catalogue{
		Products: []domain.ProductEntry{
			{Name: "Circuit 10G", Description: "Ten gigabit circuit", ProductType: "Circuit", Tag: "CIRC", Status: domain.ProductPhaseOut,
				FixedInputs: []domain.FixedInputEntry{{Name: "shared", Value: "True"}, {Name: "speed", Value: "10000"}},
				RootBlocks:  []string{"Circuit"}},
			{Name: "Circuit 1G", Description: "One gigabit circuit", ProductType: "Circuit", Tag: "CIRC", Status: domain.ProductActive,
				FixedInputs: []domain.FixedInputEntry{{Name: "speed", Value: "1000"}},
				RootBlocks:  []string{"Circuit"}, Missing: []string{"fixed_input:shared", "status"}},
			{Name: "User group", Description: "User group", ProductType: "user_group", Tag: "USER_GROUP", Status: domain.ProductActive,
				RootBlocks: []string{"UserGroupBlock"}, Missing: []string{"description", "status", "tag"}},
		},
		ProductBlocks: []domain.BlockEntry{
			{Name: "Circuit", Description: "A point-to-point circuit", Tag: "CIRCUIT", Status: domain.ProductPreProduction,
				ResourceTypes: []string{"circuit_name", "vlan"}, DependsOn: []string{"Endpoint"}},
			{Name: "Endpoint", Description: "One end of a circuit", Tag: "EP", Status: domain.ProductActive,
				ResourceTypes: []string{"port_name", "vlan"}, Missing: []string{"status"}},
			{Name: "UserGroupBlock", Description: "UserGroupBlock", Tag: "USERGROUPBLOCK", Status: domain.ProductActive,
				ResourceTypes: []string{"group_id", "group_name"}, Missing: []string{"description", "status", "tag"}},
		},
		ResourceTypes: []domain.ResourceTypeEntry{
			{Name: "circuit_name", Description: "Name of the circuit"},
			{Name: "group_id", Description: "group_id", Missing: []string{"description"}},
			{Name: "group_name", Description: "group_name", Missing: []string{"description"}},
			{Name: "port_name", Description: "Port the circuit ends on"},
			{Name: "vlan", Description: "VLAN on both ends", Missing: nil},
		},
	}
	require.Equal(t, want, reg.Catalogue())
	require.Equal(t, reg.Catalogue(), reg.Catalogue(), "deterministic")
	require.Equal(t, map[string]string{"speed": "1000"}, reg.FixedInputValues("Circuit 1G"))
	require.Nil(t, reg.FixedInputValues("User group"))
}

func TestCatalogueRefuses(t *testing.T) {
	t.Parallel()
	type badBlockTag struct {
		domain.Block `wfo:"BadTag,tag=ABCDEFGHIJKLMNOPQRSTUVWXYZ"`
	}
	type badBlockStatus struct {
		domain.Block `wfo:"BadStatus,status=retired"`
	}
	type badBlockOption struct {
		domain.Block `wfo:"BadOption,colour=red"`
	}
	type describedBlockField struct {
		domain.Block `wfo:"DescribedBlockField"`
		Child        *EndpointBlock `wfo:"child" description:"a child"`
	}
	type otherVLAN struct {
		domain.Block `wfo:"OtherVLAN"`
		VLAN         *int `wfo:"vlan" description:"Customer VLAN"`
	}
	type twoVLANs struct {
		domain.Block `wfo:"TwoVLANs"`
		A            *CircuitBlock `wfo:"a"`
		B            *otherVLAN    `wfo:"b"`
	}
	spec := func(fixed domain.FixedInputs) domain.Registration {
		return domain.Products[Circuit](domain.ProductSpec{Name: "C", FixedInputs: fixed})
	}
	tests := []struct {
		name string
		reg  domain.Registration
		err  string
	}{
		{"block tag too long", domain.Product[productOf[badBlockTag]]("P"), "domain: block type domain_test.badBlockTag: tag=ABCDEFGHIJKLMNOPQRSTUVWXYZ is longer than 20 characters"},
		{"block status", domain.Product[productOf[badBlockStatus]]("P"), `domain: block type domain_test.badBlockStatus: unknown product status "retired" (valid: active, pre production, phase out, end of life)`},
		{"block option", domain.Product[productOf[badBlockOption]]("P"), `domain: block type domain_test.badBlockOption: unknown block tag option "colour" (valid: tag, status)`},
		{"description on a block field", domain.Product[productOf[describedBlockField]]("P"), "domain: block type domain_test.describedBlockField field Child: description applies to resource types only (a block's description goes on its domain.Block field)"},
		{"two descriptions", domain.Product[productOf[twoVLANs]]("P"), `domain: resource type vlan has two descriptions: "VLAN on both ends" (domain_test.CircuitBlock.VLAN) and "Customer VLAN" (domain_test.otherVLAN.VLAN); a resource type has one`},
		{"missing fixed input", spec(nil), `domain: product "C" (product type domain_test.Circuit): no value for fixed input speed (add FixedInputs: domain.FixedInputs{"speed": ...})`},
		{"unknown fixed input", spec(domain.FixedInputs{"speed": 1000, "colour": "red"}), `domain: product "C" (product type domain_test.Circuit): fixed input "colour" is not declared by the product type (its fixed inputs: speed, shared)`},
		{"fixed input not a member", spec(domain.FixedInputs{"speed": 40000}), `domain: product "C" (product type domain_test.Circuit): fixed input speed: "40000" is not one of 1000, 10000`},
		{"fixed input wrong type", spec(domain.FixedInputs{"speed": true}), `domain: product "C" (product type domain_test.Circuit): fixed input speed: value true is a bool, want a domain_test.Bandwidth or its stored string`},
		{"fixed input bad string", spec(domain.FixedInputs{"speed": "fast"}), `domain: product "C" (product type domain_test.Circuit): fixed input speed: "fast" is not an integer of 64 bits`},
		{"product tag", domain.Products[Circuit](domain.ProductSpec{Name: "C", Tag: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", FixedInputs: domain.FixedInputs{"speed": 1000}}), `domain: product "C" (product type domain_test.Circuit): tag "ABCDEFGHIJKLMNOPQRSTUVWXYZ" is longer than 20 characters`},
		{"product description", domain.Products[Circuit](domain.ProductSpec{Name: "C", Description: strings.Repeat("d", domain.MaxDescription+1), FixedInputs: domain.FixedInputs{"speed": 1000}}), `domain: product "C" (product type domain_test.Circuit): the description has 2001 characters; products.description holds at most 2000`},
		{"product status", domain.Products[Circuit](domain.ProductSpec{Name: "C", Status: "retired", FixedInputs: domain.FixedInputs{"speed": 1000}}), `domain: product "C" (product type domain_test.Circuit): unknown product status "retired" (valid: active, pre production, phase out, end of life)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.NewRegistry(tt.reg)
			require.EqualError(t, err, tt.err)
		})
	}
}
