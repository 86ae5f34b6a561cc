package domain_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

type MemberBlock struct {
	domain.Block `wfo:"Member"`
	Name         *string    `wfo:"name_of_member,required=provisioning"`
	Peer         *PeerBlock `wfo:"peer"`
	Backup       *PeerBlock `wfo:"backup"`
}

type PeerBlock struct {
	domain.Block `wfo:"Peer"`
	Speed        Speed `wfo:"speed,default=1000"`
}

type GroupBlock struct {
	domain.Block `wfo:"Group"`
	Members      []MemberBlock `wfo:"members,min=2,max=3"`
	Tags         []string      `wfo:"tags,max=2"`
	Primary      *PeerBlock    `wfo:"primary,required=initial"`
}

type Group struct {
	domain.Subscription
	Affiliation Affiliation `wfo:"affiliation"`
	Group       GroupBlock  `wfo:"group"`
}

func groupType(t *testing.T) *domain.ProductType {
	t.Helper()
	reg, err := domain.NewRegistry(domain.Product[Group]("Group"))
	require.NoError(t, err)
	p, _ := reg.Product("Group")
	return p
}

func TestNewModel(t *testing.T) {
	t.Parallel()
	p := groupType(t)
	sub := uuid.New()
	m, err := p.NewModel(domain.Subscription{SubscriptionID: sub, Status: domain.Initial}, map[string]string{"affiliation": "external"})
	require.NoError(t, err)
	g := m.(*Group)
	require.Equal(t, sub, g.SubscriptionID)
	require.Equal(t, External, g.Affiliation, "fixed inputs come from the product")
	require.Len(t, g.Group.Members, 2, "lists start with their minimum length")
	require.NotNil(t, g.Group.Primary, "a pointer required from initial gets an instance")
	require.Equal(t, Speed(1000), g.Group.Primary.Speed, "defaults are set")
	require.Nil(t, g.Group.Members[0].Peer, "optional blocks stay nil")
	require.Nil(t, g.Group.Tags)
	ids := map[uuid.UUID]bool{}
	for _, b := range []domain.Block{g.Group.Block, g.Group.Primary.Block, g.Group.Members[0].Block, g.Group.Members[1].Block} {
		require.Equal(t, sub, b.OwnerSubscriptionID)
		require.NotEqual(t, uuid.Nil, b.SubscriptionInstanceID)
		ids[b.SubscriptionInstanceID] = true
	}
	require.Len(t, ids, 4)
	require.NoError(t, p.Validate(m, domain.Initial))

	_, err = p.NewModel(domain.Subscription{Product: domain.ProductInfo{Name: "Group"}}, nil)
	require.EqualError(t, err, `domain: product "Group" has no fixed input affiliation (product type Group)`)
	_, err = p.NewModel(domain.Subscription{Product: domain.ProductInfo{Name: "Group"}}, map[string]string{"affiliation": "both"})
	require.EqualError(t, err, `domain: product "Group" fixed input affiliation: "both" is not one of internal, external`)
}

