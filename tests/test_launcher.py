"""The launcher's detection: the three ways Odoo is found, and a missing Odoo,
PostgreSQL or writable folder gives one clear sentence."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import odoo.release

from launcher import database, odoo_setup, postgres, python_env, system
from launcher.errors import SetupError
from launcher.main import pytest_command

PROJECT = Path(__file__).resolve().parent.parent
ODOO_ROOT = Path(odoo.release.__file__).resolve().parent.parent
# The interpreter the tests' venv was made from: a python3 that is no virtualenv.
BASE_PYTHON = str(Path(sys.base_prefix) / "bin" / "python{}.{}".format(*sys.version_info[:2]))
# Where Odoo's requirements are installed for the tests' own interpreter.
REQUIREMENT_FOLDERS = [
    folder for folder in sys.path if folder.endswith(("site-packages", "dist-packages"))
]


@pytest.fixture
def python_without_odoo(tmp_path):
    """An interpreter that cannot import Odoo: this one, without site-packages."""
    wrapper = tmp_path / "python-without-odoo"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


@pytest.fixture
def isolated(tmp_path, monkeypatch, python_without_odoo):
    """The launcher's state, venv and interpreter all in a temporary folder."""
    for name in ("ODOO_RC", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD",
                 "AFTERSALES_ODOO_SRC", "AFTERSALES_PG_BINDIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AFTERSALES_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("AFTERSALES_VENV", str(tmp_path / "venv"))
    monkeypatch.setenv("AFTERSALES_PYTHON", python_without_odoo)
    monkeypatch.setenv("AFTERSALES_ODOO_URL", (tmp_path / "missing.tar.gz").as_uri())
    monkeypatch.setenv("AFTERSALES_NO_SYSTEM_INSTALL", "1")
    return tmp_path


@pytest.fixture
def pip_calls(monkeypatch):
    """pip's installs, recorded instead of downloaded.

    Odoo's requirements are already on this machine: the project's venv is
    made to see them, as if pip had installed them there.
    """
    calls = []

    def fake_pip_install(python, args, what):
        calls.append((str(python), what))
        if what == "Odoo's own requirements":
            lines = "".join(f"{folder}\n" for folder in REQUIREMENT_FOLDERS)
            Path(python_env.site_packages(python), "odoo-requirements.pth").write_text(lines)

    monkeypatch.setattr(odoo_setup, "pip_install", fake_pip_install)
    return calls


def _odoo_copy(tmp_path, name):
    """Odoo 19's source under another folder name, to tell which Odoo a venv imports."""
    copy = tmp_path / name
    copy.symlink_to(ODOO_ROOT, target_is_directory=True)
    return copy


def _virtualenv(tmp_path, *folders, system_site=False):
    """A developer's virtualenv whose site-packages lead to ``folders``."""
    venv = tmp_path / "developer-venv"
    command = [BASE_PYTHON, "-m", "venv", "--without-pip", str(venv)]
    if system_site:
        command.insert(3, "--system-site-packages")
    subprocess.run(command, check=True)
    python = venv / "bin" / "python"
    lines = "".join(f"{folder}\n" for folder in folders)
    Path(python_env.site_packages(python), "odoo.pth").write_text(lines)
    return str(python)


def _sys_path(python, without=None):
    """``python``'s import path, less the folders under ``without``."""
    output = subprocess.run(
        [str(python), "-c", "import json, sys; print(json.dumps(sys.path))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return [folder for folder in json.loads(output)
            if not (without and folder.startswith(str(without)))]


def _tree(folder):
    return {str(path.relative_to(folder)): path.stat().st_mtime_ns
            for path in Path(folder).rglob("*")}


def test_probe_finds_the_odoo_this_interpreter_imports():
    found = odoo_setup.probe_odoo(sys.executable)
    assert odoo_setup.is_supported(found)
    assert (Path(found["root"]) / "odoo" / "release.py").is_file()


def test_probe_of_an_interpreter_without_odoo_is_none(python_without_odoo):
    assert odoo_setup.probe_odoo(python_without_odoo) is None
    assert odoo_setup.probe_odoo("/nonexistent/python3") is None


def test_only_odoo_19_is_supported():
    assert odoo_setup.is_supported({"version": [19, 0], "root": "/x"})
    assert not odoo_setup.is_supported({"version": [18, 0], "root": "/x"})
    assert not odoo_setup.is_supported(None)


def test_unreachable_archive_says_how_to_point_at_odoo(isolated):
    with pytest.raises(SetupError, match=r"Could not download Odoo 19\.0") as caught:
        odoo_setup.ensure_odoo()
    assert "AFTERSALES_ODOO_SRC" in str(caught.value)
    assert not (isolated / "venv").exists(), "nothing is half-created"


def test_local_tree_that_is_not_odoo_is_refused(isolated, monkeypatch):
    monkeypatch.setenv("AFTERSALES_ODOO_SRC", str(isolated))
    with pytest.raises(SetupError, match="is not an Odoo source tree"):
        odoo_setup.ensure_odoo()


def test_source_root_is_found_inside_an_archive_folder(tmp_path):
    tree = tmp_path / "odoo-19.0.post20260101"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text("version_info = (19, 0)\n")
    assert odoo_setup.find_source_root(tmp_path) == tree


def test_odoo_requirements_install_from_wheels(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "psycopg2==2.9.5 ; python_version == '3.11'\n"
        "python-ldap==3.4.0 ; sys_platform != 'win32'\n"
        "lxml==4.9.3\n"
    )
    text = odoo_setup.odoo_requirements(tmp_path)
    assert "psycopg2-binary==2.9.5 ; python_version == '3.11'" in text
    assert "python-ldap" not in text
    assert "lxml==4.9.3" in text


def test_no_server_binaries_gives_the_package_to_install(isolated, monkeypatch):
    assert postgres.find_server_bindir([str(isolated)]) is None
    monkeypatch.setattr(postgres, "_default_bindirs", list)
    with pytest.raises(SetupError) as caught:
        postgres.ensure_server_bindir()
    assert "sudo apt-get install postgresql" in str(caught.value)


def test_wrong_server_binaries_folder_is_named(isolated, monkeypatch):
    monkeypatch.setenv("AFTERSALES_PG_BINDIR", str(isolated))
    with pytest.raises(SetupError, match="holds no PostgreSQL server binaries"):
        postgres.ensure_server_bindir()


def test_server_binaries_are_found(tmp_path):
    for name in postgres.SERVER_BINARIES:
        (tmp_path / name).write_text("")
    assert postgres.find_server_bindir(["/nonexistent", str(tmp_path)]) == tmp_path


def test_external_server_from_pg_variables_and_odoo_rc(tmp_path):
    assert postgres.external_server({}) is None
    server = postgres.external_server({"PGHOST": "db.example", "PGPORT": "5433", "PGUSER": "u"})
    assert (server.host, server.port, server.user) == ("db.example", "5433", "u")
    rc = tmp_path / "odoo.conf"
    rc.write_text("[options]\ndb_host = 10.0.0.5\ndb_user = odoo\ndb_password = s3cret\n")
    server = postgres.external_server({"ODOO_RC": str(rc)})
    assert server.odoo_options() == {
        "db_host": "10.0.0.5", "db_port": "False", "db_user": "odoo", "db_password": "s3cret",
    }


def test_package_manager_can_be_forbidden(monkeypatch):
    monkeypatch.setenv(system.NO_SYSTEM_INSTALL, "1")
    assert system.package_manager_command() is None
    with pytest.raises(SetupError, match="sudo apt-get install wkhtmltopdf"):
        system.install_packages(["wkhtmltopdf"], "Rendering PDF reports")


def test_the_test_command_runs_http_cases():
    command = pytest_command("python", "odoo.conf", [])
    assert "--odoo-http" in command
    assert "aftersales_case/tests" in command and "tests" in command


def test_the_test_command_keeps_a_named_target():
    command = pytest_command("python", "odoo.conf", ["-k", "name", "tests/test_launcher.py"])
    assert command[-3:] == ["-k", "name", "tests/test_launcher.py"]


def test_served_odoo_can_start_its_websocket_process_again(tmp_path):
    # With --workers, Odoo starts its websocket process as `python sys.argv[0]
    # gevent`: the command must name a script, not `-m odoo`.
    odoo_root = Path(odoo.release.__file__).resolve().parent.parent
    command = database.odoo_server("python", odoo_root, tmp_path / "odoo.conf", "--workers=4")
    assert command[1] == str(odoo_root / "odoo-bin")
    assert command[2:] == ["server", "-c", str(tmp_path / "odoo.conf"), "--workers=4"]
    # A tree without the script (an installed package) is served as a module.
    assert database.odoo_server("python", tmp_path, "odoo.conf")[1:3] == ["-m", "odoo"]


def _launcher(*args):
    return subprocess.run(
        [sys.executable, str(PROJECT / "aftersales"), *args],
        capture_output=True, text=True, timeout=600, check=False, env=dict(os.environ),
    )


def test_missing_odoo_stops_the_command_with_one_sentence(isolated):
    result = _launcher("test")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("aftersales: Could not download Odoo 19.0")


def test_missing_postgresql_stops_the_command_with_one_sentence(isolated, monkeypatch):
    # Odoo is found (the real venv), then PostgreSQL's binaries are not.
    monkeypatch.delenv("AFTERSALES_PYTHON")
    monkeypatch.delenv("AFTERSALES_VENV")
    monkeypatch.setenv("AFTERSALES_PG_BINDIR", str(isolated / "no-postgres"))
    result = _launcher("test")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("aftersales: AFTERSALES_PG_BINDIR=")


# The three ways Odoo is found ------------------------------------------------

def test_plain_python_importing_odoo_is_used_as_it_is(isolated, monkeypatch, pip_calls):
    # A python3 that is no virtualenv, importing Odoo through PYTHONPATH:
    # its Odoo, not the one of the machine's site-packages, if any.
    odoo_copy = _odoo_copy(isolated, "odoo-on-pythonpath")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(odoo_copy), *REQUIREMENT_FOLDERS]))
    monkeypatch.setenv("AFTERSALES_PYTHON", BASE_PYTHON)
    python, root = odoo_setup.ensure_odoo()
    assert python == str(isolated / "venv" / "bin" / "python")
    assert root == odoo_copy
    assert _sys_path(python, without=isolated / "venv") == _sys_path(BASE_PYTHON)
    assert pip_calls == [
        (python, "the test tools and linters"), (python, "the Odoo addons the bridges work with"),
    ]


