"""The simulated users of ``load_bench.py``, for Locust.

Run by ``load_bench.py`` (``locust -f bench/locustfile.py --headless ...``),
which prepares the plan they follow (``LOAD_BENCH_PLAN``: logins, documents,
the agent's list requests, the returns to approve) and reads back what they
were answered (``LOAD_BENCH_TALLY``) to hold it against the database.

* ``PortalCustomer``: a customer logged in through the login form browses
  their returns and cases, lists and pages.
* ``Visitor``: each iteration is a new visitor of the public contact form,
  from an address and an e-mail of their own (see ``visitor``).
* ``Agent``: an internal user logged in over JSON-RPC opens the lists of
  cases and returns as the web client does, and now and then approves a
  return; each return is approved by one user only (``PENDING``).
"""

import collections
import contextlib
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_BENCH_PLAN"]).read_text())
RUN = os.environ["LOAD_BENCH_RUN"]
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
THANKS = "/aftersales/contact/thanks"
# Users share this process (gevent): a deque handed out with popleft gives
# each pending return to one user, and the counter each visitor a number.
PENDING = collections.deque(PLAN["pending"])
VISITORS = itertools.count(PLAN["visitor_offset"])
# What the users were answered; every request as ``[name, start, ms, error]``.
TALLY = {"forms_accepted": [], "forms_refused": 0, "approved": [], "approval_failed": [],
         "queue_empty": 0, "requests": [], "user_errors": []}


def visitor(number):
    """The address and e-mail of visitor ``number``.

    The contact form takes at most a few messages an hour from one IP
    address and one e-mail address. Real visitors come from many addresses
    through the reverse proxy, so each simulated visitor has its own: an
    ``X-Forwarded-For`` in 198.18.0.0/15 (RFC 2544's block for benchmarks,
    sent as a header only) and an e-mail at a domain of its own (the
    acknowledgements are limited per domain too). Numbers go on from the
    previous runs' (``visitor_offset``), so no address is reused within the
    limits' window.
    """
    host = number % (1 << 17)
    address = f"198.{18 + (host >> 16)}.{(host >> 8) & 255}.{host & 255}"
    return address, f"visitor{number}@v{number}.load-bench.example"


def status(answer):
    """``HTTP <status>``, or why no answer came (Locust reports status 0 then)."""
    return f"HTTP {answer.status_code}" if answer.status_code else f"no answer ({answer.error!r})"[:160]


class JsonRpcError(Exception):
    pass


