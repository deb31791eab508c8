package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

// TestMain lets the test binary stand in for the program: with
// SANDBOX_TEST_MAIN=1 it runs main, so that the signal handling of the
// real program can be tested without building it.
func TestMain(m *testing.M) {
	if os.Getenv("SANDBOX_TEST_MAIN") == "1" {
		os.Args = append([]string{"sandbox"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// get sends an authenticated GET to an endpoint of the first line.
func get(t *testing.T, ep sandbox.Endpoint, token, path string) (int, gjson.Result) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ep.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, gjson.ParseBytes(body)
}

func TestFirstLineIsAWorkingEndpointMap(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-droplets", "7", "-action-duration", "100ms"}, pw, io.Discard)
		pw.CloseWithError(err)
		done <- err
	}()

	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan(), "no first line: %v", sc.Err())
	var eps sandbox.Endpoints
	require.NoError(t, json.Unmarshal(sc.Bytes(), &eps), "first line: %s", sc.Text())
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	ep, ok := eps["digitalocean"]
	require.True(t, ok, "first line lacks digitalocean: %s", sc.Text())
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, ep.URL())
	require.NotEmpty(t, ep["token"])

	status, body := get(t, ep, ep["token"], "/v2/droplets?per_page=3")
	require.Equal(t, http.StatusOK, status, body.Raw)
	assert.Len(t, body.Get("droplets").Array(), 3)
	assert.EqualValues(t, 7, body.Get("meta.total").Int(), "-droplets is the seed size")

	status, _ = get(t, ep, "not-the-token", "/v2/droplets")
	assert.Equal(t, http.StatusUnauthorized, status, "the token must be the one that authenticates")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	_, err := http.Get(ep.URL() + "/v2/droplets")
	assert.Error(t, err, "the simulator must be closed once run returns")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-droplets", "x"}, {"-action-duration", "0s"}, {"extra"}} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		assert.Error(t, err, "%q", args)
	}
}

func TestStopsOnSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on windows")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-droplets", "2")
	cmd.Env = append(os.Environ(), "SANDBOX_TEST_MAIN=1")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()

	sc := bufio.NewScanner(out)
	require.True(t, sc.Scan(), "no first line")
	var eps sandbox.Endpoints
	require.NoError(t, json.Unmarshal(sc.Bytes(), &eps))
	status, body := get(t, eps["digitalocean"], eps["digitalocean"]["token"], "/v2/account")
	require.Equal(t, http.StatusOK, status, body.Raw)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		assert.NoError(t, err, "SIGTERM must end the sandbox cleanly")
	case <-time.After(10 * time.Second):
		t.Fatal("the sandbox ignored SIGTERM")
	}
}
