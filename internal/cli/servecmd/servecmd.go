// Package servecmd implements "serve": the HTTP API and the workflow engine's workers in one process, and with
// --scheduler the scheduler too.
package servecmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
)

// DefaultListen is where serve listens unless told otherwise.
const DefaultListen = "127.0.0.1:8080"

// New returns the serve command.
func New(env *base.Env) *cobra.Command {
	var listen string
	var noAuth, withScheduler bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP API and the engine's workers (and with --scheduler the scheduler) until SIGINT or SIGTERM.",
		Long: "Run the HTTP API and the engine's workers (MAX_WORKERS) in one process; with --scheduler the scheduler " +
			"runs too. Processes started or resumed through the API run on the workers (whatever TESTING says); the " +
			"API answers once they are queued, and GET /api/processes/{id} follows them. SIGINT or SIGTERM stop it cleanly: requests under way are answered, running steps finish and " +
			"their processes are left resumed, to be continued by the next start.\n\n" +
			"Every route but /api/health/ requires \"Authorization: Bearer <token>\" with one of the tokens in " +
			"API_TOKENS (comma-separated). Without tokens serve refuses to start unless --no-auth is given, and " +
			"--no-auth is accepted only on a loopback address (127.0.0.1, ::1, localhost).\n\n" +
			"The OpenAPI document is at /api/openapi.json, its rendering at /api/docs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tokens := tokensFrom(env.Environ)
			if len(tokens) == 0 {
				if !noAuth {
					return fmt.Errorf("%w: no API tokens: set API_TOKENS (comma-separated), or pass --no-auth to run without authentication on a loopback address", base.ErrUsage)
				}
				if !loopback(listen) {
					return fmt.Errorf("%w: --no-auth is only allowed on a loopback address, not %s: set API_TOKENS", base.ErrUsage, listen)
				}
			}
			return run(cmd.Context(), env, listen, api.Config{Tokens: tokens, DisableInsyncCheck: envTrue(env.Environ, "DISABLE_INSYNC_CHECK")}, withScheduler)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", DefaultListen, "the address to listen on (host:port)")
	cmd.Flags().BoolVar(&noAuth, "no-auth", false, "run without tokens (only on a loopback address)")
	cmd.Flags().BoolVar(&withScheduler, "scheduler", false, "run the scheduler in this process too")
	return cmd
}

func tokensFrom(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "API_TOKENS="); ok {
			out = nil
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// envTrue reports whether the variable is set to true (or 1, yes, on), as the reference reads its boolean settings.
func envTrue(environ []string, name string) bool {
	v := ""
	for _, kv := range environ {
		if val, ok := strings.CutPrefix(kv, name+"="); ok {
			v = val
		}
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// loopback reports whether addr's host is a loopback address or localhost.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func run(ctx context.Context, env *base.Env, listen string, cfg api.Config, withScheduler bool) error {
	db, err := env.OpenExistingDB(ctx)
	if err != nil {
		return err
	}
	if db == nil {
		return errors.New("serve: the database does not exist yet; run 'db upgrade heads' first")
	}
	defer db.Close()
	s, err := env.Settings()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	// serve is where the workers run: processes started through the API run on them whatever TESTING says.
	eng, err := env.OpenEngine(db, s, process.WithLogger(logger), process.Synchronous(false))
	if err != nil {
		return err
	}
	defer eng.Close()
	cfg.Logger = logger
	srv := api.New(eng, subscription.New(db, env.DomainModel()), cfg)
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(env.Stdout, "Listening on http://%s (API under /api, OpenAPI at /api/openapi.json)\n", ln.Addr())
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	if withScheduler {
		if env.Scheduler == nil {
			return errors.New("serve: this application has no scheduler")
		}
		sch, err := env.Scheduler(db, s)
		if err != nil {
			return err
		}
		defer sch.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sch.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- err
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- err
		}
	}()
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errs:
	}
	fmt.Fprintln(env.Stdout, "Shutting down: answering requests under way, letting running steps finish")
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && runErr == nil {
		runErr = err
	}
	wg.Wait()
	// Background work of requests (a resume-all's retries) hands its processes to the engine before it stops.
	if err := srv.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if err := eng.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}