def test_virtualenv_odoo_is_seen_through_the_project_venv(isolated, monkeypatch, pip_calls):
    odoo_copy = _odoo_copy(isolated, "odoo-of-the-virtualenv")
    developer = _virtualenv(isolated, odoo_copy, *REQUIREMENT_FOLDERS)
    monkeypatch.setenv("AFTERSALES_PYTHON", developer)
    python, root = odoo_setup.ensure_odoo()
    assert root == odoo_copy
    assert _sys_path(python, without=isolated / "venv") == _sys_path(developer)


def test_virtualenv_seeing_system_packages_is_mirrored_with_them(isolated, monkeypatch, pip_calls):
    # The system's site-packages are left to the virtualenv's own view of them.
    odoo_copy = _odoo_copy(isolated, "odoo-of-the-virtualenv")
    others = [folder for folder in REQUIREMENT_FOLDERS if not folder.startswith(sys.base_prefix)]
    developer = _virtualenv(isolated, odoo_copy, *others, system_site=True)
    monkeypatch.setenv("AFTERSALES_PYTHON", developer)
    python, root = odoo_setup.ensure_odoo()
    assert root == odoo_copy
    assert _sys_path(python, without=isolated / "venv") == _sys_path(developer)


def test_nothing_is_installed_into_the_developer_virtualenv(isolated, monkeypatch, pip_calls):
    developer = _virtualenv(isolated, _odoo_copy(isolated, "odoo"), *REQUIREMENT_FOLDERS)
    before = _tree(isolated / "developer-venv")
    monkeypatch.setenv("AFTERSALES_PYTHON", developer)
    python, _root = odoo_setup.ensure_odoo()
    assert _tree(isolated / "developer-venv") == before
    assert {call_python for call_python, _what in pip_calls} == {python}


