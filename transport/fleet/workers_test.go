package fleet_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/fleet"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worker processes of TestBudgetTwentyWorkers are this test binary
// run again with workerEnv set; the rest of their setup is in the
// variables below.
const (
	workerEnv  = "STRATUS_FLEET_BUDGET_WORKER"
	envSim     = "STRATUS_FLEET_TEST_SIM"
	envToken   = "STRATUS_FLEET_TEST_TOKEN"
	envRedis   = "STRATUS_FLEET_TEST_REDIS"
	envPrefix  = "STRATUS_FLEET_TEST_PREFIX"
	envRun     = "STRATUS_FLEET_TEST_RUN"
	envIDs     = "STRATUS_FLEET_TEST_IDS"
	resultMark = "fleet-worker-result: "
	readyMark  = "fleet-worker-ready"
)

// The simulator's windows, shortened: DigitalOcean's budgets (250 a
// burst window, 5,000 an hourly one) over 8 s and 160 s. Much shorter
// windows would come near the delays a loaded machine puts between a
// request's slot and its arrival.
var testWindows = []transport.Window{{Limit: 250, Period: 8 * time.Second}, {Limit: 5000, Period: 160 * time.Second}}

type workerResult struct {
	Reads, Errors int
	FirstError    string
	Budget        fleet.BudgetStats
	ok            bool
}

// Twenty worker processes read droplets without a cache as fast as they
// can, for 16 s, through one token and one simulator: the shared budget
// keeps the fleet within both windows (no request refused) and spends at
// least 80% of what the windows allowed in that time.
func TestBudgetTwentyWorkers(t *testing.T) {
	const workers = 20
	const run = 16 * time.Second
	srv := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: 50, RealTime: true, BurstWindow: testWindows[0].Period, HourlyWindow: testWindows[1].Period,
	})
	t.Cleanup(srv.Close)
	url := redistest.URL(t)
	var raw [6]byte
	rand.Read(raw[:])
	prefix := "stratustest:" + hex.EncodeToString(raw[:]) + ":"
	var ids []string
	for _, id := range srv.DropletIDs() {
		ids = append(ids, strconv.Itoa(id))
	}
	env := append(os.Environ(), workerEnv+"=1", envSim+"="+srv.URL(), envToken+"="+srv.Token(),
		envRedis+"="+url, envPrefix+"="+prefix, envRun+"="+run.String(), envIDs+"="+strings.Join(ids, ","))

	// Each process says when it is ready; they start together when told.
	results := make([]workerResult, workers)
	errs := make([]error, workers)
	gos := make([]io.WriteCloser, workers)
	var ready, wg sync.WaitGroup
	for i := range workers {
		ctx, cancel := context.WithTimeout(t.Context(), run+time.Minute)
		t.Cleanup(cancel)
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperBudgetWorker$", "-test.count=1")
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		gos[i], err = cmd.StdinPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			isReady := false
			markReady := func() {
				if !isReady {
					isReady = true
					ready.Done()
				}
			}
			defer markReady()
			var lines strings.Builder
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				line := sc.Text()
				lines.WriteString(line + "\n")
				if line == readyMark {
					markReady()
				}
				if r, ok := strings.CutPrefix(line, resultMark); ok && errs[i] == nil {
					errs[i] = json.Unmarshal([]byte(r), &results[i])
					results[i].ok = errs[i] == nil
				}
			}
			if err := cmd.Wait(); err != nil {
				errs[i] = fmt.Errorf("worker %d: %v\n%s%s", i, err, lines.String(), stderr.String())
			} else if !results[i].ok && errs[i] == nil {
				errs[i] = fmt.Errorf("worker %d printed no result:\n%s", i, lines.String())
			}
		}()
	}
	ready.Wait()
	began := time.Now()
	for _, w := range gos {
		fmt.Fprintln(w, "go")
		w.Close()
	}
	wg.Wait()
	t.Logf("the workers ran %v from the start signal to the last exit", time.Since(began).Round(time.Millisecond))
	for _, err := range errs {
		require.NoError(t, err)
	}
	var sum workerResult
	for _, r := range results {
		sum.Reads += r.Reads
		sum.Errors += r.Errors
		if sum.FirstError == "" {
			sum.FirstError = r.FirstError
		}
		b := &sum.Budget
		b.Admitted += r.Budget.Admitted
		b.Waited += r.Budget.Waited
		b.Wait += r.Budget.Wait
		b.Refused += r.Budget.Refused
		b.Fallbacks += r.Budget.Fallbacks
		b.Commands += r.Budget.Commands
		b.Workers = max(b.Workers, r.Budget.Workers)
	}
	served := srv.Requests() - srv.Refused()
	capacity := fleet.Capacity(testWindows, run)
	use := float64(served) / float64(capacity)
	t.Logf("%d workers, %v: %d reads, %d errors, %d requests served, %d refused by the simulator; the windows allowed %d: %.1f%% used",
		workers, run, sum.Reads, sum.Errors, served, srv.Refused(), capacity, 100*use)
	t.Logf("first error: %s", sum.FirstError)
	t.Logf("budget: %d admitted (%d after a wait, %v waited in all), %d refused, %d by the local share, %d Redis commands (%.2f a request), %d workers counted",
		sum.Budget.Admitted, sum.Budget.Waited, sum.Budget.Wait, sum.Budget.Refused, sum.Budget.Fallbacks,
		sum.Budget.Commands, float64(sum.Budget.Commands)/float64(max(sum.Budget.Admitted, 1)), sum.Budget.Workers)

	assert.Equal(t, 0, srv.Refused(), "no request refused by the provider")
	assert.Equal(t, 0, sum.Errors, "first error: %s", sum.FirstError)
	assert.GreaterOrEqual(t, use, 0.8, "at least 80%% of the budget used")
	assert.Equal(t, workers, sum.Budget.Workers, "every process counted")
}

