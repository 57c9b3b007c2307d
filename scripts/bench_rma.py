#!/usr/bin/env python3
"""RMA benchmark: RMAs created from 1 000 tickets through the ORM.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_rma.py --db rmacore_bench --tickets 1000 --batch 100

It creates the database (``aftersales_rma`` without demo data) when missing, then
creates the tickets (a serial-tracked product, one serial and one warranty
registration each; not timed), and times ``action_create_rma`` on batches of
tickets as a service agent does from the ticket list (select, "Create RMAs"),
with one commit per batch, then the submission (auto-approval rule of the
template) of the RMAs in the same batches. Everything runs in the server process
as a service user (no network). It prints numbers; it asserts nothing. The data
is rolled back at the end unless ``--keep`` is given.
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
    parser.add_argument("--db", default="rmacore_bench")
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    add_transaction_arguments(parser)
    add_odoo_arguments(parser)
    return parser.parse_args()


def setup(env, count):
    """Tickets with a product, a serial and a live warranty registration."""
    from odoo import Command

    suffix = str(int(time.time()))
    product = env["product.product"].create(
        {
            "name": f"Bench Scanner {suffix}",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "list_price": 900.0,
        }
    )
    country = env.ref("base.de")
    env["aftersales.rma.template"].create(
        {
            "name": f"Bench DE {suffix}",
            "sequence": 0,
            "country_ids": [Command.set(country.ids)],
            "auto_approve": True,
            "auto_approve_warranty_only": False,
            "auto_approve_max_amount": 5000.0,
        }
    )
    partner = env["res.partner"].create(
        {"name": f"Bench Klinikum {suffix}", "country_id": country.id}
    )
    lots = env["stock.lot"].create(
        [
            {"name": f"BENCH-RMA-{suffix}-{i:06d}", "product_id": product.id}
            for i in range(count)
        ]
    )
    tickets = (
        env["aftersales.ticket"]
        .with_context(mail_create_nolog=True, mail_notrack=True)
        .create(
            [
                {
                    "subject": f"Bench fault {i}",
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                }
                for i, lot in enumerate(lots)
            ]
        )
    )
    agent = env["res.users"].create(
        {
            "name": f"Bench Agent {suffix}",
            "login": f"bench_rma_agent_{suffix}",
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("aftersales_service.aftersales_group_user").id,
                    ]
                )
            ],
        }
    )
    return tickets, agent


def bench(env, tickets, agent, batch, commit):
    tickets = tickets.with_user(agent)
    rmas = env["aftersales.rma"]
    load_before = load_average()
    start = time.perf_counter()
    for index in range(0, len(tickets), batch):
        chunk = tickets[index : index + batch]
        chunk.action_create_rma()
        env.flush_all()
        if commit:
            env.cr.commit()
        rmas |= chunk.rma_ids
    created = time.perf_counter() - start
    start = time.perf_counter()
    for index in range(0, len(rmas), batch):
        rmas[index : index + batch].with_user(agent).action_submit()
        env.flush_all()
        if commit:
            env.cr.commit()
    submitted = time.perf_counter() - start
    load_after = load_average()
    approved = sum(1 for state in rmas.mapped("state") if state == "approved")
    print(f"tickets: {len(tickets)}, batch: {batch}")
    print(
        f"create RMAs from tickets: {created:.2f} s, {len(rmas) / created:.1f} RMAs/s"
    )
    print(
        f"submit (auto-approval):   {submitted:.2f} s, "
        f"{len(rmas) / submitted:.1f} RMAs/s ({approved} approved)"
    )
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")


def main():
    args = parse_args()
    run_in_transaction(
        args,
        "aftersales_rma",
        lambda env: setup(env, args.tickets),
        lambda env, prepared: bench(env, *prepared, args.batch, args.keep),
    )


if __name__ == "__main__":
    main()
