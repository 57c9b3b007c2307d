#!/usr/bin/env python3
"""Insight benchmark: the After-Sales dashboard's queries over a million tickets
beside the same raw SQL, the quality-alert cron, and a 10 000-unit campaign.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_insight.py --db bench_insight --tickets 1000000 --units 10000

It creates the database (``aftersales_spreadsheet_dashboard`` without demo data)
when missing, or copies ``--template`` into it; bulk-loads the tickets with SQL
(``BENCH-0000001``... spread over 12 months, the teams, countries, products,
stages, SLA results and ratings; loaded once, reused by the next run), then
times, inside the process (no network):

- every pivot and chart of the dashboard (its JSON, read by
  tools/spreadsheet_queries.py): the ``read_group`` calls the web client makes,
  through the ORM as a service manager (record rules, display names), each
  beside the same aggregate in plain SQL on the report's view; with the default
  filter (last 180 days) and with every filter set (a team, a country, a
  product);
- the quality-alert cron (``_cron_check_failure_rates``);
- a campaign of ``--units`` registered serials: launching it (its units found)
  and the campaign cron run until every ticket exists.

It prints numbers; it asserts nothing. Figures: the median of ``--repeat`` runs,
the ORM cache emptied before each.
"""  # noqa: E501 (the usage line, kept as is)

import argparse
import json
import statistics
import time
from datetime import datetime, timedelta

import odoo_harness
from bench_common import (
    add_odoo_arguments,
    close_db,
    copy_db,
    ensure_database,
    load_average,
    odoo_setup,
)

MODULE = "aftersales_spreadsheet_dashboard"
DASHBOARD = f"{MODULE}.spreadsheet_dashboard_aftersales"
ROW = "{name:<44} {calls:>5} {orm:>9} {raw:>9} {ratio:>7} {rows:>6}"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_insight")
    parser.add_argument(
        "--template", help="a database with the addons, copied when --db is missing"
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=10_000, help="campaign units")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file")
    add_odoo_arguments(parser)
    return parser.parse_args()


def _ids(env, model, limit, domain=()):
    return env[model].search(list(domain), limit=limit, order="id").ids