class PortalCustomer(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    logged_in = False

    def log_in(self):
        """The login form, as a browser sends it; again at the next task if it failed."""
        page = self.client.get("/web/login", name="login form")
        token = CSRF.search(page.text)
        form = {"login": PLAN["portal"]["login"], "password": PLAN["portal"]["password"],
                "csrf_token": token.group(1) if token else "", "redirect": "/my"}
        with self.client.post("/web/login", name="login (portal)", data=form, allow_redirects=False,
                              catch_response=True) as answer:
            self.logged_in = answer.status_code == 303 \
                and "/web/login" not in answer.headers.get("Location", "")
            if not self.logged_in:
                answer.failure(f"not logged in: {status(answer)}")

    def page(self, path, name, expect=None):
        if not self.logged_in:
            self.log_in()
            if not self.logged_in:
                return
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                where = answer.headers.get("Location", "")
                answer.failure(status(answer) + (f" to {where.split('?')[0]}" if where else ""))
            elif expect and expect not in answer.text:
                answer.failure(f"page without {expect}")

    @task(3)
    def returns_list(self):
        self.page("/my/returns", "portal /my/returns", expect='href="/my/returns/')

    @task(3)
    def cases_list(self):
        self.page("/my/cases", "portal /my/cases", expect='href="/my/cases/')

    @task(1)
    def return_page(self):
        self.page(f"/my/returns/{random.choice(PLAN['portal']['returns'])}", "portal /my/returns/<id>")

    @task(1)
    def case_page(self):
        self.page(f"/my/cases/{random.choice(PLAN['portal']['cases'])}", "portal /my/cases/<id>")


class Visitor(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    @task
    def contact_form(self):
        number = next(VISITORS)
        address, email = visitor(number)
        self.client.cookies.clear()  # a new visitor: no session yet
        # As the reverse proxy sends them (Odoo runs with --proxy-mode).
        headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "http",
                   "X-Forwarded-Host": self.host.split("://", 1)[1]}
        with self.client.get("/aftersales/contact", name="contact form", headers=headers,
                             catch_response=True) as form:
            token = CSRF.search(form.text) if form.status_code == 200 else None
            if not token:
                form.failure(f"no form: {status(form)}")
                return
        data = {"name": f"Visitor {number}", "email": email, "order_reference": "",
                "subject": f"Question about a delivery [load {RUN} #{number}]",
                "description": "The parcel arrived with a dent in the box. Is the item inside fine?",
                "csrf_token": token.group(1)}
        with self.client.post("/aftersales/contact", name="contact send", data=data, headers=headers,
                              allow_redirects=False, catch_response=True) as sent:
            if sent.status_code != 303 or not sent.headers.get("Location", "").endswith(THANKS):
                TALLY["forms_refused"] += 1
                sent.failure(f"not accepted: {status(sent)}")
                return
        with self.client.get(THANKS, name="contact thanks", headers=headers, catch_response=True) as thanks:
            if thanks.status_code == 200:
                TALLY["forms_accepted"].append(number)
            else:
                thanks.failure(status(thanks))


class Agent(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    user_context = None

    def log_in(self):
        """Log in over JSON-RPC, as external clients do; again at the next call if it failed."""
        with contextlib.suppress(JsonRpcError):  # counted as the login's failure
            info = self.call("/web/session/authenticate", "login (agent)", {
                "db": PLAN["database"], "login": PLAN["agent"]["login"],
                "password": PLAN["agent"]["password"]}) or {}
            if info.get("uid"):
                companies = info["user_companies"]["allowed_companies"]
                self.user_context = {**info["user_context"], "bin_size": True,
                                     "allowed_company_ids": [int(company) for company in companies][:1]}

    def call(self, path, name, params):
        """The result of a JSON-RPC call; its error fails the request and is raised."""
        body = {"jsonrpc": "2.0", "method": "call", "id": random.randrange(1 << 30), "params": params}
        error = None
        with self.client.post(path, name=name, json=body, catch_response=True) as answer:
            try:
                reply = answer.json()
            except ValueError:
                reply = {"error": {"data": {"name": status(answer), "message": "not JSON-RPC"}}}
            if reply.get("error"):
                data = reply["error"].get("data") or {}
                error = f"{data.get('name', 'error')}: {data.get('message', reply['error'])}"
                answer.failure(error[:200])
        if error:
            raise JsonRpcError(error)
        return reply.get("result")

    def ready(self):
        """Whether the agent is logged in, after logging in if need be."""
        if not self.user_context:
            self.log_in()
        return bool(self.user_context)

    def call_kw(self, model, method, args, kwargs, name):
        return self.call(f"/web/dataset/call_kw/{model}/{method}", name, {
            "model": model, "method": method, "args": args,
            "kwargs": {**kwargs, "context": self.user_context}})

    def open_list(self, model):
        request = PLAN["lists"][model]
        if not self.ready():
            return
        with contextlib.suppress(JsonRpcError):  # counted as the request's failure
            self.call_kw(model, "web_search_read", [], {
                "specification": request["specification"], "domain": request["domain"],
                "offset": 0, "limit": 80, "order": "", "count_limit": 10001,
            }, f"agent {model} web_search_read")

    @task(3)
    def cases_list(self):
        self.open_list("aftersales.case")

    @task(3)
    def returns_list(self):
        self.open_list("aftersales.rma")

    @task(1)
    def approve(self):
        if not self.ready():
            return
        if not PENDING:
            TALLY["queue_empty"] += 1
            return
        rma_id = PENDING.popleft()
        try:
            done = self.call_kw("aftersales.rma", "action_approve", [[rma_id]], {}, "agent action_approve")
        except JsonRpcError:
            done = False
        TALLY["approved" if done else "approval_failed"].append(rma_id)


@events.request.add_listener
def record_request(name, start_time, response_time, exception, **_kwargs):
    error = " ".join(str(exception).split())[:200] if exception else None
    TALLY["requests"].append([name, start_time, response_time, error])


@events.user_error.add_listener
def record_user_error(user_instance, exception, **_kwargs):
    TALLY["user_errors"].append(f"{type(user_instance).__name__}: {exception!r}"[:200])


@events.quitting.add_listener
def write_tally(**_kwargs):
    Path(os.environ["LOAD_BENCH_TALLY"]).write_text(json.dumps(TALLY))
