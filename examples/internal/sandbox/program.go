package sandbox

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main runs a program's body with a context that ends on SIGINT or
// SIGTERM, and exits 1 with "name: error" on stderr if it fails.
func Main(name string, body func(ctx context.Context) error) {
	os.Exit(Run(name, os.Stderr, body))
}

// Run is Main without the exit: it returns the exit code.
func Run(name string, stderr io.Writer, body func(ctx context.Context) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := body(ctx); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}