def bulk_load(env, count):
    """``count`` bench tickets (``BENCH-...``), loaded by SQL in one statement,
    their ids in the order of their creation dates as in a real database."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM aftersales_ticket WHERE name LIKE 'BENCH-%%'")
    existing = cr.fetchone()[0]
    if existing >= count:
        print(f"{existing} bench tickets already loaded", flush=True)
        return
    company = env.ref("base.main_company")
    teams = _ids(env, "aftersales.team", 10)
    if len(teams) < 3:
        for name in ("Bench Shanghai", "Bench Hamburg", "Bench Dubai"):
            env["aftersales.team"].create({"name": name})
        teams = _ids(env, "aftersales.team", 10)
    countries = _ids(env, "res.country", 20, [("code", "in", COUNTRIES)])
    products = _ids(env, "product.product", 20, [("default_code", "=like", "BI-%")])
    if len(products) < 20:
        env["product.product"].create(
            [
                {"name": f"Bench device {i:02d}", "default_code": f"BI-{i:02d}"}
                for i in range(len(products), 20)
            ]
        )
        products = _ids(env, "product.product", 20, [("default_code", "=like", "BI-%")])
    partners = _ids(env, "res.partner", 200, [("is_company", "=", True)])
    users = _ids(env, "res.users", 10, [("share", "=", False)])
    stages = {stage.id: stage for stage in env["aftersales.stage"].search([])}
    open_stages = [s.id for s in stages.values() if not s.is_closed]
    closed = env.ref("aftersales_service.stage_closed").id
    cancelled = env.ref("aftersales_service.stage_cancelled").id
    started = time.perf_counter()
    cr.execute("SELECT setseed(0.42)")
    cr.execute(
        """
        INSERT INTO aftersales_ticket (
            company_id, name, subject, channel, priority, team_id, user_id,
            partner_id, country_id, product_id, stage_id, is_closed, create_date,
            write_date, close_date, first_response_date, sla_state,
            rating_last_value, response_hours, response_working_hours,
            resolution_hours, resolution_working_hours, reopen_count,
            reassign_count, active, ack_pending, assign_digest_pending,
            create_uid, write_uid)
        SELECT %(company)s, 'BENCH-' || lpad(g::text, 7, '0'), 'Bench ticket ' || g,
               (ARRAY['email','phone','portal','dealer','api'])[1 + g %% 5],
               (1 + (g %% 7 = 0)::int)::text,
               (%(teams)s::int[])[1 + (r2 * 1000)::int %% %(n_teams)s],
               (%(users)s::int[])[1 + g %% %(n_users)s],
               (%(partners)s::int[])[1 + g %% %(n_partners)s],
               (%(countries)s::int[])[1 + (r3 * 977)::int %% %(n_countries)s],
               (%(products)s::int[])[1 + (r4 * 991)::int %% %(n_products)s],
               stage, stage != ALL(%(open)s::int[]),
               created, created, CASE WHEN stage = %(closed)s
                   THEN created + r2 * interval '10 days' END,
               created + r3 * interval '20 hours',
               CASE WHEN stage = %(cancelled)s THEN 'cancelled'
                    WHEN stage != %(closed)s THEN 'on_track'
                    WHEN r3 < 0.86 THEN 'met' ELSE 'failed' END,
               CASE WHEN stage = %(closed)s AND r4 < 0.45
                   THEN (ARRAY[5,5,5,5,4,4,4,3,2,1])[1 + (r4 / 0.45 * 10)::int %% 10]
                   ELSE 0 END,
               r3 * 20, r3 * 8,
               CASE WHEN stage = %(closed)s THEN r2 * 240 END,
               CASE WHEN stage = %(closed)s THEN r2 * 80 END,
               (r4 > 0.93)::int, (r1 > 0.9)::int, true, false, false, 1, 1
          FROM (
            SELECT g, r1, r2, r3, r4, created,
                   CASE WHEN r1 < CASE WHEN created > now() - interval '30 days'
                                       THEN 0.6 ELSE 0.03 END
                        THEN (%(open)s::int[])[1 + (r2 * 997)::int %% %(n_open)s]
                        WHEN r1 > 0.97 THEN %(cancelled)s
                        ELSE %(closed)s END AS stage
              FROM (
                SELECT g, random() AS r1, random() AS r2, random() AS r3,
                       random() AS r4,
                       (now() AT TIME ZONE 'UTC') - random() * interval '365 days'
                           AS created
                  FROM generate_series(%(first)s, %(last)s) g
              ) rnd
          ) x
         ORDER BY created
        """,
        {
            "company": company.id,
            "teams": teams,
            "n_teams": len(teams),
            "users": users,
            "n_users": len(users),
            "partners": partners,
            "n_partners": len(partners),
            "countries": countries,
            "n_countries": len(countries),
            "products": products,
            "n_products": len(products),
            "open": open_stages,
            "n_open": len(open_stages),
            "closed": closed,
            "cancelled": cancelled,
            "first": existing + 1,
            "last": count,
        },
    )
    cr.execute("ANALYZE aftersales_ticket")
    cr.commit()
    print(
        f"loaded {count - existing} tickets in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


COUNTRIES = ["DE", "FR", "IT", "ES", "GB", "US", "AE", "SA", "IN", "BR", "CN", "AU"]


def manager(env):
    user = env["res.users"].search([("login", "=", "bench_insight_manager")])
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Service Manager",
                "login": "bench_insight_manager",
                "groups_id": [
                    (4, env.ref("aftersales_service.aftersales_group_manager").id)
                ],
            }
        )
        env.cr.commit()
    return user


def raw_sql(env, model, domain, measures, groupby):
    """The same aggregate in plain SQL on the model's view: the domain's leaves
    (=, !=, in, >=, <) and the company rule, grouped by the columns (months
    truncated in UTC), the measures by their fields' aggregators."""
    Model = env[model]
    columns, group_columns = ["count(*)"], []
    for name in groupby:
        field, _sep, granularity = name.partition(":")
        column = f"date_trunc('{granularity}', {field})" if granularity else field
        columns.append(column)
        group_columns.append(column)
    for name in measures:
        columns.append(f"{Model._fields[name].aggregator}({name})")
    where, params = ["company_id = ANY(%s)"], [env.companies.ids]
    for field, operator, value in domain:
        if operator == "in":
            where.append(f"{field} = ANY(%s)")
            params.append(list(value))
        else:
            where.append(f"{field} {operator} %s")
            params.append(value)
    query = (
        f"SELECT {', '.join(columns)} FROM {Model._table} WHERE {' AND '.join(where)}"
    )
    if group_columns:
        query += f" GROUP BY {', '.join(group_columns)}"
    return query, params


