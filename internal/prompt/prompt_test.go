package prompt_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/prompt"
)

func TestTable(t *testing.T) {
	t.Parallel()
	got := prompt.Table([]string{"#", "name", "target"}, [][]string{{"wf_a", "CREATE"}, {"a_much_longer_name", "TERMINATE"}})
	require.Equal(t, strings.Join([]string{
		"  #  name                target",
		"---  ------------------  ---------",
		"  1  wf_a                CREATE",
		"  2  a_much_longer_name  TERMINATE",
	}, "\n"), got)
	require.Equal(t, "", prompt.Table(nil, nil))
	require.Equal(t, "    name\n--  ------", prompt.Table([]string{"", "name"}, nil))
}

func TestMenuAndInput(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := prompt.New(strings.NewReader("nope\n 2 \n\n\n  x  \n"), &out, false)
	key, err := p.Menu(prompt.Numbered([]string{"one", "two"}, prompt.Option{Key: "q", Label: "cancel"}))
	require.NoError(t, err)
	require.Equal(t, "2", key)
	require.Equal(t, "1) one\n2) two\nq) cancel\n? Invalid choice\n1) one\n2) two\nq) cancel\n? ", out.String())

	got, err := p.Input("default? ", "n")
	require.NoError(t, err)
	require.Equal(t, "n", got)
	out.Reset()
	got, err = p.Input("required: ", "")
	require.NoError(t, err)
	require.Equal(t, "x", got)
	require.Equal(t, "required: required: ", out.String())

	_, err = p.Input("more? ", "")
	require.ErrorIs(t, err, prompt.ErrNoInput)
}

func TestColors(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := prompt.New(strings.NewReader(""), &out, true)
	p.Println("\nWhat do you want to do?\n", prompt.Underline, prompt.Bold)
	require.Equal(t, "\x1b[4m\x1b[1m\nWhat do you want to do?\n\x1b[0m\n", out.String())
	require.Equal(t, "plain", prompt.New(strings.NewReader(""), &out, false).Fmt("plain", prompt.Red))
}

// TestInputRefusesBadText checks that answers PostgreSQL would reject later (invalid UTF-8, NUL) or that have no
// place in a name (control characters) are refused at once.
func TestInputRefusesBadText(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{"caf\xe9", "a\x00b", "esc\x1b[2J", "bell\a"} {
		p := prompt.New(strings.NewReader(answer+"\n"), &bytes.Buffer{}, false)
		_, err := p.Input("name? ", "")
		require.ErrorIs(t, err, prompt.ErrBadText, "%q", answer)
		require.NotContains(t, err.Error(), "\n")
	}
	p := prompt.New(strings.NewReader("café\tau lait\n"), &bytes.Buffer{}, false)
	got, err := p.Input("name? ", "")
	require.NoError(t, err)
	require.Equal(t, "café\tau lait", got)
}