// TestHelperBudgetWorker is one worker process of TestBudgetTwentyWorkers;
// run by itself it does nothing.
func TestHelperBudgetWorker(t *testing.T) {
	if os.Getenv(workerEnv) == "" {
		return
	}
	run, err := time.ParseDuration(os.Getenv(envRun))
	require.NoError(t, err)
	var ids []int
	for _, s := range strings.Split(os.Getenv(envIDs), ",") {
		id, err := strconv.Atoi(s)
		require.NoError(t, err)
		ids = append(ids, id)
	}
	ctx := context.Background()
	// On a machine loaded far beyond its cores (a whole test suite on
	// two) a process may wait hundreds of milliseconds for the CPU, and
	// so may the simulator. The deadline of a Redis call is raised from
	// 100 ms to 1 s, since a process that falls back to its local share
	// alone spends it on top of the others' shared budget (docs/design.md,
	// the fleet's failure modes; the fall-back has tests of its own), and
	// the slack for the delay between a slot and its arrival at the
	// simulator from 260 ms to 800 ms.
	f, err := fleet.New(ctx, fleet.Options{URL: os.Getenv(envRedis), Prefix: os.Getenv(envPrefix),
		CallTimeout: time.Second, Slack: 800 * time.Millisecond})
	require.NoError(t, err)
	defer f.Close()
	c, err := do.New(do.Token(os.Getenv(envToken)), stratus.WithBaseURL(os.Getenv(envSim)),
		stratus.WithoutCache(), stratus.WithRateWindows(testWindows...), stratus.WithFleet(f))
	require.NoError(t, err)

	fmt.Println(readyMark)
	_, err = bufio.NewReader(os.Stdin).ReadString('\n')
	require.NoError(t, err)
	end := time.Now().Add(run)
	// A few readers in the process, each reading one droplet after
	// another, as fast as the budget lets them.
	const readers = 4
	var (
		mu  sync.Mutex
		res workerResult
		wg  sync.WaitGroup
	)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; time.Now().Before(end); i += readers {
				// The run's end is every read's deadline: the budget
				// gives no slot past it, and a read cut short there is
				// not an error.
				rctx, cancel := context.WithDeadline(ctx, end)
				err := do.Droplet(c, ids[i%len(ids)]).Load(rctx)
				cancel()
				var te *transport.Error
				if errors.As(err, &te) && !te.RetryAt.Before(end) {
					return // no slot left in the run
				}
				mu.Lock()
				res.Reads++
				if err != nil && time.Now().Before(end) {
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Budget = f.BudgetStats()
	b, err := json.Marshal(res)
	require.NoError(t, err)
	fmt.Println(resultMark + string(b))
}
