"""A loopback Odoo server and a portal customer's browser, for ``portal_bench.py``.

The server is Odoo's own command line, threaded (``--workers 0``) at log
level info, so that werkzeug's access line of each request ends with
Odoo's three figures: ``<queries> <query time> <remaining time>`` (see
``odoo/netsvc.py``, ``PerfFilter``). The client is urllib with a cookie
jar: one session per customer, as a browser keeps it.
"""

import http.cookiejar
import json
import queue
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

from launcher import paths, postgres

# '... werkzeug: 127.0.0.1 - - [date] "GET /my/rmas HTTP/1.1" 200 - 41 0.019 0.087'
ACCESS_LINE = re.compile(
    r' werkzeug: .*"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+'
    r'(?: (?P<queries>\d+) (?P<query_time>[\d.]+) (?P<other_time>[\d.]+))?\s*$'
)
LOG_TAIL = 30


class ServerError(Exception):
    """The server did not start, or a request's access line never came."""


class OdooServer:
    """``python -m odoo server`` on a free loopback port; its log is read as it comes."""

    def __init__(self, python, conf, database):
        self.python, self.conf, self.database = python, conf, database
        self.port = postgres.free_port(range(18069, 18169))
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines = queue.Queue()
        self.tail = []  # the last lines, shown when something goes wrong
        self.process = None
        self.log_path = paths.state_dir() / "logs" / f"portal-bench-{database}.log"

    def command(self):
        # No cron thread: a cron waking up mid-run would add its load to the figures.
        return [self.python, "-m", "odoo", "server", "-c", str(self.conf), "-d", self.database,
                "--http-port", str(self.port), "--http-interface", "127.0.0.1", "--workers", "0",
                "--max-cron-threads", "0", "--log-level", "info"]

    def start(self, timeout=600):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"the server of {self.database} stopped (exit "
                                  f"{self.process.returncode}):\n" + "\n".join(self.tail[-LOG_TAIL:]))
            try:  # the login page answers once the registry is loaded
                with urllib.request.urlopen(f"{self.url}/web/login", timeout=60) as response:
                    if response.status == 200:
                        self.drain()
                        return self
            except OSError:
                time.sleep(0.5)
        raise ServerError(f"the server of {self.database} did not answer in {timeout} s")

    def _read(self):
        with open(self.log_path, "w") as log:
            for line in self.process.stdout:
                log.write(line)
                self.tail = [*self.tail[-LOG_TAIL:], line.rstrip()]
                self.lines.put(line.rstrip())

    def drain(self):
        while not self.lines.empty():
            self.lines.get_nowait()

    def access_line(self, path, timeout=30):
        """Odoo's figures for the next request of ``path`` (query string included, as
        the access line shows it): ``(status, queries, SQL s, server s)``, the server's
        time being its SQL and the rest, from the request's start to its response.

        Requests are sent one at a time, so the next access line of that
        path is this request's; other lines (warnings...) are skipped.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            match = ACCESS_LINE.search(line)
            if match and match["path"] == path:
                if match["queries"] is None:  # an earlier log line of the request took them
                    return int(match["status"]), None, None, None
                sql, other = float(match["query_time"]), float(match["other_time"])
                return int(match["status"]), int(match["queries"]), sql, sql + other
        raise ServerError(f"no access line for {path} in the log of {self.database}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # Odoo stops gracefully on SIGTERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to report (to /my, to the login page), not to follow."""

    def redirect_request(self, *_args, **_kwargs):
        return None


class PortalClient:
    """One logged-in customer: a cookie jar holding its session."""

    def __init__(self, server):
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def authenticate(self, login, password):
        """Log in with JSON-RPC, as Odoo's mobile and external clients do."""
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "db": self.server.database, "login": login, "password": password}}).encode()
        request = urllib.request.Request(f"{self.server.url}/web/session/authenticate", data=body,
                                         headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=120) as response:
            answer = json.load(response)
        self.server.access_line("/web/session/authenticate")
        if answer.get("error") or not (answer.get("result") or {}).get("uid"):
            raise ServerError(f"{login} could not log in to {self.server.database}: "
                              f"{answer.get('error', {}).get('data', {}).get('message', answer)}")
        return self

    def get(self, path):
        """``(status, body, round trip s, queries, SQL s, server s)`` of one GET."""
        start = time.perf_counter()
        try:
            with self.opener.open(f"{self.server.url}{path}", timeout=120) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            status, body = error.code, error.headers.get("Location") or error.read().decode()
        elapsed = time.perf_counter() - start
        return status, body, elapsed, *self.server.access_line(path)[1:]
