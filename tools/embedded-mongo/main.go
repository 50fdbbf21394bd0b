// Command embedded-mongo runs FerretDB v1 with its SQLite backend as a small
// MongoDB-wire-compatible server for the service's embedded default and tests.
//
// It prints exactly one machine-readable line on stdout once it accepts
// connections:
//
//	{"event":"ready","uri":"mongodb://127.0.0.1:PORT/","pid":N}
//
// and stops cleanly on SIGINT/SIGTERM, or when its standard input closes
// (with --exit-on-stdin-close) so that it never outlives a parent that was
// killed with SIGKILL.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data-dir", "./data/db", "directory holding the SQLite database files")
	logLevel := flag.String("log-level", "error", "log level written to stderr: debug, info, warn or error")
	exitOnStdinClose := flag.Bool("exit-on-stdin-close", false, "stop when standard input reaches EOF (parent died)")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel, *exitOnStdinClose); err != nil {
		fmt.Fprintf(os.Stderr, "embedded-mongo: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string, exitOnStdinClose bool) error {
	absDir, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("resolve data dir: %w", err)
	}
	if err := os.MkdirAll(absDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad --log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// FerretDB listens on a private port; clients reach it only through the serializer (see serializer.go).
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + absDir + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if exitOnStdinClose {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	// MongoDBURI blocks until the listener is bound, so it is only called after Run started.
	backend, err := url.Parse(db.MongoDBURI())
	if err != nil {
		return fmt.Errorf("parse backend URI: %w", err)
	}
	front, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	go (&serializer{backend: backend.Host, logger: logger}).serve(front)
	go func() {
		<-ctx.Done()
		_ = front.Close()
	}()

	uri := (&url.URL{Scheme: "mongodb", Host: front.Addr().String(), Path: "/"}).String()
	ready, _ := json.Marshal(map[string]any{"event": "ready", "uri": uri, "pid": os.Getpid()})
	fmt.Println(string(ready))

	return <-done
}
