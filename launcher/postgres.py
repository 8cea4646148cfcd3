"""Find a PostgreSQL server, or run a private cluster in the project.

A server named by the usual ``PG*`` variables or by an Odoo configuration
file (``ODOO_RC``) is used when it answers. Otherwise the launcher keeps a
cluster of its own in ``.local/postgres``: loopback only, on a free port,
its unix socket in that folder, run by the ``postgres`` user when we are
root (the server refuses to run as root). It is stopped at the end only
when this launcher started it.
"""

import configparser
import glob
import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from . import paths, system
from .errors import SetupError
from .progress import say

DB_USER = "odoo"
SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")


class Server:
    """How Odoo reaches PostgreSQL (the ``db_*`` options of its config)."""

    def __init__(self, host, port, user, password, origin):
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.origin = origin

    def odoo_options(self):
        return {
            "db_host": self.host or "False",
            "db_port": str(self.port) if self.port else "False",
            "db_user": self.user or "False",
            "db_password": self.password or "False",
        }


# External servers ----------------------------------------------------------

def external_server(environ=None):
    """The server the PG* variables or ODOO_RC name, or None if they name none."""
    environ = os.environ if environ is None else environ
    rc = environ.get("ODOO_RC")
    if rc and Path(rc).is_file():
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(rc)
        options = dict(parser.items("options")) if parser.has_section("options") else {}
        if any(options.get(key, "False") != "False" for key in ("db_host", "db_port", "db_user")):
            return Server(
                _opt(options.get("db_host")), _opt(options.get("db_port")),
                _opt(options.get("db_user")), _opt(options.get("db_password")), f"ODOO_RC={rc}",
            )
    if any(environ.get(key) for key in ("PGHOST", "PGPORT", "PGUSER")):
        return Server(
            environ.get("PGHOST"), environ.get("PGPORT"), environ.get("PGUSER"),
            environ.get("PGPASSWORD"), "the PG* environment variables",
        )
    return None


def _opt(value):
    return None if value in (None, "", "False") else value


