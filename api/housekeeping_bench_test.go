package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// BenchmarkResumeAll fails 1,000 tasks (-args -processes N changes the number), then retries them all with one PUT
// /api/processes/resume-all on a server whose engine has 5 workers, on each database. It reports how long the
// answer took (reply-ms), how long until every task was handed to the workers (handoff-ms: what a server's Close
// waits for) and the retried tasks completed per second. Run it with
//
//	scripts/with-postgres go test -run '^$' -bench ResumeAll -benchtime 1x ./api -args -processes 500
func BenchmarkResumeAll(b *testing.B) {
	n := *benchProcesses
	for _, target := range dbtest.Targets(b) {
		b.Run(target.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := opstest.Open(b, target.URI)
				reg := workflow.MustRegistry(opstest.Workflows()...)
				flag := filepath.Join(b.TempDir(), "flag")
				failer := process.New(db, reg, process.WithProducts(netapp.Products))
				for range n {
					if _, err := failer.Start(b.Context(), "task_flaky", map[string]any{"flag_file": flag}); err != nil {
						b.Fatal(err)
					}
				}
				if err := os.WriteFile(flag, nil, 0o644); err != nil {
					b.Fatal(err)
				}
				eng := process.New(db, reg, process.WithProducts(netapp.Products), process.Synchronous(false), process.Workers(5))
				eng.StartWorkers()
				srv := api.New(eng, subscription.New(db, netapp.Products), api.Config{Tokens: []string{token}})
				hs := httptest.NewServer(srv.Handler())
				req, _ := http.NewRequestWithContext(b.Context(), "PUT", hs.URL+"/api/processes/resume-all", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				b.StartTimer()
				t0 := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				reply := time.Since(t0)
				if resp.StatusCode != 200 {
					b.Fatalf("resume-all: %s", resp.Status)
				}
				hs.Close()
				_ = srv.Close()
				handoff := time.Since(t0)
				for {
					_, tasks, err := eng.StatusCounts(b.Context())
					if err != nil {
						b.Fatal(err)
					}
					if tasks[process.Completed] == n {
						break
					}
					if tasks[process.Failed] > 0 && len(tasks) == 1 {
						b.Fatalf("nothing retried: %v", tasks)
					}
					time.Sleep(5 * time.Millisecond)
				}
				total := time.Since(t0)
				b.StopTimer()
				eng.Close()
				b.ReportMetric(float64(reply.Microseconds())/1000, "reply-ms")
				b.ReportMetric(float64(handoff.Microseconds())/1000, "handoff-ms")
				b.ReportMetric(float64(n)/total.Seconds(), "tasks/s")
			}
		})
	}
}
