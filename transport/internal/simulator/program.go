package simulator

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// RunProgram runs `go run dir` (a main package below the calling test's
// directory, usually under testdata) as a plain program, outside the test
// binary, offline, and returns its standard output. It fails t when the
// program fails. It is for tests that show a documented setup working as a
// program does.
func RunProgram(t testing.TB, dir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(runtime.GOROOT(), "bin", "go"), "run", "./"+filepath.ToSlash(dir))
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ./%s: %v\n%s", dir, err, errOut.String())
	}
	return out.String()
}

// DocSnippet returns the first ```go block after the heading of a
// Markdown document (a line that is exactly heading), without its fences.
func DocSnippet(t testing.TB, doc, heading string) string {
	t.Helper()
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatalf("read %s: %v", doc, err)
	}
	text := string(b)
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("%s: no heading %q", doc, heading)
	}
	rest := text[i:]
	start := strings.Index(rest, "```go\n")
	if start < 0 {
		t.Fatalf("%s: no go block after %q", doc, heading)
	}
	rest = rest[start+len("```go\n"):]
	end := strings.Index(rest, "```")
	if end < 0 {
		t.Fatalf("%s: unterminated go block after %q", doc, heading)
	}
	return rest[:end]
}

// RequireSnippetIn fails t unless every non-blank line of snippet appears,
// in order and with its indentation trimmed, in the file at path: the
// program runs what the document shows.
func RequireSnippetIn(t testing.TB, snippet, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	at := 0
	for _, want := range strings.Split(snippet, "\n") {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		for at < len(lines) && lines[at] != want {
			at++
		}
		if at == len(lines) {
			t.Fatalf("%s lacks the documented line %q (or has it out of order)", path, want)
		}
		at++
	}
}

// CheckDocSetup is the test that a provider guide's simulator setup works
// as a plain program: the first go block under "## The simulator" in doc
// stands, line for line, in testdata/docsetup/main.go, and `go run` of
// that program prints want (its create-and-wait's outcome).
func CheckDocSetup(t testing.TB, doc, want string) {
	t.Helper()
	RequireSnippetIn(t, DocSnippet(t, doc, "## The simulator"), "testdata/docsetup/main.go")
	if got := strings.TrimSpace(RunProgram(t, "testdata/docsetup")); got != want {
		t.Fatalf("testdata/docsetup printed %q, want %q", got, want)
	}
}
