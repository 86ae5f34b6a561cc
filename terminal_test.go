package wfo_test

import (
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
)

// transcript is what a pseudo-terminal showed, read by one goroutine and searched by the test.
type transcript struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (t *transcript) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *transcript) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ReplaceAll(t.buf.String(), "\r\n", "\n")
}

// TestProcessStartAsksOnATerminal runs `process start create_node` of the example through the real command tree
// with standard input and output on a pseudo-terminal, on each database: with no --input it asks every field of
// both pages of the form (the product, then the node), each with its title, type, rule and default as the page's
// JSON Schema gives them; an answer the form refuses is asked again with the rule it broke; then the process runs
// to completion and the command exits 0.
func TestProcessStartAsksOnATerminal(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		app := opsApp()
		environ := []string{"DATABASE_URI=" + target.URI, "TESTING=true"}
		var errOut strings.Builder
		code := cli.Run(t.Context(), app, []string{"db", "upgrade", "heads"}, cli.WithIO(strings.NewReader(""), io.Discard, &errOut), cli.WithEnviron(environ))
		require.Equal(t, 0, code, errOut.String())
		productID := productIDOf(t, target.URI, "Node Cisco")

		ptmx, tty, err := pty.Open()
		require.NoError(t, err)
		defer ptmx.Close()
		defer tty.Close()
		var screen transcript
		go io.Copy(&screen, ptmx) // ends when the terminal closes

		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		done := make(chan int, 1)
		var stderr strings.Builder
		go func() {
			done <- cli.Run(ctx, app, []string{"process", "start", "create_node", "--user", "tty-user"},
				cli.WithIO(tty, tty, &stderr), cli.WithEnviron(environ))
		}()
		// answer waits until the screen shows the question (after what was answered so far), then types the answer.
		seen := 0
		answer := func(question, text string) {
			t.Helper()
			for {
				s := screen.String()
				if i := strings.Index(s[seen:], question); i >= 0 {
					seen += i + len(question)
					break
				}
				select {
				case code := <-done:
					t.Fatalf("the command ended (%d) before asking %q:\n%s\n%s", code, question, s, stderr.String())
				case <-ctx.Done():
					t.Fatalf("the command did not ask %q:\n%s", question, s)
				case <-time.After(10 * time.Millisecond):
				}
			}
			_, err := ptmx.Write([]byte(text + "\n"))
			require.NoError(t, err)
		}
		answer("Page 1 of 2\nProduct (string, required): ", productID)
		answer("Page 2 of 2\nCustomer Id (string, required): ", "c-tty")
		answer("Node Name (string, required): ", strings.Repeat("n", 64))
		answer("Ipv4 Loopback (string, required): ", "300.1.2.3")
		answer("Ipv6 Loopback (string, required): ", "2001:db8::77")
		answer("  invalid node_name: ensure this value has at most 63 characters\n"+
			"  invalid ipv4_loopback: value is not a valid IPv4 or IPv6 address\n"+
			"Node Name (string, required): ", "ams-tty")
		answer("Ipv4 Loopback (string, required): ", "2001:db8::1")
		answer("  invalid ipv4_loopback: not an IPv4 address\n"+
			"Ipv4 Loopback (string, required): ", "192.0.2.77")
		var code2 int
		select {
		case code2 = <-done:
		case <-ctx.Done():
			t.Fatalf("the command did not end:\n%s", screen.String())
		}
		require.Equal(t, 0, code2, screen.String()+stderr.String())
		// What the command printed last reaches the screen once the terminal has passed it on.
		completed := regexp.MustCompile(`(?m)^Process [0-9a-f-]{36} completed$`)
		for !completed.MatchString(screen.String()) {
			select {
			case <-ctx.Done():
				t.Fatalf("no completion on the screen:\n%s", screen.String())
			case <-time.After(10 * time.Millisecond):
			}
		}
		out := screen.String()
		require.Regexp(t, `(?m)^Process [0-9a-f-]{36} started \(create_node\)$`, out)
		require.Contains(t, out, "Create subscription")

		// The answers made the subscription.
		code = cli.Run(t.Context(), app, []string{"subscription", "list", "--customer", "c-tty"}, cli.WithIO(strings.NewReader(""), &errOut, &errOut), cli.WithEnviron(environ))
		require.Equal(t, 0, code, errOut.String())
		require.Contains(t, errOut.String(), "Node Cisco")
	})
}

// productIDOf reads a product's id from the database.
func productIDOf(t *testing.T, uri, name string) string {
	t.Helper()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer db.Close()
	var id string
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT CAST(product_id AS TEXT) FROM products WHERE name = $1", name).Scan(&id))
	return id
}
