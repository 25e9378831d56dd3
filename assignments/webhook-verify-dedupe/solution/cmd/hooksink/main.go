// Command hooksink receives webhook deliveries from Ledgerly's providers.
//
//	hooksink -config /etc/hooksink/config.yaml
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"ledgerly.dev/hooksink/internal/config"
	"ledgerly.dev/hooksink/internal/events"
	"ledgerly.dev/hooksink/internal/server"
)

func main() {
	logger := log.New(os.Stderr, "hooksink ", log.LstdFlags|log.LUTC)
	if err := run(os.Args[1:], logger); err != nil {
		logger.Printf("error: %v", err)
		os.Exit(1)
	}
}

func run(args []string, logger *log.Logger) error {
	flags := flag.NewFlagSet("hooksink", flag.ContinueOnError)
	configPath := flags.String("config", "config.yaml", "path to the YAML configuration")
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              cfg.Listen,
		Handler:           server.New(cfg, events.NewMemory(), server.WithLogger(logger)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errs := make(chan error, 1)
	go func() {
		logger.Printf("listening on %s (%d providers)", cfg.Listen, len(cfg.Providers))
		errs <- srv.ListenAndServe()
	}()
	select {
	case err := <-errs:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
