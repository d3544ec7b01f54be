package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, app *App, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	return rec
}

func TestHealthz(t *testing.T) {
	app := newApp(slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil)))
	if rec := get(t, app, "/healthz", nil); rec.Code != http.StatusOK {
		t.Fatalf("healthz answered %d", rec.Code)
	}
}

func TestReadyzTurnsUnreadyWhileDraining(t *testing.T) {
	app := newApp(slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil)))
	if rec := get(t, app, "/readyz", nil); rec.Code != http.StatusOK {
		t.Fatalf("readyz answered %d", rec.Code)
	}
	app.Drain()
	if rec := get(t, app, "/readyz", nil); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz answered %d while draining", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	app := newApp(slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil)))
	get(t, app, "/", nil)
	body := get(t, app, "/metrics", nil).Body.String()
	if !strings.Contains(body, `route="/",method="GET",code="200"} 1`) {
		t.Fatalf("metrics lack the request counter:\n%s", body)
	}
}

func TestJSONLogsCarryServiceAndTrace(t *testing.T) {
	var logs bytes.Buffer
	app := newApp(slog.New(slog.NewJSONHandler(&logs, nil)).With("service", serviceName()))
	traceID := "4bf92f3577b34da6a3ce929d0e0e4736"
	get(t, app, "/missing", map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01"})
	var entry map[string]any
	if err := json.Unmarshal(logs.Bytes(), &entry); err != nil {
		t.Fatal(err)
	}
	if entry["service"] != "${{ values.name }}" || entry["trace_id"] != traceID {
		t.Fatalf("unexpected log entry %v", entry)
	}
}
