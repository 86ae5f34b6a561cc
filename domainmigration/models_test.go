package domainmigration_test

import "github.com/wfo-go/wfo/domain"

// The reference's test products (spec §7): REG-ONE and its variants, one Go type per changed shape.

type Enum string

func (Enum) Values() []Enum { return []Enum{"foo", "bar"} }

type SubOne struct {
	domain.Block `wfo:"SubBlockOneForTest"`
	IntField     int    `wfo:"int_field"`
	StrField     string `wfo:"str_field"`
}

type PBOne struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne   `wfo:"sub_block"`
	SubBlock2    SubOne   `wfo:"sub_block_2"`
	SubBlockList []SubOne `wfo:"sub_block_list"`
	IntField     int      `wfo:"int_field"`
	StrField     string   `wfo:"str_field"`
	ListField    []int    `wfo:"list_field"`
	EnumField    Enum     `wfo:"enum_field"`
}

type One struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool  `wfo:"test_fixed_input"`
	Block               PBOne `wfo:"block"`
}

// 3: a new fixed input.
type One3 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool   `wfo:"test_fixed_input"`
	NewFixedInput       string `wfo:"new_fixed_input"`
	Block               PBOne  `wfo:"block"`
}

// 4, 5: a renamed fixed input.
type One4 struct {
	domain.Subscription `wfo:"Test"`
	ChangedFixedInput   bool  `wfo:"changed_fixed_input"`
	Block               PBOne `wfo:"block"`
}

type TestBlock struct {
	domain.Block `wfo:"test block"`
	StrField     string `wfo:"str_field"`
}

// 6: a new block on the product.
type One6 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool      `wfo:"test_fixed_input"`
	Block               PBOne     `wfo:"block"`
	NewBlock            TestBlock `wfo:"new_block"`
}

// 7: a new block on a block.
type PB7 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne    `wfo:"sub_block"`
	SubBlock2    SubOne    `wfo:"sub_block_2"`
	SubBlockList []SubOne  `wfo:"sub_block_list"`
	IntField     int       `wfo:"int_field"`
	StrField     string    `wfo:"str_field"`
	ListField    []int     `wfo:"list_field"`
	EnumField    Enum      `wfo:"enum_field"`
	NewBlock     TestBlock `wfo:"new_block"`
}

type One7 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB7  `wfo:"block"`
}

// 8: a new resource type.
type PB8 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne   `wfo:"sub_block"`
	SubBlock2    SubOne   `wfo:"sub_block_2"`
	SubBlockList []SubOne `wfo:"sub_block_list"`
	IntField     int      `wfo:"int_field"`
	StrField     string   `wfo:"str_field"`
	ListField    []int    `wfo:"list_field"`
	EnumField    Enum     `wfo:"enum_field"`
	NewIntField  int      `wfo:"new_int_field"`
}

type One8 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB8  `wfo:"block"`
}

// 9: a new block with two resource types.
type TestBlock9 struct {
	domain.Block `wfo:"test block"`
	StrField     string `wfo:"str_field"`
	NewStrField  string `wfo:"new_str_field"`
}

type One9 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool       `wfo:"test_fixed_input"`
	Block               PBOne      `wfo:"block"`
	NewBlock            TestBlock9 `wfo:"new_block"`
}

// 10: list_field renamed to new_list_field.
type PB10 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne   `wfo:"sub_block"`
	SubBlock2    SubOne   `wfo:"sub_block_2"`
	SubBlockList []SubOne `wfo:"sub_block_list"`
	IntField     int      `wfo:"int_field"`
	StrField     string   `wfo:"str_field"`
	NewListField []int    `wfo:"new_list_field"`
	EnumField    Enum     `wfo:"enum_field"`
}

type One10 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB10 `wfo:"block"`
}

// 11: as 10, and the sub block gains new_list_field.
type Sub11 struct {
	domain.Block `wfo:"SubBlockOneForTest"`
	IntField     int    `wfo:"int_field"`
	StrField     string `wfo:"str_field"`
	NewListField []int  `wfo:"new_list_field"`
}

type PB11 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     Sub11   `wfo:"sub_block"`
	SubBlock2    Sub11   `wfo:"sub_block_2"`
	SubBlockList []Sub11 `wfo:"sub_block_list"`
	IntField     int     `wfo:"int_field"`
	StrField     string  `wfo:"str_field"`
	NewListField []int   `wfo:"new_list_field"`
	EnumField    Enum    `wfo:"enum_field"`
}

type One11 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB11 `wfo:"block"`
}

// 14: int_field becomes new_int_field in the product block only.
type PB14 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne   `wfo:"sub_block"`
	SubBlock2    SubOne   `wfo:"sub_block_2"`
	SubBlockList []SubOne `wfo:"sub_block_list"`
	NewIntField  int      `wfo:"new_int_field"`
	StrField     string   `wfo:"str_field"`
	ListField    []int    `wfo:"list_field"`
	EnumField    Enum     `wfo:"enum_field"`
}

type One14 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB14 `wfo:"block"`
}

