package api_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// BenchmarkStartCreateNode starts 1,000 processes of the example's create_node through the API with 50 concurrent
// clients, on each database, waits until every one has completed and checks that each ran every step once; then
// the same 1,000 straight through the engine from 50 goroutines (the engine's own time for the same work), and
// 300 one at a time through the API and straight to the engine by turns, to tell the API's share of a start from
// the engine's under the same load. Run it with
//
//	scripts/with-postgres go test -run '^$' -bench StartCreateNode -benchtime 1x ./api
//
// (-args -processes N changes the 1,000). It reports processes/s (started and completed) and the latency
// percentiles of the concurrent starts through the API and straight to the engine (engine-*), the medians of the
// sequential ones, and api-ms: the median difference within each sequential pair; idle-*: the same with each
// start made when the previous process has completed (idle-api-ms is then the API's work alone).
func BenchmarkStartCreateNode(b *testing.B) {
	total, clients := *benchProcesses, 50
	for _, target := range dbtest.Targets(b) {
		b.Run(target.Name, func(b *testing.B) {
			for range b.N {
				db := opstest.Open(b, target.URI)
				eng := process.New(db, workflow.MustRegistry(opstest.Workflows()...), process.WithProducts(netapp.Products),
					process.Synchronous(false), process.Workers(5))
				eng.StartWorkers()
				srv := api.New(eng, subscription.New(db, netapp.Products), api.Config{Tokens: []string{token}})
				hs := httptest.NewServer(srv.Handler())
				products, err := subscription.New(db, netapp.Products).Products(b.Context(), "Node Cisco")
				if err != nil {
					b.Fatal(err)
				}
				page1 := map[string]any{"product": products[0].ProductID.String()}
				form := func(i int) map[string]any {
					return map[string]any{"customer_id": "c1", "node_name": fmt.Sprintf("n%05d", i), "ipv4_loopback": "192.0.2.1", "ipv6_loopback": "2001:db8::1"}
				}
				hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
				start := func(i int) error {
					body, _ := json.Marshal([]any{page1, form(i)})
					req, err := http.NewRequestWithContext(b.Context(), "POST", hs.URL+"/api/processes/create_node", strings.NewReader(string(body)))
					if err != nil {
						return err
					}
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := hc.Do(req)
					if err != nil {
						return err
					}
					defer resp.Body.Close()
					data, _ := io.ReadAll(resp.Body)
					if resp.StatusCode != http.StatusCreated {
						return fmt.Errorf("start %d: %d %s", i, resp.StatusCode, data)
					}
					return nil
				}
				b.ResetTimer()
				began := time.Now()
				viaAPI := load(b, total, clients, start)
				waitAll(b, eng, total)
				elapsed := time.Since(began)
				b.StopTimer()
				checkOnce(b, eng, total)

				// The engine's own time for the same work: the same starts from as many goroutines straight to
				// the engine, with the same workers running the processes.
				began = time.Now()
				direct := load(b, total, clients, func(i int) error {
					_, err := eng.Start(b.Context(), "create_node", page1, form(total+i))
					return err
				})
				waitAll(b, eng, 2*total)
				directElapsed := time.Since(began)
				checkOnce(b, eng, 2*total)

				// The API's own share of one start: starts one at a time, through the API and straight to the
				// engine by turns, so that both meet the same load of the workers.
				const seq = 300
				var seqAPI, seqDirect []time.Duration
				for i := range seq {
					seqAPI = append(seqAPI, load(b, 1, 1, func(int) error { return start(2*total + i) })...)
					seqDirect = append(seqDirect, load(b, 1, 1, func(int) error {
						_, err := eng.Start(b.Context(), "create_node", page1, form(3*total+i))
						return err
					})...)
				}
				waitAll(b, eng, 2*total+2*seq)

				// The same with the workers idle: each start waits until the process before it has completed, so
				// no step commits while a start is under way and the difference is the API's work alone.
				var idleAPI, idleDirect []time.Duration
				done := 2*total + 2*seq
				for i := range seq {
					idleAPI = append(idleAPI, load(b, 1, 1, func(int) error { return start(4*total + i) })...)
					done++
					waitAll(b, eng, done)
					idleDirect = append(idleDirect, load(b, 1, 1, func(int) error {
						_, err := eng.Start(b.Context(), "create_node", page1, form(5*total+i))
						return err
					})...)
					done++
					waitAll(b, eng, done)
				}
				hs.Close()
				if err := eng.Close(); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(total)/elapsed.Seconds(), "processes/s")
				b.ReportMetric(ms(pct(viaAPI, 50)), "p50-ms")
				b.ReportMetric(ms(pct(viaAPI, 95)), "p95-ms")
				b.ReportMetric(ms(pct(viaAPI, 99)), "p99-ms")
				b.ReportMetric(float64(total)/directElapsed.Seconds(), "engine-processes/s")
				b.ReportMetric(ms(pct(direct, 50)), "engine-p50-ms")
				b.ReportMetric(ms(pct(direct, 95)), "engine-p95-ms")
				b.ReportMetric(ms(pct(direct, 99)), "engine-p99-ms")
				b.ReportMetric(ms(pct(seqAPI, 50)), "seq-api-p50-ms")
				b.ReportMetric(ms(pct(seqDirect, 50)), "seq-engine-p50-ms")
				// The API's share: the median of the differences of each pair (one through the API, the next
				// straight to the engine), which the workers' load drifting during the run does not skew.
				pairs := make([]time.Duration, seq)
				for i := range seq {
					pairs[i] = seqAPI[i] - seqDirect[i]
				}
				b.ReportMetric(ms(pct(pairs, 50)), "api-ms")
				for i := range seq {
					pairs[i] = idleAPI[i] - idleDirect[i]
				}
				b.ReportMetric(ms(pct(idleAPI, 50)), "idle-api-p50-ms")
				b.ReportMetric(ms(pct(idleDirect, 50)), "idle-engine-p50-ms")
				b.ReportMetric(ms(pct(pairs, 50)), "idle-api-ms")
				b.ReportMetric(0, "ns/op")
				b.StartTimer()
			}
		})
	}
}