def answers(python, server):
    """Whether ``server`` accepts a connection (psycopg2 from Odoo's venv)."""
    code = (
        "import sys, psycopg2\n"
        "kw = {k: v for k, v in zip(('host', 'port', 'user', 'password'), sys.argv[1:]) if v}\n"
        "psycopg2.connect(dbname='postgres', connect_timeout=5, **kw).close()\n"
    )
    args = [server.host or "", str(server.port or ""), server.user or "", server.password or ""]
    try:
        result = subprocess.run(
            [python, "-c", code, *args], capture_output=True, text=True, check=False, timeout=30
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


# The private cluster -------------------------------------------------------

def find_server_bindir(candidates=None):
    """The folder holding initdb, pg_ctl and postgres (newest version first)."""
    if candidates is None:
        candidates = [os.environ.get("AFTERSALES_PG_BINDIR")] if os.environ.get(
            "AFTERSALES_PG_BINDIR") else _default_bindirs()
    for folder in candidates:
        if folder and all(Path(folder, name).is_file() for name in SERVER_BINARIES):
            return Path(folder)
    return None


def _default_bindirs():
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(path.split("/")[-2]) if path.split("/")[-2].isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("pg_ctl")
    return debian + ([str(Path(on_path).parent)] if on_path else [])


def ensure_server_bindir():
    bindir = find_server_bindir()
    if bindir is None:
        if os.environ.get("AFTERSALES_PG_BINDIR"):
            raise SetupError(
                f"AFTERSALES_PG_BINDIR={os.environ['AFTERSALES_PG_BINDIR']} holds no "
                f"PostgreSQL server binaries (initdb, pg_ctl, postgres)."
            )
        system.install_packages(["postgresql"], "The private PostgreSQL cluster")
        bindir = find_server_bindir()
    if bindir is None:
        raise SetupError(
            "PostgreSQL's server binaries are still missing after apt-get: "
            "install them with `sudo apt-get install postgresql`."
        )
    return bindir


def postgres_identity():
    """The user, group and groups the private cluster runs as when we are root."""
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise SetupError(
            "Running as root, the private PostgreSQL cluster needs the system user "
            "`postgres` (Debian's postgresql package creates it)."
        ) from None
    return {
        "user": owner.pw_uid,
        "group": owner.pw_gid,
        "extra_groups": os.getgrouplist(owner.pw_name, owner.pw_gid),
        "env": dict(os.environ, HOME=owner.pw_dir, USER=owner.pw_name, LOGNAME=owner.pw_name),
    }


class PrivateCluster:
    """The project's own PostgreSQL cluster in ``.local/postgres``."""

    def __init__(self, bindir, root=None):
        self.bindir = Path(bindir)
        self.root = Path(root or paths.state_dir() / "postgres")
        self.data = self.root / "data"
        self.started_here = False
        self.as_postgres = os.geteuid() == 0

    # A unix socket path is limited to about 107 bytes; a deep checkout
    # gets its socket in a short folder of its own under /tmp instead.
    @property
    def socket_dir(self):
        if len(str(self.root / ".s.PGSQL.65535")) < 100:
            return self.root
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"aftersales-pg-{digest}"

    def _run(self, args, **kwargs):
        command = [str(self.bindir / args[0]), *args[1:]]
        return self._run_command(command, **kwargs)

    def _run_command(self, command, **kwargs):
        # As root, the commands run as postgres through Python's own switch
        # of user and groups: runuser is in /usr/sbin, which a root shell's
        # PATH may lack, and nothing else is needed for it.
        if self.as_postgres:
            kwargs.update(postgres_identity())
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
        except OSError as error:
            raise SetupError(
                f"Could not run {command[0]} ({error.strerror}): check the PostgreSQL server "
                f"binaries in {self.bindir}, or set AFTERSALES_PG_BINDIR to other ones."
            ) from None

    def _prepare_folders(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if not self.as_postgres:
            return
        identity = postgres_identity()
        cannot_write = SetupError(
            f"The user postgres cannot write {self.root}: give it access to the project "
            f"folder, set AFTERSALES_HOME to a folder it can reach, or point the suite at a "
            f"server with PGHOST/PGPORT/PGUSER."
        )
        try:
            for folder in {self.root, self.socket_dir}:
                os.chown(folder, identity["user"], identity["group"])
        except OSError:
            raise cannot_write from None
        test = shutil.which("test") or "/usr/bin/test"
        if self._run(["pg_ctl", "--version"]).returncode or any(
            self._run_command([test, "-w", str(folder)]).returncode
            for folder in (self.root, self.socket_dir)
        ):
            raise cannot_write

    def password_file(self):
        return self.root / "password"

    def ensure_initialized(self):
        if (self.data / "PG_VERSION").is_file():
            return
        self._prepare_folders()
        say(f"      initdb {self.data}")
        password = secrets.token_urlsafe(24)
        pwfile = self.root / "password"
        pwfile.write_text(password + "\n")
        if self.as_postgres:
            identity = postgres_identity()
            os.chown(pwfile, identity["user"], identity["group"])
        pwfile.chmod(0o600)
        result = self._run([
            "initdb", "-D", str(self.data), "-U", DB_USER, "--pwfile", str(pwfile),
            "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
        ])
        if result.returncode:
            shutil.rmtree(self.data, ignore_errors=True)
            raise SetupError(f"initdb failed: {_last_line(result)}")

    def is_running(self):
        return self._run(["pg_ctl", "status", "-D", str(self.data)]).returncode == 0

    def port(self):
        """The port of the running server (from its postmaster.pid)."""
        lines = (self.data / "postmaster.pid").read_text().splitlines()
        return int(lines[3])

    def start(self):
        self.ensure_initialized()
        if self.is_running():
            say(f"      reusing the private cluster already running on port {self.port()}")
            return self.server()
        self._prepare_folders()
        # The free port found may be taken by another program before the
        # server binds it: then the server tries again on another one.
        for _attempt in range(3):
            failure = self._start_on(free_port())
            if failure is None:
                self.started_here = True
                return self.server()
            if "Address already in use" not in failure:
                break
        lines = failure.splitlines()
        reason = [line for line in lines if "FATAL" in line or "ERROR" in line] or lines
        raise SetupError(
            f"The private PostgreSQL cluster did not start ({reason[-1].strip()}): "
            f"its whole log is {self.root / 'server.log'}."
        )

    def _start_on(self, port):
        """Start the server on ``port``: None, or what its log said of the failure."""
        log = self.root / "server.log"
        seen = log.stat().st_size if log.is_file() else 0
        options = (
            f"-c port={port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories='{self.socket_dir}' "
            # A developer's cluster: losing the last commits on a crash is
            # acceptable, waiting for each commit's flush is not.
            "-c synchronous_commit=off"
        )
        say(f"      starting the private cluster on 127.0.0.1:{port}")
        result = self._run([
            "pg_ctl", "start", "-D", str(self.data), "-w", "-t", "60",
            "-l", str(log), "-o", options,
        ])
        if not result.returncode:
            return None
        told = ""
        if log.is_file():
            with open(log, "rb") as lines:
                lines.seek(seen)
                told = lines.read().decode(errors="replace").strip()
        return told or _last_line(result)

    def server(self):
        password = self.password_file().read_text().strip()
        return Server(str(self.socket_dir), self.port(), DB_USER, password, "the private cluster")

    def stop(self):
        if self.started_here:
            self._run(["pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w"])
            self.started_here = False


def free_port(preferred=range(54320, 54400)):
    for port in preferred:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _last_line(result):
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def ensure_server(python):
    """Return ``(server, cluster)``; ``cluster`` is None for an external server."""
    external = external_server()
    if external:
        if external.user == "postgres":
            raise SetupError(
                f"{external.origin} name the user postgres, which Odoo refuses for safety: "
                f"use another role (createuser -d odoo)."
            )
        if answers(python, external):
            say(f"      using the server named by {external.origin}")
            return external, None
        say(f"      the server named by {external.origin} does not answer; using a private cluster")
    cluster = PrivateCluster(ensure_server_bindir())
    return cluster.start(), cluster