// 15: str_field becomes update_str_field in the product block only.
type PB15 struct {
	domain.Block   `wfo:"ProductBlockOneForTest"`
	SubBlock       SubOne   `wfo:"sub_block"`
	SubBlock2      SubOne   `wfo:"sub_block_2"`
	SubBlockList   []SubOne `wfo:"sub_block_list"`
	IntField       int      `wfo:"int_field"`
	UpdateStrField string   `wfo:"update_str_field"`
	ListField      []int    `wfo:"list_field"`
	EnumField      Enum     `wfo:"enum_field"`
}

type One15 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB15 `wfo:"block"`
}

// 16: the sub block's str_field becomes other_str_field, the product block's update_str_field.
type Sub16 struct {
	domain.Block  `wfo:"SubBlockOneForTest"`
	IntField      int    `wfo:"int_field"`
	OtherStrField string `wfo:"other_str_field"`
}

type PB16 struct {
	domain.Block   `wfo:"ProductBlockOneForTest"`
	SubBlock       Sub16   `wfo:"sub_block"`
	SubBlock2      Sub16   `wfo:"sub_block_2"`
	SubBlockList   []Sub16 `wfo:"sub_block_list"`
	IntField       int     `wfo:"int_field"`
	UpdateStrField string  `wfo:"update_str_field"`
	ListField      []int   `wfo:"list_field"`
	EnumField      Enum    `wfo:"enum_field"`
}

type One16 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB16 `wfo:"block"`
}

// 18: no fixed input.
type One18 struct {
	domain.Subscription `wfo:"Test"`
	Block               PBOne `wfo:"block"`
}

// 19: no product block.
type One19 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
}

// 20: no list_field.
type PB20 struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne   `wfo:"sub_block"`
	SubBlock2    SubOne   `wfo:"sub_block_2"`
	SubBlockList []SubOne `wfo:"sub_block_list"`
	IntField     int      `wfo:"int_field"`
	StrField     string   `wfo:"str_field"`
	EnumField    Enum     `wfo:"enum_field"`
}

type One20 struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool `wfo:"test_fixed_input"`
	Block               PB20 `wfo:"block"`
}

// Nested: the sub block, held twice by each product block instance, gains a block of its own.
type SubNested struct {
	domain.Block `wfo:"SubBlockOneForTest"`
	IntField     int       `wfo:"int_field"`
	StrField     string    `wfo:"str_field"`
	Leaf         TestBlock `wfo:"leaf"`
}

type PBNested struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubNested   `wfo:"sub_block"`
	SubBlock2    SubNested   `wfo:"sub_block_2"`
	SubBlockList []SubNested `wfo:"sub_block_list"`
	IntField     int         `wfo:"int_field"`
	StrField     string      `wfo:"str_field"`
	ListField    []int       `wfo:"list_field"`
	EnumField    Enum        `wfo:"enum_field"`
}

type OneNested struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool     `wfo:"test_fixed_input"`
	Block               PBNested `wfo:"block"`
}

// The documentation's example (spec §7 scenarios 2 and 24).
type UserGroupBlock struct {
	domain.Block `wfo:"UserGroupBlock"`
	GroupName    string `wfo:"group_name"`
	GroupID      int    `wfo:"group_id"`
}

type UserBlock struct {
	domain.Block `wfo:"UserBlock"`
	Group        UserGroupBlock `wfo:"group"`
	Username     string         `wfo:"username"`
	Age          int            `wfo:"age"`
	UserID       int            `wfo:"user_id"`
}

type UserGroup struct {
	domain.Subscription
	Settings UserGroupBlock `wfo:"settings"`
}

type User struct {
	domain.Subscription
	Affiliation string    `wfo:"affiliation"`
	Settings    UserBlock `wfo:"settings"`
}

// 24: age becomes user_age.
type UserBlock24 struct {
	domain.Block `wfo:"UserBlock"`
	Group        UserGroupBlock `wfo:"group"`
	Username     string         `wfo:"username"`
	UserAge      int            `wfo:"user_age"`
	UserID       int            `wfo:"user_id"`
}

type User24 struct {
	domain.Subscription `wfo:"User"`
	Affiliation         string      `wfo:"affiliation"`
	Settings            UserBlock24 `wfo:"settings"`
}

// Two attributes holding one new block.
type PBTwice struct {
	domain.Block `wfo:"ProductBlockOneForTest"`
	SubBlock     SubOne    `wfo:"sub_block"`
	SubBlock2    SubOne    `wfo:"sub_block_2"`
	SubBlockList []SubOne  `wfo:"sub_block_list"`
	IntField     int       `wfo:"int_field"`
	StrField     string    `wfo:"str_field"`
	ListField    []int     `wfo:"list_field"`
	EnumField    Enum      `wfo:"enum_field"`
	ExtraA       TestBlock `wfo:"extra_a"`
	ExtraB       TestBlock `wfo:"extra_b"`
}

type OneTwice struct {
	domain.Subscription `wfo:"Test"`
	TestFixedInput      bool    `wfo:"test_fixed_input"`
	Block               PBTwice `wfo:"block"`
}