func TestValidate(t *testing.T) {
	t.Parallel()
	p := groupType(t)
	m, err := p.NewModel(domain.Subscription{SubscriptionID: uuid.New()}, map[string]string{"affiliation": "internal"})
	require.NoError(t, err)
	g := m.(*Group)
	require.NoError(t, p.Validate(m, domain.Initial))
	require.NoError(t, p.Validate(m, domain.Terminated), "terminated requires what initial requires")

	err = p.Validate(m, domain.Active)
	require.EqualError(t, err, "domain: not valid for active: group.members[0].name_of_member is required from provisioning; group.members[1].name_of_member is required from provisioning")
	var ve *domain.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, domain.Active, ve.Lifecycle)
	require.Len(t, ve.Problems, 2)

	name := "m"
	g.Group.Members = append(g.Group.Members, g.Group.Members[0], g.Group.Members[0])
	for i := range g.Group.Members {
		g.Group.Members[i].Name = &name
	}
	g.Group.Tags = []string{"a", "b", "c"}
	g.Group.Primary.Speed = 5
	g.Group.Members[1].Peer = &PeerBlock{Speed: 7}
	g.Affiliation = "nobody"
	require.EqualError(t, p.Validate(m, domain.Provisioning), `domain: not valid for provisioning: affiliation: "nobody" is not one of internal, external; `+
		`group.members has 4 items, at most 3 are allowed; group.members[1].peer.speed: "7" is not one of 1000, 10000; `+
		`group.tags has 3 items, at most 2 are allowed; group.primary.speed: "5" is not one of 1000, 10000`)
	g.Group.Members = nil
	g.Group.Primary = nil
	require.EqualError(t, p.Validate(m, domain.Initial), `domain: not valid for initial: affiliation: "nobody" is not one of internal, external; `+
		`group.members has 0 items, at least 2 are required; group.tags has 3 items, at most 2 are allowed; group.primary is required from initial`)
}

func TestFlattenAndAssemble(t *testing.T) {
	t.Parallel()
	p := groupType(t)
	sub, other := uuid.New(), uuid.New()
	m, err := p.NewModel(domain.Subscription{SubscriptionID: sub}, map[string]string{"affiliation": "internal"})
	require.NoError(t, err)
	g := m.(*Group)
	foreign := PeerBlock{Block: domain.Block{SubscriptionInstanceID: uuid.New(), OwnerSubscriptionID: other}, Speed: 10000}
	g.Group.Members[0].Peer = &foreign
	g.Group.Members[1].Peer = &PeerBlock{Speed: 1000} // new: gets an id
	g.Group.Tags = []string{"b", "a"}
	g.Group.Label = "main"

	tree, err := p.Flatten(m)
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, g.Group.Members[1].Peer.SubscriptionInstanceID, "Flatten gives new instances an id")
	require.Len(t, tree.Instances, 6, "group, 2 members, primary, new peer; then the foreign peer")
	last := tree.Instances[5]
	require.Equal(t, &domain.Instance{ID: foreign.SubscriptionInstanceID, Owner: other, Block: "Peer"}, last, "foreign instances carry no values")
	root := tree.Instances[0]
	require.Equal(t, "main", root.Label)
	require.Equal(t, map[string][]string{"tags": {"b", "a"}}, root.Values)
	require.Contains(t, tree.Relations, domain.Relation{InUseBy: g.Group.SubscriptionInstanceID, DependsOn: g.Group.Members[1].SubscriptionInstanceID, OrderID: 1, Attr: "members"})
	require.Contains(t, tree.Relations, domain.Relation{InUseBy: g.Group.Members[0].SubscriptionInstanceID, DependsOn: foreign.SubscriptionInstanceID, OrderID: 0, Attr: "peer"})
	require.Len(t, tree.Relations, 5)

	// Assemble from the rows, with the foreign instance's values as its owner stored them.
	last.Values = map[string][]string{"speed": {"10000"}}
	back, err := p.Assemble(g.Subscription, map[string]string{"affiliation": "internal"}, tree)
	require.NoError(t, err)
	g.Group.Tags = []string{"a", "b"} // list values come back sorted as strings
	require.Equal(t, g, back)
}

