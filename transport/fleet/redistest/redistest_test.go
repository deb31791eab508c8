package redistest

import (
	"net"
	"strings"
	"testing"
	"time"
)

func ping(t *testing.T, sock string) error {
	t.Helper()
	c, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(buf[:n]), "+PONG") {
		t.Fatalf("PING answered %q", buf[:n])
	}
	return nil
}

func TestStartKillRestart(t *testing.T) {
	s := Start(t)
	if !strings.HasPrefix(s.URL, "unix://") {
		t.Fatalf("URL %q", s.URL)
	}
	if err := ping(t, s.sock); err != nil {
		t.Fatalf("a started server must answer: %v", err)
	}
	s.Kill()
	if err := ping(t, s.sock); err == nil {
		t.Fatal("a killed server still answers")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := ping(t, s.sock); err != nil {
		t.Fatalf("a restarted server must answer: %v", err)
	}
}
