"""End-to-end test harness: a real Odoo 18 server, used as a client would.

For the session, this:
  1. drops and re-creates the database E2E_DB by installing E2E_MODULES with
     demo data (``scripts/odoo -d E2E_DB -i ... --stop-after-init``), unless
     E2E_REUSE_DB=1 and the database already exists;
  2. starts ``scripts/odoo`` on a free port of 127.0.0.1 (``--db-filter`` to that
     database, no cron threads), waits until /web/health answers;
  3. stops the server at the end and drops the database (unless E2E_KEEP_DB=1).
The servers' logs go to E2E_LOG_DIR (e2e-install.log, e2e-server.log);
scripts/test counts any ERROR/CRITICAL line in them as a failure.

Variables: E2E_DB (aftersales_e2e), E2E_MODULES (comma-separated; default: every
addon in ADDONS_DIRS or addons/), E2E_LOG_DIR (.test-logs), E2E_REUSE_DB,
E2E_KEEP_DB, E2E_HTTP_PORT (default: a free port), E2E_START_TIMEOUT (seconds,
180), E2E_INSTALL_TIMEOUT (seconds, 3600); and those of scripts/odoo-env.sh
(ODOO_PATH, PGHOST, ...).

Fixtures: ``odoo_server`` (url, db, login, password), ``rpc`` (an XML-RPC client
logged in as admin), ``http`` (a requests session on the server's url).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import xmlrpc.client
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
ODOO = REPO_ROOT / "scripts" / "odoo"
ADMIN_LOGIN = ADMIN_PASSWORD = (
    "admin"  # what Odoo gives a database created with demo data
)


def _discover_modules():
    """Addon names in ADDONS_DIRS (',' or ':' separated; default: addons/)."""
    dirs = re.split(r"[,:]", os.environ.get("ADDONS_DIRS") or str(REPO_ROOT / "addons"))
    names = set()
    for d in filter(None, dirs):
        for manifest in Path(d).glob("*/__manifest__.py"):
            if not re.search(
                r"[\"']installable[\"']\s*:\s*False", manifest.read_text()
            ):
                names.add(manifest.parent.name)
    return sorted(names)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(sql):
    """Run SQL on the 'postgres' database with the PG* settings scripts/odoo uses."""
    env = {
        "PGHOST": "127.0.0.1",
        "PGPORT": "5432",
        "PGUSER": "odoo",
        **os.environ,
    }
    out = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", sql],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _db_exists(db):
    return _psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"


def _drop_db(db):
    _psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    data_dir = os.environ.get("ODOO_DATA_DIR") or Path(
        os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share", "Odoo"
    )
    shutil.rmtree(Path(data_dir, "filestore", db), ignore_errors=True)


class OdooServer:
    """Where the server listens and how to log in."""

    def __init__(self, url, db, modules, process, log_path):
        self.url = url
        self.db = db
        self.modules = modules
        self.login = ADMIN_LOGIN
        self.password = ADMIN_PASSWORD
        self.process = process
        self.log_path = log_path

    def xmlrpc(self, service):
        return xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/{service}", allow_none=True
        )


class RpcClient:
    """Minimal XML-RPC client.

    ``rpc("res.partner", "search_read", [[]], fields=["name"])``
    """

    def __init__(self, server, login=ADMIN_LOGIN, password=ADMIN_PASSWORD):
        self.server = server
        self.db = server.db
        self.password = password
        self.uid = server.xmlrpc("common").authenticate(server.db, login, password, {})
        assert self.uid, f"cannot log in as {login} on {server.db}"
        self.models = server.xmlrpc("object")

    def __call__(self, model, method, args=(), **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="session")
def odoo_server():
    db = os.environ.get("E2E_DB", "aftersales_e2e")
    modules = os.environ.get("E2E_MODULES") or ",".join(_discover_modules())
    assert modules, "no addon to install"
    log_dir = Path(os.environ.get("E2E_LOG_DIR") or REPO_ROOT / ".test-logs")
    log_dir.mkdir(parents=True, exist_ok=True)

    if not (os.environ.get("E2E_REUSE_DB") == "1" and _db_exists(db)):
        _drop_db(db)
        with open(log_dir / "e2e-install.log", "w") as log:
            install = subprocess.run(
                [
                    ODOO,
                    "-d",
                    db,
                    "-i",
                    modules,
                    "--stop-after-init",
                    "--max-cron-threads=0",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=int(os.environ.get("E2E_INSTALL_TIMEOUT", "3600")),
                check=False,
            )
        assert install.returncode == 0, (
            f"installing {modules} failed, see {log_dir / 'e2e-install.log'}"
        )

    port = int(os.environ.get("E2E_HTTP_PORT") or 0) or _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "e2e-server.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [
            ODOO,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            "--http-port",
            str(port),
            "--max-cron-threads=0",
            "--workers=0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: teardown stops all of it
    )
    server = OdooServer(url, db, modules.split(","), process, log_path)
    try:
        deadline = time.monotonic() + int(os.environ.get("E2E_START_TIMEOUT", "180"))
        while True:
            assert process.poll() is None, (
                f"the Odoo server exited with {process.returncode}, see {log_path}"
            )
            # The HTTP socket opens before the registry of the database is
            # loaded, and a request served meanwhile sees a half-built registry:
            # ask only once the server has logged that its registry is loaded.
            if "Registry loaded in" in log_path.read_text(errors="replace"):
                try:
                    if requests.get(f"{url}/web/health", timeout=30).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass
            assert time.monotonic() < deadline, (
                f"the Odoo server did not answer on {url}, see {log_path}"
            )
            time.sleep(1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        if os.environ.get("E2E_KEEP_DB") != "1":
            _drop_db(db)


@pytest.fixture(scope="session")
def rpc(odoo_server):
    return RpcClient(odoo_server)


@pytest.fixture
def http(odoo_server):
    with requests.Session() as session:
        session.base_url = odoo_server.url
        yield session
