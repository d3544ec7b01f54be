package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	buckets     = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}
	traceparent = regexp.MustCompile(`^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$`)
)

func serviceName() string {
	if name := os.Getenv("SERVICE_NAME"); name != "" {
		return name
	}
	return "${{ values.name }}"
}

func teamName() string {
	if team := os.Getenv("SERVICE_TEAM"); team != "" {
		return team
	}
	return "${{ values.ownerName }}"
}

// App is the service's HTTP handler.
type App struct {
	logger   *slog.Logger
	draining atomic.Bool
	mu       sync.Mutex
	requests map[string]int
	hist     map[string][]float64
}

func newApp(logger *slog.Logger) *App {
	return &App{logger: logger, requests: map[string]int{}, hist: map[string][]float64{}}
}

// Drain makes /readyz fail so traffic moves away before shutdown.
func (a *App) Drain() { a.draining.Store(true) }

func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	route, code := r.URL.Path, http.StatusOK
	switch r.URL.Path {
	case "/healthz":
		writeJSON(w, code, `{"status":"ok"}`)
	case "/readyz":
		if a.draining.Load() {
			code = http.StatusServiceUnavailable
			writeJSON(w, code, `{"status":"shutting down"}`)
		} else {
			writeJSON(w, code, `{"status":"ready"}`)
		}
	case "/metrics":
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprint(w, a.render())
	case "/":
		writeJSON(w, code, fmt.Sprintf(`{"service":%q}`, serviceName()))
	default:
		route, code = "unmatched", http.StatusNotFound
		writeJSON(w, code, `{"error":"not found"}`)
	}
	seconds := time.Since(started).Seconds()
	a.observe(route, r.Method, code, seconds)
	if route != "/metrics" && route != "/healthz" && route != "/readyz" {
		traceID, spanID := traceFields(r.Header.Get("traceparent"))
		a.logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", code,
			"duration_ms", int(seconds*1000), "trace_id", traceID, "span_id", spanID)
	}
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

// traceFields reuses the caller's W3C trace id so logs join the trace.
func traceFields(header string) (string, string) {
	if m := traceparent.FindStringSubmatch(header); m != nil {
		return m[1], m[2]
	}
	return randomHex(16), randomHex(8)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (a *App) observe(route, method string, code int, seconds float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests[fmt.Sprintf("%s|%s|%d", route, method, code)]++
	key := route + "|" + method
	h, ok := a.hist[key]
	if !ok {
		h = make([]float64, len(buckets)+2)
		a.hist[key] = h
	}
	for i, bound := range buckets {
		if seconds <= bound {
			h[i]++
		}
	}
	h[len(buckets)]++
	h[len(buckets)+1] += seconds
}

// The exposition below is kept out of the template engine: its Go format
// verbs would read as template tags.
{% raw %}
func (a *App) render() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	svc := serviceName()
	b.WriteString("# HELP http_requests_total HTTP requests by route, method and status code\n# TYPE http_requests_total counter\n")
	for _, key := range sortedKeys(a.requests) {
		p := strings.Split(key, "|")
		fmt.Fprintf(&b, "http_requests_total{service=%q,route=%q,method=%q,code=%q} %d\n", svc, p[0], p[1], p[2], a.requests[key])
	}
	b.WriteString("# HELP http_request_duration_seconds HTTP request duration\n# TYPE http_request_duration_seconds histogram\n")
	for key, h := range a.hist {
		p := strings.Split(key, "|")
		labels := fmt.Sprintf("service=%q,route=%q,method=%q", svc, p[0], p[1])
		for i, bound := range buckets {
			fmt.Fprintf(&b, "http_request_duration_seconds_bucket{%s,le=\"%g\"} %g\n", labels, bound, h[i])
		}
		fmt.Fprintf(&b, "http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %g\n", labels, h[len(buckets)])
		fmt.Fprintf(&b, "http_request_duration_seconds_count{%s} %g\n", labels, h[len(buckets)])
		fmt.Fprintf(&b, "http_request_duration_seconds_sum{%s} %g\n", labels, h[len(buckets)+1])
	}
	return b.String()
}

{% endraw %}
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
