"""The launcher's detection: a missing Odoo or PostgreSQL gives one clear sentence."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from launcher import odoo_setup, postgres, system
from launcher.errors import SetupError
from launcher.main import pytest_command

PROJECT = Path(__file__).resolve().parent.parent


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
