import io
import json
import threading
import unittest
import urllib.error
import urllib.request

from app.service import create_server


class ServiceTest(unittest.TestCase):
    def setUp(self):
        self.logs = io.StringIO()
        self.server = create_server(0, stream=self.logs)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def test_healthz(self):
        self.assertEqual(self.get("/healthz"), (200, '{"status":"ok"}'))

    def test_readyz_turns_unready_while_draining(self):
        self.assertEqual(self.get("/readyz")[0], 200)
        self.server.drain()
        self.assertEqual(self.get("/readyz")[0], 503)

    def test_metrics_in_prometheus_format(self):
        self.get("/")
        status, body = self.get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn('route="/",method="GET",code="200"} 1', body)
        self.assertIn("http_request_duration_seconds_bucket", body)

    def test_json_logs_carry_service_and_trace(self):
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
        self.get("/missing", {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
        entry = json.loads(self.logs.getvalue().strip().splitlines()[-1])
        self.assertEqual(entry["service"], "${{ values.name }}")
        self.assertEqual(entry["status"], 404)
        self.assertEqual(entry["trace_id"], trace_id)


if __name__ == "__main__":
    unittest.main()
