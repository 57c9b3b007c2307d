"""What the benchmark scripts share: Odoo's options, the benchmark database.

The scripts run with the Python of the Odoo environment, from any directory
(``python scripts/bench_x.py``): this file sits beside them on ``sys.path``.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def add_odoo_arguments(parser):
    """--odoo-addons, --db-host and --db-user (libpq's PGHOST/PGUSER by default)."""
    parser.add_argument(
        "--odoo-addons", default=None, help="Odoo's own addons directory"
    )
    parser.add_argument("--db-host", default=os.environ.get("PGHOST"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER"))


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
    config.parse_config(options + _db_options(args))
    return odoo


def ensure_database(odoo, args, module):
    """Create ``args.db`` with ``module`` installed (no demo data) if it is missing."""
    import odoo.service.db

    if odoo.service.db.exp_db_exist(args.db):
        return
    print(f"creating database {args.db} with {module} (no demo data)...", flush=True)
    command = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        args.db,
        "-i",
        module,
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
        "--addons-path",
        odoo.tools.config["addons_path"],
    ]
    subprocess.run(command + _db_options(args), check=True)


def load_average():
    """The 1-minute load average of the machine (NaN where unknown)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")