def test_virtualenv_lacking_odoo_requirements_is_named(isolated, monkeypatch, pip_calls):
    developer = _virtualenv(isolated, _odoo_copy(isolated, "odoo"))
    monkeypatch.setenv("AFTERSALES_PYTHON", developer)
    with pytest.raises(SetupError, match="cannot import") as caught:
        odoo_setup.ensure_odoo()
    assert f"`{developer} -m pip install -r " in str(caught.value)
    assert not (isolated / "venv").exists(), "a failed venv is not taken for a ready one"
    assert not pip_calls


def test_source_tree_is_linked_into_the_project_venv(isolated, monkeypatch, pip_calls):
    source = _odoo_copy(isolated, "odoo-19.0-source")
    monkeypatch.setenv("AFTERSALES_ODOO_SRC", str(source))
    python, root = odoo_setup.ensure_odoo()
    assert root == source
    assert [what for _python, what in pip_calls] == [
        "Odoo's own requirements", "the test tools and linters", "the Odoo addons the bridges work with",
    ]
    assert "psycopg2-binary" in (isolated / "state" / "odoo-requirements.txt").read_text()
    assert Path(python_env.site_packages(python), "odoo19-source.pth").read_text() == f"{source}\n"


def test_interpreter_that_does_not_run_is_named(isolated, monkeypatch):
    monkeypatch.setenv("AFTERSALES_PYTHON", str(isolated / "no-python"))
    with pytest.raises(SetupError, match="does not run as a Python interpreter"):
        odoo_setup.ensure_odoo()


