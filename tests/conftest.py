"""End-to-end test harness: a real Odoo 18 server, used as a client would.

For the session, this:
  1. drops and re-creates the database E2E_DB by installing E2E_MODULES with
     demo data (``scripts/odoo -d E2E_DB -i ... --stop-after-init``), unless
     E2E_REUSE_DB=1 and the database already exists;
  2. starts ``scripts/odoo`` on a free port of 127.0.0.1 (``--db-filter`` to that
     database, no cron threads), waits until its registry is loaded and
     /web/health answers;
  3. stops the server at the end and drops the database (unless E2E_KEEP_DB=1).
Databases and the server come from scripts/odoo_harness.py, which the
benchmarks use too.
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
from pathlib import Path

import odoo_harness  # scripts/odoo_harness.py (pyproject.toml: pythonpath)
import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent

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


# the helpers this file had before it used odoo_harness, for tests that import them
_free_port = odoo_harness.free_port
_psql = odoo_harness.psql
_db_exists = odoo_harness.db_exists
_drop_db = odoo_harness.drop_db


class OdooServer:
    """Where the server listens and how to log in."""

    def __init__(self, started, modules):
        self.url = started.url
        self.db = started.db
        self.modules = modules
        self.login = ADMIN_LOGIN
        self.password = ADMIN_PASSWORD
        self.process = started.process
        self.log_path = started.log_path
        self.xmlrpc = started.xmlrpc


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

    if not (os.environ.get("E2E_REUSE_DB") == "1" and odoo_harness.db_exists(db)):
        odoo_harness.drop_db(db)
        with open(log_dir / "e2e-install.log", "w") as log:
            status = odoo_harness.install(
                db,
                modules,
                log=log,
                timeout=int(os.environ.get("E2E_INSTALL_TIMEOUT", "3600")),
            )
        assert status == 0, (
            f"installing {modules} failed, see {log_dir / 'e2e-install.log'}"
        )

    try:
        with odoo_harness.server(
            db,
            log_dir / "e2e-server.log",
            port=int(os.environ.get("E2E_HTTP_PORT") or 0),
            timeout=int(os.environ.get("E2E_START_TIMEOUT", "180")),
        ) as started:
            yield OdooServer(started, modules.split(","))
    finally:
        if os.environ.get("E2E_KEEP_DB") != "1":
            odoo_harness.drop_db(db)


@pytest.fixture(scope="session")
def rpc(odoo_server):
    return RpcClient(odoo_server)


@pytest.fixture
def http(odoo_server):
    with requests.Session() as session:
        session.base_url = odoo_server.url
        yield session