var benchProcesses = flag.Int("processes", 1000, "how many processes BenchmarkStartCreateNode starts each way")

// load calls fn(0..n-1) from the given number of goroutines and returns each call's latency.
func load(b *testing.B, n, clients int, fn func(i int) error) []time.Duration {
	lat := make([]time.Duration, n)
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var failed error
	for range clients {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				if err := fn(i); err != nil {
					once.Do(func() { failed = err })
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
	return lat
}

// waitAll waits (at most ten minutes) until n processes of create_node have come to rest.
func waitAll(b *testing.B, eng *process.Engine, n int) {
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute)
	defer cancel()
	for {
		_, done, err := eng.List(b.Context(), process.ListFilter{Workflows: []string{"create_node"}, Statuses: []process.Status{process.Completed, process.Failed, process.Aborted}, Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		if done >= n {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("only %d of %d processes finished", done, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// checkOnce checks that there are n processes of create_node, each completed, each having run every step once.
func checkOnce(b *testing.B, eng *process.Engine, n int) {
	ps, count, err := eng.List(b.Context(), process.ListFilter{Workflows: []string{"create_node"}})
	if err != nil {
		b.Fatal(err)
	}
	if count != n {
		b.Fatalf("%d processes, want %d", count, n)
	}
	seen := map[uuid.UUID]bool{}
	for _, p := range ps {
		if p.Status != process.Completed {
			b.Fatalf("process %s is %s: %s", p.ID, p.Status, p.FailedReason)
		}
		full, err := eng.Get(b.Context(), p.ID)
		if err != nil {
			b.Fatal(err)
		}
		names := full.StepNames()
		for _, name := range names {
			if c := countOf(names, name); c != 1 {
				b.Fatalf("process %s ran step %q %d times", p.ID, name, c)
			}
		}
		if seen[p.ID] {
			b.Fatalf("process %s listed twice", p.ID)
		}
		seen[p.ID] = true
	}
}

func countOf(names []string, name string) int {
	n := 0
	for _, x := range names {
		if x == name {
			n++
		}
	}
	return n
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
