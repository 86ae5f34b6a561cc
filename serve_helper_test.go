package wfo_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
)

// served is `serve --listen 127.0.0.1:0` of an application, run through the real command tree inside the test.
type served struct {
	t      *testing.T
	addr   string
	token  string
	hc     *http.Client
	cancel context.CancelFunc
	done   chan int
	stderr *strings.Builder
}

// serveApp starts `serve` on a free loopback port with the environment and waits until it prints its address;
// requests carry the bearer token.
func serveApp(t *testing.T, app *wfo.App, environ []string, token string) *served {
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	s := &served{t: t, token: token, hc: &http.Client{Timeout: 20 * time.Second}, cancel: cancel, done: make(chan int, 1), stderr: &strings.Builder{}}
	pr, pw := io.Pipe()
	go func() {
		code := cli.Run(ctx, app, []string{"serve", "--listen", "127.0.0.1:0"}, cli.WithIO(strings.NewReader(""), pw, s.stderr), cli.WithEnviron(environ))
		pw.Close()
		s.done <- code
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan(), "serve printed nothing")
	addr, ok := strings.CutPrefix(strings.Fields(lines.Text())[2], "http://")
	require.True(t, ok, lines.Text())
	s.addr = addr
	go func() {
		for lines.Scan() {
		}
	}()
	return s
}

// call makes one request and returns the status and the body.
func (s *served) call(method, path, body string) (int, []byte) {
	req, err := http.NewRequestWithContext(s.t.Context(), method, "http://"+s.addr+path, strings.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, data
}

// stop cancels serve (as SIGINT or SIGTERM do) and requires it to exit 0 within a minute.
func (s *served) stop() {
	s.cancel()
	select {
	case code := <-s.done:
		require.Equal(s.t, 0, code, s.stderr.String())
	case <-time.After(60 * time.Second):
		s.t.Fatal("serve did not stop")
	}
}