func TestFlattenRefuses(t *testing.T) {
	t.Parallel()
	p := groupType(t)
	sub, other := uuid.New(), uuid.New()
	fresh := func() *Group {
		m, err := p.NewModel(domain.Subscription{SubscriptionID: sub}, map[string]string{"affiliation": "internal"})
		require.NoError(t, err)
		return m.(*Group)
	}
	g := fresh()
	g.Group.OwnerSubscriptionID = other
	_, err := p.Flatten(g)
	require.EqualError(t, err, "domain: group: a root block must be owned by the subscription, Group instance "+g.Group.SubscriptionInstanceID.String()+" is owned by "+other.String())

	g = fresh()
	peer := PeerBlock{Speed: 1000, Block: domain.Block{SubscriptionInstanceID: uuid.New()}}
	g.Group.Members[0].Peer, g.Group.Members[0].Backup = &peer, &peer
	_, err = p.Flatten(g)
	require.EqualError(t, err, "domain: group.members[0].backup: instance "+peer.SubscriptionInstanceID.String()+" is also held by field peer of the same block")

	g = fresh()
	changed := peer
	changed.Speed = 10000
	g.Group.Members[0].Peer, g.Group.Members[1].Peer = &peer, &changed
	_, err = p.Flatten(g)
	require.EqualError(t, err, "domain: group.members[1].peer: Peer instance "+peer.SubscriptionInstanceID.String()+" is held twice with different contents")

	g = fresh()
	g.Group.Members[0].Peer = &PeerBlock{Speed: 1000, Block: domain.Block{OwnerSubscriptionID: other}}
	_, err = p.Flatten(g)
	require.EqualError(t, err, "domain: group.members[0].peer: new Peer instance is owned by another subscription ("+other.String()+"); an instance of another subscription must be loaded from it")

	g = fresh()
	g.SubscriptionID = uuid.Nil
	_, err = p.Flatten(g)
	require.EqualError(t, err, "domain: subscription has no id")
}

func TestAssembleRefuses(t *testing.T) {
	t.Parallel()
	p := groupType(t)
	sub := uuid.New()
	base := domain.Subscription{SubscriptionID: sub}
	fixed := map[string]string{"affiliation": "internal"}
	group, member, peer := uuid.New(), uuid.New(), uuid.New()
	tree := func(peerValues map[string][]string, rels ...domain.Relation) *domain.Tree {
		return &domain.Tree{
			Instances: []*domain.Instance{
				{ID: group, Owner: sub, Block: "Group", Values: map[string][]string{}},
				{ID: member, Owner: sub, Block: "Member", Values: map[string][]string{}},
				{ID: peer, Owner: sub, Block: "Peer", Values: peerValues},
			},
			Relations: append([]domain.Relation{{InUseBy: group, DependsOn: member, Attr: "members"}}, rels...),
		}
	}
	primary := domain.Relation{InUseBy: group, DependsOn: peer, Attr: "primary"}
	m, err := p.Assemble(base, fixed, tree(map[string][]string{"speed": {"1000"}}, primary,
		domain.Relation{InUseBy: group, DependsOn: peer, OrderID: 5}, // no domain_model_attr: ignored
		domain.Relation{InUseBy: group, DependsOn: peer, OrderID: 6, Attr: "legacy"}))
	require.NoError(t, err)
	require.Len(t, m.(*Group).Group.Members, 1)

	tests := []struct {
		name string
		tree *domain.Tree
		err  string
	}{
		{"two values", tree(map[string][]string{"speed": {"1000", "10000"}}, primary), "group: Group instance %G: primary: Peer instance %P: speed has 2 values, want one"},
		{"no value", tree(map[string][]string{}, primary), "group: Group instance %G: primary: Peer instance %P: speed has no value"},
		{"bad value", tree(map[string][]string{"speed": {"fast"}}, primary), `group: Group instance %G: primary: Peer instance %P: speed: "fast" is not an integer of 64 bits`},
		{"wrong block", tree(nil, primary, domain.Relation{InUseBy: member, DependsOn: member, Attr: "peer"}), "group: Group instance %G: members[0]: Member instance %M: peer: instance %M is a Member block, want Peer"},
	}
	for _, tt := range tests {
		_, err := p.Assemble(base, fixed, tt.tree)
		want := strings.NewReplacer("%G", group.String(), "%M", member.String(), "%P", peer.String()).Replace(tt.err)
		require.EqualError(t, err, "domain: subscription "+sub.String()+": "+want, tt.name)
	}
}

