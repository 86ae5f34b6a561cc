package domain_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

// The model of the worked example in the reference's process-state description: product "Example 10G" with a
// str-enum fixed input and a root block holding a value of each kind, an unset optional, a nested block and a
// list of blocks.

type ExampleSpeed string

func (ExampleSpeed) Values() []ExampleSpeed { return []ExampleSpeed{"1000", "10000"} }

type ExampleLeafBlock struct {
	domain.Block `wfo:"ExampleLeafBlock"`
	VLAN         int `wfo:"vlan"`
}

type ExampleNodeBlock struct {
	domain.Block `wfo:"ExampleNodeBlock"`
	NodeName     string `wfo:"node_name"`
}

type ExampleRootBlock struct {
	domain.Block `wfo:"ExampleRootBlock"`
	MTU          int                `wfo:"mtu"`
	Comment      *string            `wfo:"comment"`
	IPv4Address  netip.Addr         `wfo:"ipv4_address,ip=4"`
	Leaf         ExampleLeafBlock   `wfo:"leaf"`
	Nodes        []ExampleNodeBlock `wfo:"nodes"`
}

type Example struct {
	domain.Subscription
	Speed        ExampleSpeed     `wfo:"speed"`
	ExampleBlock ExampleRootBlock `wfo:"example_block"`
}

// workedExample is the reference's bytes: the spec lays them out for reading, the encoder writes no whitespace.
const workedExample = `{"product":{"product_id":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","name":"Example 10G","description":"Example product",` +
	`"product_type":"Example","tag":"EXAMPLE","status":"active","created_at":"2025-01-15T09:30:00+00:00","end_date":null},` +
	`"customer_id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","subscription_id":"5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10",` +
	`"description":"Example subscription","status":"active","insync":true,"start_date":"2025-02-01T10:00:05+00:00",` +
	`"end_date":null,"note":null,"version":3,"speed":"10000",` +
	`"example_block":{"name":"ExampleRootBlock","subscription_instance_id":"11111111-1111-4111-8111-111111111111",` +
	`"owner_subscription_id":"5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10","label":null,"mtu":9000,"comment":null,` +
	`"ipv4_address":"192.0.2.10",` +
	`"leaf":{"name":"ExampleLeafBlock","subscription_instance_id":"22222222-2222-4222-8222-222222222222","owner_subscription_id":"5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10","label":null,"vlan":100},` +
	`"nodes":[{"name":"ExampleNodeBlock","subscription_instance_id":"33333333-3333-4333-8333-333333333333","owner_subscription_id":"5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10","label":null,"node_name":"node-a"},` +
	`{"name":"ExampleNodeBlock","subscription_instance_id":"44444444-4444-4444-8444-444444444444","owner_subscription_id":"5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10","label":null,"node_name":"node-b"}]}}`

func workedExampleModel() *Example {
	sid := uuid.MustParse("5b4a4d0e-3f9c-4a53-9d2c-2d6a3c1f7a10")
	created := time.Date(2025, 1, 15, 9, 30, 0, 123456000, time.UTC)
	start := time.Date(2025, 2, 1, 10, 0, 5, 654321000, time.UTC)
	inst := func(id string) domain.Block {
		return domain.Block{SubscriptionInstanceID: uuid.MustParse(id), OwnerSubscriptionID: sid}
	}
	return &Example{
		Subscription: domain.Subscription{
			SubscriptionID: sid, CustomerID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", Description: "Example subscription",
			Status: domain.Active, Insync: true, StartDate: &start, Version: 3,
			Product: domain.ProductInfo{ProductID: uuid.MustParse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), Name: "Example 10G",
				Description: "Example product", ProductType: "Example", Tag: "EXAMPLE", Status: "active", CreatedAt: &created},
		},
		Speed: "10000",
		ExampleBlock: ExampleRootBlock{
			Block: inst("11111111-1111-4111-8111-111111111111"), MTU: 9000, IPv4Address: netip.MustParseAddr("192.0.2.10"),
			Leaf: ExampleLeafBlock{Block: inst("22222222-2222-4222-8222-222222222222"), VLAN: 100},
			Nodes: []ExampleNodeBlock{
				{Block: inst("33333333-3333-4333-8333-333333333333"), NodeName: "node-a"},
				{Block: inst("44444444-4444-4444-8444-444444444444"), NodeName: "node-b"},
			},
		},
	}
}

func TestMarshalModelWorkedExample(t *testing.T) {
	t.Parallel()
	reg := domain.MustNewRegistry(domain.Products[Example](domain.ProductSpec{Name: "Example 10G", FixedInputs: domain.FixedInputs{"speed": "10000"}}))
	m := workedExampleModel()
	got, err := reg.MarshalModel(m)
	require.NoError(t, err)
	require.Equal(t, workedExample, string(got))
	require.True(t, json.Valid(got))

	back, err := reg.UnmarshalModel(got)
	require.NoError(t, err)
	want := workedExampleModel()
	// JSON keeps datetimes to the second.
	want.StartDate = ptrTo(want.StartDate.Truncate(time.Second))
	want.Product.CreatedAt = ptrTo(want.Product.CreatedAt.Truncate(time.Second))
	require.Equal(t, want, back)
}

func TestMarshalModelValues(t *testing.T) {
	t.Parallel()
	reg := domain.MustNewRegistry(domain.Product[User]("User internal"))
	since := time.Date(2025, 2, 1, 12, 0, 5, 999, time.FixedZone("x", 2*3600))
	m := &User{
		Subscription: domain.Subscription{Note: "line\n\"quoted\" <b>&amp;</b> \u00e9\u2028\x01", Product: domain.ProductInfo{Name: "User internal"}},
		Affiliation:  Internal,
		User: UserBlock{
			Block:       domain.Block{Label: "lbl"},
			GroupMember: []UserGroupBlock{{GroupID: ptrTo(7)}},
			Age:         ptrTo(Age(42)),
			Enabled:     true,
			Since:       &since,
			Address:     ptrTo(netip.MustParseAddr("192.0.2.1")),
		},
	}
	got, err := reg.MarshalModel(m)
	require.NoError(t, err)
	for _, want := range []string{
		`"note":"line\n\"quoted\" <b>&amp;</b> é` + "\u2028" + `\u0001"`,
		`"affiliation":"internal","settings":null,"user":{"name":"UserBlock"`,
		`"label":"lbl","group_member":[{"name":"UserGroupBlock"`,
		`"group_name":null,"group_id":7}]`,
		`"main_group":null,"username":null,"age":42,"user_id":null,"enabled":true,"aliases":[],"address":"192.0.2.1","since":"2025-02-01T12:00:05+02:00"}`,
		`"start_date":null`,
	} {
		require.Contains(t, string(got), want)
	}
	var anyJSON map[string]any
	require.NoError(t, json.Unmarshal(got, &anyJSON))

	back, err := reg.UnmarshalModel(got)
	require.NoError(t, err)
	again, err := reg.MarshalModel(back)
	require.NoError(t, err)
	require.Equal(t, string(got), string(again), "a round trip gives the same bytes")

	_, err = reg.UnmarshalModel(bytes.Replace(got, []byte(`"age":42`), []byte(`"age":200`), 1))
	require.EqualError(t, err, "domain: unmarshal User: user: UserBlock.age: 200 is out of range [0, 150]")
	_, err = reg.UnmarshalModel([]byte(`{"product":{"name":"Nope"}}`))
	require.EqualError(t, err, `domain: unmarshal: product "Nope" is not registered (registered: User internal)`)
}

func ptrTo[T any](v T) *T { return &v }