def timed(function, repeat):
    seconds = []
    for _i in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def bench_call(env, repeat, source, call, label):
    """One read_group call of the dashboard through the ORM, and its raw SQL."""
    domain, measures, groupby = call
    Report = env[source["model"]]

    def orm():
        Report.env.invalidate_all()
        return Report.read_group(domain, measures, groupby, lazy=False)

    def raw():
        env.cr.execute(*raw_sql(env, source["model"], domain, measures, groupby))
        return env.cr.fetchall()

    orm_s, orm_rows = timed(orm, repeat)
    raw_s, raw_rows = timed(raw, repeat)
    name = source["name"] or "chart"
    name = f"{name} [{', '.join(groupby) or 'total'}]"
    if len(orm_rows) != len(raw_rows):
        print(f"  ! {name}: {len(orm_rows)} ORM rows, {len(raw_rows)} in SQL")
    print(
        ROW.format(
            name=name[:44],
            calls=1,
            orm=f"{orm_s:.3f}",
            raw=f"{raw_s:.3f}",
            ratio=f"{orm_s / raw_s:.2f}x",
            rows=len(orm_rows),
        ),
        flush=True,
    )
    return {
        "source": name,
        "orm": orm_s,
        "raw": raw_s,
        "rows": len(orm_rows),
        "filters": label,
    }


def bench_dashboard(env, repeat, label, values):
    from odoo.addons.aftersales_spreadsheet_dashboard.tools.spreadsheet_queries import (  # noqa: E501
        data_sources,
        read_group_calls,
    )

    doc = json.loads(env.ref(DASHBOARD).spreadsheet_data)
    results = []
    print(f"\n{label}  (load {load_average():.2f})")
    print(
        ROW.format(
            name="source",
            calls="calls",
            orm="ORM s",
            raw="SQL s",
            ratio="ratio",
            rows="rows",
        )
    )
    for source in data_sources(doc):
        # one line per read_group call: a pivot's total, then each level of rows
        for call in read_group_calls(source, values):
            results.append(bench_call(env, repeat, source, call, label))
    total_orm = sum(r["orm"] for r in results)
    total_raw = sum(r["raw"] for r in results)
    print(
        ROW.format(
            name="whole dashboard (sequential)",
            calls=len(results),
            orm=f"{total_orm:.3f}",
            raw=f"{total_raw:.3f}",
            ratio=f"{total_orm / total_raw:.2f}x",
            rows="",
        )
    )
    return results


def bench_alert_cron(env):
    Alert = env["aftersales.quality.alert"]
    started = time.perf_counter()
    Alert._cron_check_failure_rates()
    seconds = time.perf_counter() - started
    env.cr.rollback()
    print(f"\nquality-alert cron: {seconds:.2f} s (load {load_average():.2f})")
    return seconds


