// Command ${{ values.name }} serves HTTP with health, readiness, Prometheus
// metrics and JSON logs, using the standard library only.
package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "${{ values.port }}"
	}
	// The image has no shell or curl: the binary checks its own health.
	if len(os.Args) > 1 && os.Args[1] == "-healthcheck" {
		os.Exit(healthcheck(port))
	}
	logger := newLogger(os.Stdout)
	app := newApp(logger)
	server := &http.Server{Addr: ":" + port, Handler: app, ReadHeaderTimeout: 5 * time.Second}

	go func() {
		logger.Info("listening", "port", port)
		if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			logger.Error("server failed", "error", err.Error())
			os.Exit(1)
		}
	}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	// Readiness fails first so the load balancer drains the pod.
	app.Drain()
	time.Sleep(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_ = server.Shutdown(ctx)
}

func healthcheck(port string) int {
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}

func newLogger(w *os.File) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, nil)).With("service", serviceName(), "team", teamName())
}