type ChainBlock struct {
	domain.Block `wfo:"Chain"`
	Next         *ChainBlock `wfo:"next"`
}

type Chain struct {
	domain.Subscription
	Chain ChainBlock `wfo:"chain"`
}

// TestRecursiveBlock declares a block that may hold itself, and refuses stored rows that make a cycle.
func TestRecursiveBlock(t *testing.T) {
	t.Parallel()
	reg, err := domain.NewRegistry(domain.Product[Chain]("Chain"))
	require.NoError(t, err)
	p, _ := reg.Product("Chain")
	require.Equal(t, []string{"Chain"}, p.Field("chain").Block.DependsOn())
	sub, a, b := uuid.New(), uuid.New(), uuid.New()
	tree := &domain.Tree{
		Instances: []*domain.Instance{{ID: a, Owner: sub, Block: "Chain"}, {ID: b, Owner: uuid.New(), Block: "Chain"}},
		Relations: []domain.Relation{{InUseBy: a, DependsOn: b, Attr: "next"}, {InUseBy: b, DependsOn: a, Attr: "next"}},
	}
	_, err = p.Assemble(domain.Subscription{SubscriptionID: sub}, nil, tree)
	require.EqualError(t, err, "domain: subscription "+sub.String()+": chain: Chain instance "+a.String()+": next: Chain instance "+b.String()+": next: instance "+a.String()+" contains itself")
}

// A product config's "a list of at least two ports, required from provisioning": bounds that apply from a later
// lifecycle.
type trunkPort struct {
	domain.Block `wfo:"TrunkPort"`
	Name         *string `wfo:"trunk_port_name"`
}

type trunkBlock struct {
	domain.Block `wfo:"Trunk"`
	Ports        []trunkPort `wfo:"ports,min=2,max=3,required=provisioning"`
	VLANs        []int       `wfo:"trunk_vlans,min=1,required=active"`
	Spares       []trunkPort `wfo:"spares,min=1"`
}

type trunk struct {
	domain.Subscription
	Trunk trunkBlock `wfo:"trunk"`
}

func TestLifecycleAwareLists(t *testing.T) {
	t.Parallel()
	reg := domain.MustNewRegistry(domain.Product[trunk]("Trunk"))
	p, _ := reg.Product("Trunk")
	require.Equal(t, domain.Provisioning, p.Field("trunk").Block.Field("ports").RequiredFrom)
	require.Equal(t, domain.Initial, p.Field("trunk").Block.Field("spares").RequiredFrom)

	m, err := p.NewModel(domain.Subscription{Product: domain.ProductInfo{Name: "Trunk"}}, nil)
	require.NoError(t, err)
	tr := m.(*trunk)
	require.Empty(t, tr.Trunk.Ports, "a new subscription gets no instances of a list required later")
	require.Len(t, tr.Trunk.Spares, 1, "but min instances of a list required from initial")
	require.NoError(t, p.Validate(tr, domain.Initial), "before provisioning any length is accepted")

	tr.Trunk.Ports = make([]trunkPort, 5)
	require.NoError(t, p.Validate(tr, domain.Initial))
	require.EqualError(t, p.Validate(tr, domain.Provisioning), "domain: not valid for provisioning: trunk.ports has 5 items, at most 3 are allowed")
	tr.Trunk.Ports = tr.Trunk.Ports[:1]
	require.EqualError(t, p.Validate(tr, domain.Active),
		"domain: not valid for active: trunk.ports has 1 item, at least 2 are required; trunk.trunk_vlans has 0 items, at least 1 is required")
	tr.Trunk.Ports = make([]trunkPort, 2)
	require.NoError(t, p.Validate(tr, domain.Provisioning))
	tr.Trunk.Spares = nil
	require.EqualError(t, p.Validate(tr, domain.Initial), "domain: not valid for initial: trunk.spares has 0 items, at least 1 is required")
}
