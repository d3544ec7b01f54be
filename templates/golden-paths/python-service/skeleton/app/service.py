"""HTTP service with health, readiness, Prometheus metrics and JSON logs.

Standard library only, so the image needs no package index at build time.
"""
import json
import os
import re
import secrets
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE = os.environ.get("SERVICE_NAME", "${{ values.name }}")
TEAM = os.environ.get("SERVICE_TEAM", "${{ values.ownerName }}")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def log(level, message, stream=None, **fields):
    """One JSON object per line: the platform's collector indexes these fields."""
    entry = {
        "time": datetime.now(timezone.utc).isoformat(),
        "level": level,
        "service": SERVICE,
        "team": TEAM,
        "message": message,
        **fields,
    }
    (stream or sys.stdout).write(json.dumps(entry) + "\n")


def trace_fields(headers):
    match = TRACEPARENT.match(headers.get("traceparent", ""))
    if match:
        return {"trace_id": match.group(1), "span_id": match.group(2)}
    return {"trace_id": secrets.token_hex(16), "span_id": secrets.token_hex(8)}


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self.requests = {}
        self.durations = {}

    def observe(self, route, method, code, seconds):
        with self._lock:
            key = (route, method, str(code))
            self.requests[key] = self.requests.get(key, 0) + 1
            hist = self.durations.setdefault((route, method), [0] * len(BUCKETS) + [0, 0.0])
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    hist[i] += 1
            hist[len(BUCKETS)] += 1
            hist[len(BUCKETS) + 1] += seconds

    def render(self):
        lines = [
            "# HELP http_requests_total HTTP requests by route, method and status code",
            "# TYPE http_requests_total counter",
        ]
        with self._lock:
            for (route, method, code), count in sorted(self.requests.items()):
                lines.append(
                    f'http_requests_total{{service="{SERVICE}",route="{route}",method="{method}",code="{code}"}} {count}'
                )
            lines += [
                "# HELP http_request_duration_seconds HTTP request duration",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (route, method), hist in sorted(self.durations.items()):
                labels = f'service="{SERVICE}",route="{route}",method="{method}"'
                for i, bound in enumerate(BUCKETS):
                    lines.append(f'http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {hist[i]}')
                lines.append(f'http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {hist[len(BUCKETS)]}')
                lines.append(f"http_request_duration_seconds_count{{{labels}}} {hist[len(BUCKETS)]}")
                lines.append(f"http_request_duration_seconds_sum{{{labels}}} {hist[len(BUCKETS) + 1]}")
        return "\n".join(lines) + "\n"


def create_server(port, stream=None):
    metrics = Metrics()
    state = {"ready": True}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            started = time.perf_counter()
            path = self.path.split("?", 1)[0]
            routes = {
                "/healthz": lambda: (200, "application/json", '{"status":"ok"}'),
                "/readyz": lambda: (200, "application/json", '{"status":"ready"}')
                if state["ready"]
                else (503, "application/json", '{"status":"shutting down"}'),
                "/metrics": lambda: (200, "text/plain; version=0.0.4", metrics.render()),
                "/": lambda: (200, "application/json", json.dumps({"service": SERVICE})),
            }
            route = path if path in routes else "unmatched"
            code, content_type, body = (
                routes[path]() if path in routes else (404, "application/json", '{"error":"not found"}')
            )
            # Recorded before the response is sent, so a caller that reads
            # the metrics or logs right after its request finds it there.
            seconds = time.perf_counter() - started
            metrics.observe(route, "GET", code, seconds)
            if route not in ("/metrics", "/healthz", "/readyz"):
                log("info", "request", stream, method="GET", path=path, status=code,
                    duration_ms=round(seconds * 1000), **trace_fields(self.headers))
            payload = body.encode()
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.drain = lambda: state.update(ready=False)
    return server


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "${{ values.port }}"))
    server = create_server(port)
    log("info", "listening", port=port)
    server.serve_forever()
