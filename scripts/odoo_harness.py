"""Databases and Odoo servers for the benchmarks (scripts/bench_*.py) and the
end-to-end tests (tests/conftest.py): one way to create, copy and drop a
database, install addons, and start a real Odoo server and wait until it
serves.

Standard library only, and Odoo is not imported: the end-to-end tests use it
before any Odoo is loaded. Odoo runs in a child process, started with
``command``: ``scripts/odoo`` (this repository's addons path and database
settings, see scripts/odoo-env.sh) unless a benchmark passes the interpreter and
options of the Odoo it has loaded itself (bench_common.odoo_command).

PostgreSQL: libpq's PGHOST, PGPORT and PGUSER (127.0.0.1, 5432, odoo by
default, as scripts/odoo-env.sh), read by psql, createdb, dropdb and Odoo.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPTS_ODOO = [str(REPO / "scripts" / "odoo")]
PG_DEFAULTS = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "odoo"}
# What makes a server ready: its registry loaded (logged at INFO by this
# logger, whatever the log level), then /web/health answering. The HTTP socket
# opens before the registry is loaded, and a request served meanwhile sees a
# half-built registry.
READY_LOG_HANDLER = "odoo.modules.registry:INFO"
READY_LINE = "Registry loaded in"


def pg_env():
    """The environment for psql/createdb/dropdb and Odoo: PG* with defaults."""
    return {**PG_DEFAULTS, **os.environ}


def psql(sql, database="postgres"):
    """Run one SQL statement with psql and return its output, stripped."""
    out = subprocess.run(
        ["psql", "-d", database, "-tAc", sql],
        env=pg_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _sql_str(value):
    return "'" + value.replace("'", "''") + "'"


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = {_sql_str(name)}") == "1"


def data_dir():
    """Odoo's data directory (filestore), as scripts/odoo-env.sh sets it."""
    if os.environ.get("ODOO_DATA_DIR"):
        return Path(os.environ["ODOO_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base, "Odoo")


def filestore(name):
    return data_dir() / "filestore" / name


def drop_db(name):
    """Drop a database (ending its connections) and its filestore."""
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(filestore(name), ignore_errors=True)


def copy_db(source, target, wait=120):
    """``createdb -T source target`` and the filestore. Retried while another
    session is connected to the source (those sessions are never ended)."""
    drop_db(target)
    deadline = time.monotonic() + wait
    while True:
        result = subprocess.run(
            ["createdb", "-T", source, target],
            env=pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            break
        if (
            "being accessed by other users" not in result.stderr
            or time.monotonic() > deadline
        ):
            raise RuntimeError(
                f"createdb -T {source} {target} failed: {result.stderr.strip()}"
            )
        time.sleep(2)
    if filestore(source).is_dir():
        shutil.copytree(filestore(source), filestore(target))


def install(name, modules, command=None, log=None, demo=True, timeout=None):
    """Create or update database ``name`` with ``modules`` installed
    (``-i modules --stop-after-init``, no cron thread). ``log``: an open file for
    Odoo's output (default: inherited). Returns the exit status."""
    args = [
        *(command or SCRIPTS_ODOO),
        "-d",
        name,
        "-i",
        modules if isinstance(modules, str) else ",".join(modules),
        "--stop-after-init",
        "--max-cron-threads=0",
    ]
    if not demo:
        args.append("--without-demo=all")
    if log is None:
        args.append("--log-level=warn")
    return subprocess.run(
        args,
        env=pg_env(),
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
        timeout=timeout,
        check=False,
    ).returncode


def free_port(wanted=0):
    """``wanted`` when it is free (0: any free port of 127.0.0.1), else an error."""
    with socket.socket() as sock:
        # as the server will: a port left in TIME_WAIT by a previous run is free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", wanted))
        return sock.getsockname()[1]


class OdooServer:
    """A started Odoo server: where it listens, its process and its log."""

    def __init__(self, url, db, port, process, log_path):
        self.url = url
        self.db = db
        self.port = port
        self.process = process
        self.log_path = log_path

    def xmlrpc(self, service):
        return xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/{service}", allow_none=True
        )


def _wait_ready(process, log_path, url, timeout):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"the Odoo server exited with {process.returncode}, see {log_path}"
            )
        if READY_LINE in Path(log_path).read_text(errors="replace"):
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=30) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the Odoo server did not answer on {url}, see {log_path}"
            )
        time.sleep(0.5)


def _stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def server(db, log_path, command=None, port=0, timeout=180, extra=()):
    """Start Odoo serving only ``db`` on 127.0.0.1:``port`` (0: a free port),
    one process (``--workers=0``), no cron thread, its output in ``log_path``;
    yield an OdooServer once it serves, stop it (its whole process group) at
    the end."""
    port = free_port(port)
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                *(command or SCRIPTS_ODOO),
                "-d",
                db,
                f"--db-filter=^{db}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--max-cron-threads=0",
                "--workers=0",
                f"--log-handler={READY_LOG_HANDLER}",
                *extra,
            ],
            env=pg_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: _stop ends all of it
        )
        try:
            _wait_ready(process, log_path, url, timeout)
            yield OdooServer(url, db, port, process, log_path)
        finally:
            _stop(process)
