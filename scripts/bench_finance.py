#!/usr/bin/env python3
"""Finance benchmark: the cost roll-up of the reconciliation over 100 000 cases.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_finance.py --db bench_finance --cases 100000

It creates the database (``aftersales_rma`` without demo data) when missing, then
loads the cases in bulk with SQL (not timed): ``--cases`` tickets over 12 months,
teams and products, each with ``--lines`` cost lines (parts, labour, travel,
freight; payers warranty, customer, dealer, supplier) in company currency, one in
ten with a dealer claim approved or paid. It then times, as a finance user, what
the *Reconciliation* menu and its export do on ``aftersales.finance.report``:
the pivot's roll-up by month (``read_group``), by team and product, the list's
first page with its count, a month's rows read as the Excel export reads them,
and the Excel export of that month (``_xlsx_content``). It prints numbers; it
asserts nothing. The data is rolled back at the end unless ``--keep`` is given.
"""

import argparse
import time

from bench_common import (
    add_odoo_arguments,
    add_transaction_arguments,
    load_average,
    run_in_transaction,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_finance")
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--lines", type=int, default=4, help="cost lines per case")
    parser.add_argument("--repeat", type=int, default=5)
    add_transaction_arguments(parser, profile=False)
    add_odoo_arguments(parser)
    return parser.parse_args()


def setup(env, cases, lines):
    """Teams, products, a dealer, the cases, their cost lines and claims."""
    from odoo.tests import new_test_user

    company = env.company
    suffix = str(int(time.time()))
    teams = env["aftersales.team"].create(
        [{"name": f"Bench team {suffix} {i}"} for i in range(4)]
    )
    products = env["product.product"].create(
        [{"name": f"Bench scanner {suffix} {i}", "type": "consu"} for i in range(10)]
    )
    dealer = env["res.partner"].create(
        {"name": f"Bench dealer {suffix}", "aftersales_role": "dealer"}
    )
    finance = new_test_user(
        env,
        login=f"bench_finance_{suffix}",
        groups="aftersales_rma.aftersales_group_finance",
    )
    env.flush_all()
    cr = env.cr
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO aftersales_ticket
               (name, subject, company_id, channel, priority, active, team_id,
                product_id, dealer_id, create_date, write_date)
        SELECT 'BENCH-' || n, 'Bench case ' || n, %(company)s, 'phone', '1', TRUE,
               (%(teams)s)[1 + n %% 4], (%(products)s)[1 + n %% 10], %(dealer)s,
               now() - (n %% 365) * interval '1 day', now()
          FROM generate_series(1, %(cases)s) AS n
        RETURNING id
        """,
        {
            "company": company.id,
            "teams": teams.ids,
            "products": products.ids,
            "dealer": dealer.id,
            "cases": cases,
        },
    )
    ticket_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO aftersales_cost_line
               (name, company_id, ticket_id, team_id, date, cost_type, payer,
                currency_id, amount, amount_company, quantity, product_id)
        SELECT 'Bench cost', t.company_id, t.id, t.team_id,
               t.create_date::date + k,
               (ARRAY['parts', 'labour', 'travel', 'freight'])[1 + k %% 4],
               (ARRAY['warranty', 'customer', 'dealer', 'supplier'])
                   [1 + (t.id + k) %% 4],
               %(currency)s, 10 + (t.id * 7 + k * 13) %% 500,
               10 + (t.id * 7 + k * 13) %% 500, 1, t.product_id
          FROM aftersales_ticket t, generate_series(0, %(lines)s - 1) AS k
         WHERE t.id = ANY(%(tickets)s)
        """,
        {"currency": company.currency_id.id, "lines": lines, "tickets": ticket_ids},
    )
    cr.execute(
        """
        INSERT INTO aftersales_claim
               (name, company_id, dealer_id, ticket_id, failure_date, repair_date,
                state, currency_id, amount_claimed, amount_approved,
                amount_approved_company, part_return_state, suspicious)
        SELECT 'BENCH-CLM-' || t.id, t.company_id, t.dealer_id, t.id,
               t.create_date::date, t.create_date::date,
               CASE WHEN t.id %% 20 = 0 THEN 'paid' ELSE 'approved' END,
               %(currency)s, 150, 120, 120, 'none', FALSE
          FROM aftersales_ticket t
         WHERE t.id = ANY(%(tickets)s) AND t.id %% 10 = 0
        """,
        {"currency": company.currency_id.id, "tickets": ticket_ids},
    )
    cr.execute("ANALYZE aftersales_ticket")
    cr.execute("ANALYZE aftersales_cost_line")
    cr.execute("ANALYZE aftersales_claim")
    env.invalidate_all()
    print(
        f"  loaded {len(ticket_ids)} cases, {len(ticket_ids) * lines} cost lines "
        f"in {time.perf_counter() - started:.1f} s (not timed)",
        flush=True,
    )
    return finance, teams


def timed(label, repeat, func):
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - started)
    runs.sort()
    print(
        f"  {label:<46} median {runs[len(runs) // 2] * 1000:8.1f} ms, "
        f"best {runs[0] * 1000:8.1f} ms",
        flush=True,
    )
    return result


def bench(env, finance, teams, repeat):
    from datetime import timedelta

    from odoo import fields

    env = env(user=finance)
    Report = env["aftersales.finance.report"]
    measures = [
        "cost_total:sum",
        "cost_warranty:sum",
        "invoiced:sum",
        "claim_approved:sum",
        "recovered:sum",
        "difference:sum",
    ]
    load = load_average()
    groups = timed(
        "pivot by month (read_group)",
        repeat,
        lambda: Report.read_group([], measures, ["date:month"], lazy=False),
    )
    timed(
        "pivot by team x product (read_group)",
        repeat,
        lambda: Report.read_group(
            [("team_id", "in", teams.ids)],
            measures,
            ["team_id", "product_id"],
            lazy=False,
        ),
    )
    timed(
        "list: first 80 rows and the count",
        repeat,
        lambda: (
            Report.search_read([], ["ticket_id", "cost_total", "difference"], limit=80),
            Report.search_count([]),
        ),
    )
    today = fields.Date.context_today(Report)
    start = today - timedelta(days=30)
    rows = timed(
        "a month's rows (search, read)",
        repeat,
        lambda: Report.search([("date", ">=", start), ("date", "<=", today)]).read(
            ["cost_total", "difference"]
        ),
    )
    wizard = env["aftersales.finance.export.wizard"].create(
        {"date_from": start, "date_to": today}
    )
    content = timed(
        "Excel export of that month (_xlsx_content)",
        max(1, repeat // 2),
        wizard._xlsx_content,
    )
    total = sum(group["cost_total"] for group in groups)
    print(
        f"  {len(groups)} months, total cost {total:,.0f}; a month: {len(rows)} "
        f"cases, workbook {len(content) / 1024:.0f} KiB; load {load:.2f} -> "
        f"{load_average():.2f}",
        flush=True,
    )


def main():
    args = parse_args()
    run_in_transaction(
        args,
        "aftersales_rma",
        lambda env: setup(env, args.cases, args.lines),
        lambda env, prepared: bench(env, *prepared, args.repeat),
    )


if __name__ == "__main__":
    main()
