"""Screenshots of the suite's main screens, from a running Odoo with the demo data.

Run by ``./aftersales screenshots`` with the project's Python (it needs
``websocket-client``, one of the test tools): headless Chromium is driven
over its DevTools protocol, logged in with a session made over JSON-RPC.
"""

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

# (file, user, how to find the page: a path, or (model, xmlid) of a record
# and the path it opens under, and the selector that says the page is drawn)
SHOTS = [
    ("case_kanban.png", "admin", "/odoo/action-aftersales_case.aftersales_case_action",
     ".o_kanban_record"),
    ("return_form.png", "admin",
     ("aftersales_rma.rma_acme_cabinets_demo", "/odoo/action-aftersales_rma.aftersales_rma_action/{id}"),
     ".o_form_view .o-form-buttonbox .oe_stat_button"),
    ("repair_board.png", "admin",
     "/odoo/action-aftersales_repair.aftersales_repair_operation_action_board", ".o_kanban_record"),
    ("dashboard.png", "admin", "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
     "canvas.o-scorecard"),
    ("portal_return_request.png", "portal",
     ("aftersales_portal.sale_order_portal_cabinets_demo", "/my/returns/new?order_id={id}"),
     "#aftersales_rma_new_form"),
]
PASSWORDS = {"admin": "admin", "portal": "portal"}


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the running Odoo, e.g. http://127.0.0.1:8069")
    parser.add_argument("--database", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--out", required=True, type=Path)
    return parser.parse_args()


def json_rpc(opener, url, path, params):
    request = urllib.request.Request(
        url + path, data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        answer = json.load(response)
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]


def session(url, database, login):
    """A logged-in session id, and the opener that holds it."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    json_rpc(opener, url, "/web/session/authenticate",
             {"db": database, "login": login, "password": PASSWORDS[login]})
    return next(cookie.value for cookie in jar if cookie.name == "session_id"), opener


def record_id(url, opener, xmlid):
    module, name = xmlid.split(".")
    rows = json_rpc(opener, url, "/web/dataset/call_kw", {
        "model": "ir.model.data", "method": "search_read", "args": [],
        "kwargs": {"domain": [("module", "=", module), ("name", "=", name)], "fields": ["res_id"]},
    })
    if not rows:
        raise RuntimeError(f"{xmlid} is not in the database: is it the demo database?")
    return rows[0]["res_id"]


class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="aftersales-shots-")
        self.process = subprocess.Popen([
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", "--window-size=1440,900",
            "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.socket = websocket.create_connection(self._page_socket(), timeout=60)
        self.ids = itertools.count(1)

    def _page_socket(self):
        port_file = Path(self.profile, "DevToolsActivePort")
        for _attempt in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [target for target in json.load(response) if target["type"] == "page"]
        return pages[0]["webSocketDebuggerUrl"]

    def call(self, method, **params):
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def shot(self, url, session_id, selector, target):
        self.call("Network.enable")
        self.call("Network.clearBrowserCookies")
        self.call("Network.setCookie", name="session_id", value=session_id, url=url)
        self.call("Page.navigate", url=url)
        check = f"!!document.querySelector({json.dumps(selector)}) && document.readyState === 'complete'"
        for _attempt in range(150):
            if self.call("Runtime.evaluate", expression=check)["result"].get("value"):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{url} never showed {selector}")
        time.sleep(1.5)  # charts and avatars finish drawing
        image = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(image))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    args = parse()
    args.out.mkdir(parents=True, exist_ok=True)
    sessions = {}
    browser = Browser(args.chromium)
    try:
        for name, login, where, selector in SHOTS:
            if login not in sessions:
                sessions[login] = session(args.url, args.database, login)
            path = where
            if isinstance(where, tuple):
                xmlid, pattern = where
                path = pattern.format(id=record_id(args.url, sessions["admin"][1], xmlid))
            browser.shot(args.url + path, sessions[login][0], selector, args.out / name)
            sys.stdout.write(f"      {args.out / name}\n")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
