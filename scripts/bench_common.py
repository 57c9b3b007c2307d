"""What the benchmark scripts share: Odoo's options, the benchmark database,
an environment on a database, a started server, the crons' batch sizes.

The scripts run with the Python of the Odoo environment, from any directory
(``python scripts/bench_x.py``): this file sits beside them on ``sys.path``.
Creating, copying and dropping databases and starting a server are those of
odoo_harness.py, which the end-to-end tests (tests/conftest.py) use too; here
they run the Odoo this process has loaded, with its addons path.
"""

import contextlib
import inspect
import os
import sys
import tempfile
import time
from pathlib import Path

import odoo_harness

REPO = Path(__file__).resolve().parent.parent


def add_odoo_arguments(parser):
    """--odoo-addons, --db-host and --db-user (libpq's PGHOST, and PGUSER or
    the project's role odoo, by default)."""
    parser.add_argument(
        "--odoo-addons", default=None, help="Odoo's own addons directory"
    )
    parser.add_argument("--db-host", default=os.environ.get("PGHOST"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "odoo"))


def _db_options(args):
    options = []
    if args.db_host:
        options += ["--db_host", args.db_host]
    if args.db_user:
        options += ["-r", args.db_user]
    return options


def odoo_setup(args):
    """Configure Odoo for ``args.db`` with Odoo's addons and this repository's."""
    import odoo
    from odoo.tools import config

    odoo_addons = args.odoo_addons or str(Path(odoo.__file__).parent / "addons")
    options = ["--addons-path", f"{odoo_addons},{REPO / 'addons'}", "-d", args.db]
    config.parse_config(
        options + _db_options(args) + ["--log-level=warn", "--max-cron-threads=0"]
    )
    # psql, createdb and the Odoo processes started for us use the same server
    if args.db_host:
        os.environ["PGHOST"] = args.db_host
    if args.db_user:
        os.environ["PGUSER"] = args.db_user
    return odoo


def odoo_command():
    """The command that starts the Odoo this process has loaded, with its
    addons path and database options (for odoo_harness)."""
    from odoo.tools import config

    command = [sys.executable, "-m", "odoo", "--addons-path", config["addons_path"]]
    if config.get("db_host"):
        command += ["--db_host", config["db_host"]]
    if config.get("db_user"):
        command += ["--db_user", config["db_user"]]
    return command


def close_db(name):
    """Forget this process's registry and connections of database ``name``."""
    import odoo.sql_db
    from odoo.modules.registry import Registry

    Registry.delete(name)
    odoo.sql_db.close_db(name)


def drop_db(name):
    close_db(name)
    odoo_harness.drop_db(name)


def copy_db(source, target):
    close_db(target)
    close_db(source)
    odoo_harness.copy_db(source, target)


def install(name, module, demo=True):
    """Install ``module`` into database ``name`` (created if missing)."""
    started = time.perf_counter()
    status = odoo_harness.install(name, module, command=odoo_command(), demo=demo)
    if status:
        raise RuntimeError(f"installing {module} into {name} failed ({status})")
    seconds = time.perf_counter() - started
    print(f"  installed {module} in {name} in {seconds:.0f} s", flush=True)


def ensure_database(odoo, args, module):
    """Create ``args.db`` with ``module`` installed (no demo data) if it is missing."""
    if odoo_harness.db_exists(args.db):
        return
    print(f"creating database {args.db} with {module} (no demo data)...", flush=True)
    install(args.db, module, demo=False)


@contextlib.contextmanager
def environment(name, uid=None, context=None):
    """An Odoo environment on database ``name`` (superuser by default), in a
    cursor of its own: commit explicitly, the rest is rolled back."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(name).cursor() as cr:
        yield api.Environment(cr, uid or SUPERUSER_ID, context or {})


@contextlib.contextmanager
def server(name, port=0):
    """A real Odoo server on database ``name`` (odoo_harness.server, warnings
    only in its log); the log is removed when the server stopped cleanly."""
    close_db(name)
    handle, log_path = tempfile.mkstemp(prefix=f"{name}_server_", suffix=".log")
    os.close(handle)
    with odoo_harness.server(
        name, log_path, command=odoo_command(), port=port, extra=["--log-level=warn"]
    ) as started:
        yield started
    if started.process.returncode in (0, -15):
        with contextlib.suppress(OSError):
            os.unlink(log_path)


def cron_batch_size(method):
    """The default ``batch_size`` of a cron method: the code decides, the
    benchmarks only read it."""
    parameter = inspect.signature(method).parameters.get("batch_size")
    if parameter is None or parameter.default is inspect.Parameter.empty:
        raise RuntimeError(f"{method.__qualname__} has no default batch_size")
    return parameter.default


def run_cron(name, model, method_name):
    """Call a cron method as the cron worker does, a commit after each call,
    until a call takes fewer records than its batch size. Returns a dict of
    seconds (wall), cpu_seconds (this process), calls and records."""
    calls, seconds, records = 0, 0.0, 0
    cpu_started = time.process_time()
    while True:
        with environment(name) as env:
            method = getattr(env[model], method_name)
            batch = cron_batch_size(method)
            started = time.perf_counter()
            done = method()
            env.cr.commit()
            seconds += time.perf_counter() - started
        calls += 1
        records += len(done)
        if len(done) < batch:
            break
    return {
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu_started,
        "calls": calls,
        "records": records,
        "batch_size": batch,
    }


def load_average():
    """The 1-minute load average of the machine (NaN where unknown)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def add_transaction_arguments(parser, profile=True):
    """The options of a benchmark run by run_in_transaction()."""
    parser.add_argument("--keep", action="store_true", help="commit the data")
    if profile:
        parser.add_argument("--profile", help="write a cProfile of the timed part here")


def run_in_transaction(args, module, setup, bench):
    """The body of a benchmark measured in one transaction of ``args.db``
    (created with ``module`` when missing, see ensure_database): ``setup(env)``
    prepares the data, not timed (committed with ``--keep``), then
    ``bench(env, prepared)`` measures (profiled into ``--profile`` when the script
    has that option); everything is rolled back unless ``--keep``."""
    odoo = odoo_setup(args)
    ensure_database(odoo, args, module)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        prepared = setup(env)
        env.flush_all()
        print(f"set-up (not timed below): {time.perf_counter() - started:.1f} s")
        if args.keep:
            cr.commit()
        profile = getattr(args, "profile", None)
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        bench(env, prepared)
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        if args.keep:
            cr.commit()
        else:
            cr.rollback()
