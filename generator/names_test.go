package generator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, snake, title, camel, goName string }{
		{"Example1", "example1", "Example1", "Example1", "Example1"},
		{"UserGroup", "user_group", "Usergroup", "Usergroup", "UserGroup"},
		{"My Product 9000+", "my _product 9000+", "My Product 9000+", "My Product 9000+", "My Product 9000+"},
		{"a1b", "a1b", "A1B", "A1B", "A1b"},
		{"ipv4_loopback", "ipv4_loopback", "Ipv4_Loopback", "Ipv4Loopback", "IPv4Loopback"},
		{"example_str_enum_1", "example_str_enum_1", "Example_Str_Enum_1", "ExampleStrEnum1", "ExampleStrEnum1"},
		{"node_id", "node_id", "Node_Id", "NodeId", "NodeID"},
		{"type", "type", "Type", "Type", "Type"},
	} {
		require.Equal(t, c.snake, CamelToSnake(c.in), "CamelToSnake(%q)", c.in)
		require.Equal(t, c.title, PyTitle(c.in), "PyTitle(%q)", c.in)
		require.Equal(t, c.camel, SnakeToCamel(c.in), "SnakeToCamel(%q)", c.in)
		if c.in != "My Product 9000+" {
			require.Equal(t, c.goName, GoName(c.in), "GoName(%q)", c.in)
		}
	}
	require.Equal(t, "ExampleStrEnum1", EnumTypeName("example_str_enum_1"))
}

func TestEnumMember(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]string{
		"option1":     "ModeOption1",
		"8QAM":        "Mode_8QAM",
		"DP-16QAM":    "ModeDP16QAM",
		"10G-LR":      "Mode_10GLR",
		"link member": "ModeLinkMember",
		"1000":        "Mode_1000",
		"-":           "",
		"é":           "",
	} {
		require.Equal(t, want, enumMember("Mode", value), value)
	}
}

func TestIntLiteral(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{1: "1", 1000: "1000", 32767: "32_767", -100000: "-100_000", 1234567: "1_234_567"} {
		require.Equal(t, want, intLiteral(n))
	}
}
