// Package server is hooksink's HTTP API: it receives webhook deliveries from our payment and
// shipping providers and hands them to the ledger through the events store.
package server

import (
	"io"
	"log"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"ledgerly.dev/hooksink/internal/config"
	"ledgerly.dev/hooksink/internal/events"
)

// Server routes and handles requests. Create it with New.
type Server struct {
	cfg    config.Config
	store  events.Store
	now    func() time.Time
	newID  func() string
	log    *log.Logger
	router chi.Router
}

// Option configures a Server.
type Option func(*Server)

// WithClock replaces the wall clock (tests pass a fake one).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithLogger sets where the server logs; the default discards.
func WithLogger(l *log.Logger) Option {
	return func(s *Server) { s.log = l }
}

// New builds a Server for cfg that appends accepted events to store.
func New(cfg config.Config, store events.Store, opts ...Option) *Server {
	s := &Server{
		cfg:   cfg,
		store: store,
		now:   time.Now,
		newID: uuid.NewString,
		log:   log.New(io.Discard, "", 0),
	}
	for _, opt := range opts {
		opt(s)
	}
	r := chi.NewRouter()
	r.Get("/healthz", s.handleHealth)
	r.Post("/webhooks/{provider}", s.handleWebhook)
	s.router = r
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
