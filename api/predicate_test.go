package api_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflow"
)

// A start that the workflow's run predicate refuses answers 412 with the predicate's reason, before the form is
// looked at (the reference's order), and creates no process.
func TestStartRefusedByRunPredicate(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := opstest.Open(t, target.URI)
		wfs := opstest.Workflows()
		for _, wf := range tasks.Workflows(settings.Settings{}) {
			if wf.Name == tasks.ValidateAwaitingCallbacks {
				wfs = append(wfs, wf)
			}
		}
		eng := process.New(db, workflow.MustRegistry(wfs...), process.WithProducts(netapp.Products))
		t.Cleanup(func() { eng.Close() })
		hs := httptest.NewServer(api.New(eng, subscription.New(db, netapp.Products), api.Config{Tokens: []string{token}}).Handler())
		t.Cleanup(hs.Close)
		c := &client{t: t, base: hs.URL, hc: hs.Client(), tok: token}
		c.hc.Timeout = 20 * time.Second

		for _, body := range []string{`[]`, `[{}]`} {
			r := c.do("POST", "/api/processes/"+tasks.ValidateAwaitingCallbacks, body)
			require.Equal(t, 412, r.status, string(r.body))
			require.JSONEq(t, `{"detail": "No callback step has exceeded its timeout", "status": 412, "title": "Precondition Failed"}`, string(r.body))
		}
		r := c.do("GET", "/api/processes/?filter=workflow_name,"+tasks.ValidateAwaitingCallbacks, "")
		require.Equal(t, 200, r.status)
		require.JSONEq(t, `[]`, string(r.body))
	})
}