def load_units(env, units):
    """A product with ``units`` serials registered to owners (SQL), for the
    campaign."""
    cr = env.cr
    product = env["product.product"].search([("default_code", "=", "BI-RECALL")])
    if not product:
        product = env["product.product"].create(
            {
                "name": "Bench recall unit",
                "default_code": "BI-RECALL",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
    policy = env["aftersales.warranty.policy"].search(
        [("name", "=", "Bench 24 months")], limit=1
    ) or env["aftersales.warranty.policy"].create(
        {"name": "Bench 24 months", "duration_months": 24}
    )
    owners = env["res.partner"].search([("name", "=like", "Bench owner %")])
    if not owners:
        owners = env["res.partner"].create(
            [
                {
                    "name": f"Bench owner {i}",
                    "email": f"owner{i}@bench.example",
                    "lang": "en_US",
                }
                for i in range(50)
            ]
        )
    cr.execute("SELECT count(*) FROM stock_lot WHERE product_id = %s", [product.id])
    existing = cr.fetchone()[0]
    company = env.ref("base.main_company").id
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                               create_date, write_date)
        SELECT 'BI-R-' || lpad(g::text, 6, '0'), %(product)s, %(company)s, 1, 1,
               now(), now()
          FROM generate_series(%(first)s, %(last)s) g
        """,
        {
            "product": product.id,
            "company": company,
            "first": existing + 1,
            "last": units,
        },
    )
    cr.execute(
        """
        INSERT INTO aftersales_warranty (
            company_id, lot_id, product_id, partner_id, policy_id, registration_date,
            delivery_date, date_start, date_end, parts_coverage, labour_coverage,
            travel_coverage, extension_months, late_registration, state, source,
            create_uid, write_uid, create_date, write_date)
        SELECT %(company)s, lot.id, lot.product_id,
               (%(owners)s::int[])[1 + lot.id %% %(n_owners)s], %(policy)s,
               current_date - 100, current_date - 100, current_date - 100,
               current_date + 630, 100, 100, 0, 0, false, 'active', 'import',
               1, 1, now(), now()
          FROM stock_lot lot
         WHERE lot.product_id = %(product)s
           AND NOT EXISTS (SELECT 1 FROM aftersales_warranty w WHERE w.lot_id = lot.id)
        """,
        {
            "company": company,
            "owners": owners.ids,
            "n_owners": len(owners),
            "policy": policy.id,
            "product": product.id,
        },
    )
    cr.commit()
    return product


def bench_campaign(env, units):
    product = load_units(env, units)
    Campaign = env["aftersales.campaign"]
    campaign = Campaign.create(
        {
            "name": f"Bench recall {datetime.now():%H%M%S}",
            "kind": "recall",
            "product_id": product.id,
        }
    )
    env.cr.commit()
    started = time.perf_counter()
    campaign.action_launch()
    env.cr.commit()
    launch = time.perf_counter() - started
    print(
        f"\ncampaign: launched with {len(campaign.unit_ids)} units in {launch:.2f} s",
        flush=True,
    )
    calls, created, cron_s = 0, 0, 0.0
    while True:
        started = time.perf_counter()
        done = Campaign._cron_create_campaign_tickets()
        env.cr.commit()
        cron_s += time.perf_counter() - started
        calls += 1
        created += done
        if not done:
            break
    rate = created / cron_s if cron_s else 0
    print(
        f"campaign cron: {created} tickets in {calls} calls, {cron_s:.1f} s "
        f"({rate:.0f} tickets/s, load {load_average():.2f})"
    )
    return {"launch": launch, "cron": cron_s, "tickets": created, "calls": calls}


def main():
    args = parse_args()
    odoo = odoo_setup(args)
    if args.template and not odoo_harness.db_exists(args.db):
        print(f"copying {args.template} to {args.db}...", flush=True)
        copy_db(args.template, args.db)
    ensure_database(odoo, args, MODULE)
    close_db(args.db)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    figures = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        bulk_load(env, args.tickets)
        manager_env = env(user=manager(env))
        doc = json.loads(env.ref(DASHBOARD).spreadsheet_data)
        filters = {f["label"]: f["id"] for f in doc["globalFilters"]}
        today = datetime.combine(datetime.now().date(), datetime.min.time())
        period = (today - timedelta(days=179), today + timedelta(days=1))
        cr.execute(
            "SELECT team_id, country_id, product_id FROM aftersales_ticket"
            " WHERE name LIKE 'BENCH-%%' LIMIT 1"
        )
        team, country, product = cr.fetchone()
        figures["default"] = bench_dashboard(
            manager_env,
            args.repeat,
            "period: last 180 days",
            {filters["Period"]: period},
        )
        month = (today - timedelta(days=29), today + timedelta(days=1))
        figures["month"] = bench_dashboard(
            manager_env,
            args.repeat,
            "period: last 30 days",
            {filters["Period"]: month},
        )
        figures["filtered"] = bench_dashboard(
            manager_env,
            args.repeat,
            "period, team, country and product",
            {
                filters["Period"]: period,
                filters["Team"]: [team],
                filters["Country"]: [country],
                filters["Product"]: [product],
            },
        )
        figures["alert_cron"] = bench_alert_cron(env)
        if args.units:
            figures["campaign"] = bench_campaign(env, args.units)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