# Folders, commands and ports -----------------------------------------------

def test_state_folder_that_cannot_be_made_stops_with_one_sentence(isolated, monkeypatch):
    monkeypatch.delenv("AFTERSALES_PYTHON")
    monkeypatch.delenv("AFTERSALES_VENV")
    (isolated / "a-file").write_text("")
    monkeypatch.setenv("AFTERSALES_HOME", str(isolated / "a-file" / "state"))
    result = _launcher("test")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"aftersales: Could not create the folder {isolated / 'a-file' / 'state'}")
    assert "AFTERSALES_HOME" in last


def test_apt_get_finds_dpkg_helpers_in_sbin(monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    folders = system.apt_environment()["PATH"].split(os.pathsep)
    assert folders[:2] == ["/usr/bin", "/bin"]
    assert {"/usr/sbin", "/sbin"} <= set(folders)


@pytest.fixture
def cluster_home():
    """A folder the postgres user can reach (pytest's own tmp folders are root's only)."""
    home = Path(tempfile.mkdtemp(prefix="aftersales-cluster-"))
    home.chmod(0o755)
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def cluster(cluster_home):
    private = postgres.PrivateCluster(postgres.ensure_server_bindir(), cluster_home / "postgres")
    yield private
    private.stop()


def test_private_cluster_starts_without_sbin_on_path(cluster, monkeypatch):
    # As root, the server runs as postgres: without runuser on PATH too.
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    server = cluster.start()
    assert cluster.is_running()
    assert server.port == cluster.port()


def test_private_cluster_takes_another_port_when_its_own_is_taken(cluster, monkeypatch):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = iter([busy, postgres.free_port()])
        monkeypatch.setattr(postgres, "free_port", lambda: next(ports))
        server = cluster.start()
    assert cluster.is_running()
    assert server.port not in (None, busy)
