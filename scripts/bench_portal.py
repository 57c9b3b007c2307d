#!/usr/bin/env python3
"""Portal benchmark: ``/my/tickets`` for a distributor admin and a dealer, and
the public warranty check, over HTTP against a started server.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_portal.py --db bench_portal --tickets 100000 --dealers 200 --http-port 8069

It creates the database (``aftersales_portal`` without demo data) when missing,
bulk-loads with SQL a three-level network (a top distributor, sub-distributors,
``--dealers`` dealers), end customers and ``--tickets`` tickets spread over the
dealers, with a portal login for the top distributor's admin and for one dealer's
staff (login = password), starts Odoo on ``--http-port`` and times ``--requests``
GETs of each page from a client (median and p95, milliseconds). It prints numbers;
it asserts nothing.
"""  # noqa: E501 (the usage line, kept as is)

import argparse
import statistics
import subprocess
import sys
import time

import requests
from bench_common import (
    _db_options,
    add_odoo_arguments,
    ensure_database,
    load_average,
    odoo_setup,
)

SUB_DISTRIBUTORS = 10
CUSTOMERS = 1000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_portal")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--dealers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--http-port", type=int, default=8069)
    add_odoo_arguments(parser)
    return parser.parse_args()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _portal_user(env, login, partner, admin=False):
    user = env["res.users"].search([("login", "=", login)])
    if user:
        return user
    contact = env["res.partner"].create(
        {"name": login, "parent_id": partner.id, "aftersales_portal_admin": admin}
    )
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "login": login,
                "password": login,
                "partner_id": contact.id,
                "groups_id": [(6, 0, env.ref("base.group_portal").ids)],
            }
        )
    )


def bulk_load(env, tickets, dealers):
    """The network with the ORM (paths computed by Odoo), the tickets with SQL."""
    cr = env.cr
    Partner = env["res.partner"]
    top = Partner.search([("name", "=", "Bench Top Distributor")], limit=1)
    if not top:
        top = Partner.create(
            {
                "name": "Bench Top Distributor",
                "is_company": True,
                "aftersales_role": "distributor",
            }
        )
        subs = Partner.create(
            [
                {
                    "name": f"Bench Sub {index:02d}",
                    "is_company": True,
                    "aftersales_role": "distributor",
                    "aftersales_upstream_id": top.id,
                }
                for index in range(SUB_DISTRIBUTORS)
            ]
        )
        Partner.create(
            [
                {
                    "name": f"Bench Dealer {index:03d}",
                    "is_company": True,
                    "aftersales_role": "dealer",
                    "aftersales_upstream_id": subs[index % SUB_DISTRIBUTORS].id,
                }
                for index in range(dealers)
            ]
        )
        Partner.create(
            [
                {"name": f"Bench Clinic {index:04d}", "is_company": True}
                for index in range(CUSTOMERS)
            ]
        )
    dealer_records = Partner.search([("name", "=like", "Bench Dealer %")], order="id")
    dealer = dealer_records[0]
    _portal_user(env, "bench_distributor", top, admin=True)
    _portal_user(env, "bench_dealer", dealer)
    cr.execute("SELECT count(*) FROM aftersales_ticket WHERE subject LIKE 'Bench %%'")
    existing = cr.fetchone()[0]
    if existing < tickets:
        started = time.perf_counter()
        company = env.ref("base.main_company")
        stage = env.ref("aftersales_service.stage_new")
        cr.execute(
            """
            WITH dealers AS (
                SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, aftersales_path
                  FROM res_partner WHERE name LIKE 'Bench Dealer %%'
            ), customers AS (
                SELECT row_number() OVER (ORDER BY id) - 1 AS n, id
                  FROM res_partner WHERE name LIKE 'Bench Clinic %%'
            )
            INSERT INTO aftersales_ticket (
                name, subject, company_id, partner_id, dealer_id, dealer_path,
                distributor_id, channel, priority, stage_id, is_closed, active,
                sla_state, create_uid, write_uid, create_date, write_date)
            SELECT 'BT' || lpad(g::text, 7, '0'), 'Bench fault ' || g,
                   %(company)s, c.id, d.id, d.aftersales_path, %(top)s, 'dealer', '1',
                   %(stage)s, false, true,
                   CASE WHEN g %% 10 = 0 THEN 'at_risk' ELSE 'on_track' END,
                   1, 1, now() - (g || ' minutes')::interval, now()
              FROM generate_series(%(first)s, %(last)s) g
              JOIN dealers d ON d.n = g %% %(dealers)s
              JOIN customers c ON c.n = g %% %(customers)s
            """,
            {
                "company": company.id,
                "top": top.id,
                "stage": stage.id,
                "first": existing + 1,
                "last": tickets,
                "dealers": len(dealer_records),
                "customers": CUSTOMERS,
            },
        )
        cr.execute("ANALYZE aftersales_ticket")
        print(
            f"loaded {tickets - existing} tickets in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    env["ir.config_parameter"].set_param(
        "aftersales_portal.warranty_rate_limit", "1000000"
    )
    cr.commit()
    cr.execute(
        "SELECT count(*) FROM aftersales_ticket WHERE dealer_id = %s", [dealer.id]
    )
    return cr.fetchone()[0]


def start_server(odoo, args):
    command = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        args.db,
        "--db-filter",
        f"^{args.db}$",
        "--http-port",
        str(args.http_port),
        "--max-cron-threads",
        "0",
        "--workers",
        "0",
        "--log-level",
        "warn",
        "--addons-path",
        odoo.tools.config["addons_path"],
    ]
    server = subprocess.Popen(command + _db_options(args))
    url = f"http://127.0.0.1:{args.http_port}"
    for _attempt in range(120):
        try:
            requests.get(f"{url}/web/login", timeout=120)
            return server, url
        except requests.RequestException:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the server did not start")


def timed(session, url, count):
    times = []
    for _index in range(count):
        started = time.perf_counter()
        response = session.get(url, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        if not response.ok:
            print(response.status_code, response.url, response.text[:500])
        response.raise_for_status()
    return times


def report(label, times):
    print(
        f"{label:<40} median {statistics.median(times):7.1f} ms   "
        f"p95 {percentile(times, 0.95):7.1f} ms   ({len(times)} requests)",
        flush=True,
    )


def main():
    args = parse_args()
    odoo = odoo_setup(args)
    ensure_database(odoo, args, "aftersales_portal")
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        dealer_tickets = bulk_load(env, args.tickets, args.dealers)
        cr.execute("SELECT name FROM stock_lot LIMIT 1")
        serial = (cr.fetchone() or ["UNKNOWN-SERIAL"])[0]
    print(
        f"{args.tickets} tickets, {args.dealers} dealers "
        f"({dealer_tickets} tickets for the dealer); load average "
        f"{load_average():.2f}",
        flush=True,
    )
    server, url = start_server(odoo, args)
    try:  # the server stops however the run ends
        for login, label in (
            ("bench_distributor", "/my/tickets, distributor admin"),
            ("bench_dealer", "/my/tickets, dealer staff"),
        ):
            session = requests.Session()
            session.post(
                f"{url}/web/session/authenticate",
                json={"params": {"db": args.db, "login": login, "password": login}},
                timeout=60,
            ).raise_for_status()
            timed(session, f"{url}/my/tickets", 5)  # warm-up
            report(label, timed(session, f"{url}/my/tickets", args.requests))
        public = requests.Session()
        timed(public, f"{url}/warranty?serial={serial}", 5)
        report(
            "/warranty?serial=, public",
            timed(public, f"{url}/warranty?serial={serial}", args.requests),
        )
        print(f"load average {load_average():.2f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
