// Package redistest starts Redis servers of a test's own, for the fleet's
// tests and for programs that demonstrate a fleet on one machine.
//
// URL gives the server a test should use: the one STRATUS_REDIS_URL names
// when it is set (CI starts one), or a redis-server of the test's own on a
// unix socket. Tests that stop and restart Redis on purpose use Start,
// which always starts their own. Without a redis-server on PATH, both fail
// the test with a message that says how to get one; they never skip.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvURL is the variable that names a running Redis for the tests.
const EnvURL = "STRATUS_REDIS_URL"

// Server is a redis-server process listening on a unix socket.
type Server struct {
	URL  string // unix:///.../redis.sock
	dir  string
	sock string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// URL returns the URL of a Redis the test may use: STRATUS_REDIS_URL when
// set, else a server started for the test and stopped at its end. Tests
// that share a server keep apart by giving each fleet its own key prefix.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return Start(t).URL
}

// Start starts a redis-server of the test's own, stopped at its end.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := StartProcess()
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartProcess starts a redis-server on a unix socket in a new temporary
// folder (no persistence) and waits until it answers. The caller stops it.
func StartProcess() (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("no redis-server on PATH: install Redis 6 or later (Debian: apt-get install redis-server) or set " + EnvURL + " to a running one")
	}
	dir, err := os.MkdirTemp("", "stratus-redis-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, sock: filepath.Join(dir, "redis.sock")}
	s.URL = "unix://" + s.sock
	if err := s.start(bin); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) start(bin string) error {
	cmd := exec.Command(bin,
		"--port", "0", "--unixsocket", s.sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--loglevel", "warning")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redis-server did not start: %w", err)
	}
	var logMu sync.Mutex
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			logMu.Lock()
			if log.Len() < 4096 {
				log.WriteString(sc.Text() + "\n")
			}
			logMu.Unlock()
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("unix", s.sock, 200*time.Millisecond); err == nil {
			_, werr := c.Write([]byte("PING\r\n"))
			buf := make([]byte, 16)
			c.SetReadDeadline(time.Now().Add(time.Second))
			n, _ := c.Read(buf)
			c.Close()
			if werr == nil && strings.HasPrefix(string(buf[:n]), "+PONG") {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			logMu.Lock()
			defer logMu.Unlock()
			return fmt.Errorf("redis-server did not answer within 10s; its log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	return nil
}

// Kill stops the server at once (SIGKILL), as a crash would; its data is
// lost. Restart starts it again on the same socket.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
	os.Remove(s.sock)
}

// Restart starts a killed server again on the same socket, empty.
func (s *Server) Restart() error {
	s.Kill()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return err
	}
	return s.start(bin)
}

// Stop kills the server and removes its folder.
func (s *Server) Stop() {
	s.Kill()
	os.RemoveAll(s.dir)
}
