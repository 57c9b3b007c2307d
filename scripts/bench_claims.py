#!/usr/bin/env python3
"""Dealer claims benchmark: submission checks, automatic adjudication and one
payment run of 10 000 claims, through the ORM.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_claims.py --db claims_bench --claims 10000 --dealers 20

It creates the database (``aftersales_rma`` without demo data) when missing,
then the claims (not timed): ``--dealers`` dealers of a distributor, one serial
with a live warranty registration through its dealer per claim, a rate table
(2 h flat rate, 60 EUR an hour); each claim has a part and the flat-rate labour
(420 EUR), one in ten also a second part (above the automatic amount) and one in
ten the invoice reference of the claim before it (a duplicate). It times, in
batches of ``--batch`` claims with a flush after each:

- the submission with its checks (automatic approval off),
- the automatic adjudication of the submitted claims (clean claims up to
  500 EUR approved),
- one payment run of every approved claim as a finance user (one vendor bill per
  dealer, one line per claim), and the posting of those bills (claims paid).

Everything runs in the server process (no network). It prints seconds; it
asserts nothing. The data is rolled back at the end unless ``--keep`` is given.
"""

import argparse
import time
from datetime import timedelta

from bench_common import (
    add_odoo_arguments,
    add_transaction_arguments,
    load_average,
    run_in_transaction,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="claims_bench")
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--dealers", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1000)
    add_transaction_arguments(parser)
    add_odoo_arguments(parser)
    return parser.parse_args()


def setup(env, count, dealer_count):
    """The claims in draft and a finance user; the company's claim settings."""
    from odoo import Command, fields

    suffix = str(int(time.time()))
    today = fields.Date.context_today(env.user)
    company = env.company
    company.write(
        {
            "aftersales_claim_window_days": 30,
            "aftersales_claim_repeat_days": 90,
            "aftersales_claim_auto_amount": 0.0,
            "aftersales_claim_manager_limit": 0.0,
        }
    )
    eur = env.ref("base.EUR")
    eur.active = True
    germany = env.ref("base.de")
    category = env["product.category"].create({"name": f"Bench Scanners {suffix}"})
    product = env["product.product"].create(
        {
            "name": f"Bench Scanner {suffix}",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "categ_id": category.id,
        }
    )
    part = env["product.product"].create({"name": f"Bench Probe {suffix}"})
    env["aftersales.warranty.policy"].create(
        {
            "name": f"Bench 24 months {suffix}",
            "sequence": 0,
            "duration_months": 24,
            "categ_id": category.id,
            "currency_id": eur.id,
        }
    )
    Rate = env["aftersales.labour.rate"]
    Rate.create({"rate_type": "flat_time", "categ_id": category.id, "hours": 2.0})
    Rate.create(
        {
            "rate_type": "hourly",
            "country_id": germany.id,
            "hourly_rate": 60.0,
            "currency_id": eur.id,
            "sequence": 0,
        }
    )
    Partner = env["res.partner"]
    distributor = Partner.create(
        {
            "name": f"Bench Distributor {suffix}",
            "is_company": True,
            "aftersales_role": "distributor",
            "country_id": germany.id,
        }
    )
    dealers = Partner.create(
        [
            {
                "name": f"Bench Dealer {suffix}-{i:03d}",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": distributor.id,
                "country_id": germany.id,
            }
            for i in range(dealer_count)
        ]
    )
    customer = Partner.create(
        {"name": f"Bench Klinik {suffix}", "country_id": germany.id}
    )
    lots = env["stock.lot"].create(
        [
            {"name": f"BENCH-CLM-{suffix}-{i:06d}", "product_id": product.id}
            for i in range(count)
        ]
    )
    env["aftersales.warranty"].with_context(
        mail_create_nolog=True, mail_notrack=True
    ).create(
        [
            {
                "lot_id": lot.id,
                "partner_id": customer.id,
                "dealer_id": dealers[i % dealer_count].id,
                "delivery_date": today - timedelta(days=100),
                "registration_date": today - timedelta(days=98),
            }
            for i, lot in enumerate(lots)
        ]
    )
    claim_vals = []
    for i, lot in enumerate(lots):
        lines = [
            Command.create(
                {
                    "cost_type": "parts",
                    "product_id": part.id,
                    "quantity": 1,
                    "price_unit": 300.0,
                    "is_causal": True,
                }
            ),
            Command.create({"cost_type": "labour", "name": "Flat rate"}),
        ]
        if i % 10 == 3:
            lines.append(
                Command.create(
                    {"cost_type": "parts", "product_id": part.id, "price_unit": 900.0}
                )
            )
        claim_vals.append(
            {
                "dealer_id": dealers[i % dealer_count].id,
                "lot_id": lot.id,
                "failure_date": today - timedelta(days=10),
                "repair_date": today - timedelta(days=8),
                # one in ten repeats the invoice reference of the claim before it
                "invoice_ref": f"BENCH-{suffix}-{i - 1 if i % 10 == 7 else i}",
                "line_ids": lines,
            }
        )
    claims = (
        env["aftersales.claim"]
        .with_context(mail_create_nolog=True, mail_notrack=True)
        .create(claim_vals)
    )
    finance = env["res.users"].create(
        {
            "name": f"Bench Finance {suffix}",
            "login": f"bench_claim_finance_{suffix}",
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("aftersales_rma.aftersales_group_finance").id,
                        env.ref("account.group_account_invoice").id,
                    ]
                )
            ],
        }
    )
    return claims, finance


def timed(env, label, records, batch, method):
    """Call ``method(chunk)`` on ``records`` in chunks of ``batch``, a flush
    after each; print and return the seconds."""
    start = time.perf_counter()
    for index in range(0, len(records), batch):
        method(records[index : index + batch])
        env.flush_all()
    seconds = time.perf_counter() - start
    rate = len(records) / seconds if seconds else float("inf")
    print(f"{label:<34} {seconds:8.2f} s  ({len(records)} claims, {rate:.0f}/s)")
    return seconds


def bench(env, claims, finance, batch):
    print(f"claims: {len(claims)}, dealers: {len(claims.dealer_id)}, batch: {batch}")
    load_before = load_average()
    timed(env, "submission checks", claims, batch, lambda c: c.action_submit())
    flagged = claims.filtered("suspicious")
    print(f"  flagged suspicious: {len(flagged)}")
    env.company.aftersales_claim_auto_amount = 500.0
    submitted = claims.filtered(lambda c: c.state == "submitted")
    timed(env, "automatic adjudication", submitted, batch, lambda c: c._auto_approve())
    approved = claims.filtered(lambda c: c.state == "approved")
    print(f"  approved automatically: {len(approved)} of {len(submitted)}")
    approved = approved.with_user(finance)
    start = time.perf_counter()
    bills = approved.action_create_bills()
    env.flush_all()
    paid_in = time.perf_counter() - start
    print(
        f"{'payment run (one call)':<34} {paid_in:8.2f} s  ({len(approved)} claims, "
        f"{len(bills)} bills)"
    )
    start = time.perf_counter()
    bills.action_post()
    env.flush_all()
    posted = time.perf_counter() - start
    paid = sum(1 for state in approved.mapped("state") if state == "paid")
    print(f"{'posting the bills':<34} {posted:8.2f} s  ({paid} claims paid)")
    load_after = load_average()
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")


def main():
    args = parse_args()
    run_in_transaction(
        args,
        "aftersales_rma",
        lambda env: setup(env, args.claims, args.dealers),
        lambda env, prepared: bench(env, *prepared, args.batch),
    )


if __name__ == "__main__":
    main()
