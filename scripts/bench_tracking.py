#!/usr/bin/env python3
"""Tracking benchmark: one poll cycle of the tracking cron over N open shipments
against the local 17TRACK-style server
(addons/aftersales_rma/tools/track17_stub_server.py).

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_tracking.py --db rmaship_bench --shipments 5000

It creates the database (``aftersales_rma`` without demo data) when missing,
starts the local server on 127.0.0.1 with one number per shipment, creates the
RMAs, tickets and shipments, then times full poll cycles, each made of the
cron's own calls (``_cron_poll_shipments``, its batch size read from the code,
40 numbers per HTTP call) until nothing is due:

1. first cycle: register every number, fetch, store 2 events per shipment,
   status change to in transit, posted on shipment, RMA and ticket;
2. steady cycle: the same numbers again, nothing new;
3. update cycle: one new event per shipment (out for delivery);
4. delivered cycle: delivered everywhere; half of the legs face the customer
   and send the delivered email.

Everything runs in one transaction that is rolled back at the end (the cron
commits between calls; that cost is not in the figures). It prints numbers;
it asserts nothing.
"""

import argparse
import time

from bench_common import (
    add_odoo_arguments,
    cron_batch_size,
    ensure_database,
    odoo_setup,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="rmaship_bench")
    parser.add_argument("--shipments", type=int, default=5000)
    parser.add_argument("--per-rma", type=int, default=10, help="shipments per RMA")
    parser.add_argument(
        "--no-delivered", action="store_true", help="skip the email cycle"
    )
    add_odoo_arguments(parser)
    return parser.parse_args()


def load(env, server, count, per_rma):
    started = time.perf_counter()
    provider = env["aftersales.tracking.provider"].create(
        {
            "name": "Bench 17TRACK",
            "provider_type": "track17",
            "api_url": server.url,
            "api_key": server.api_key,
            "webhook_secret": "bench",
            "sequence": 0,
        }
    )
    product = env["product.product"].create({"name": "Bench probe", "type": "consu"})
    rma_count = (count + per_rma - 1) // per_rma
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {index}", "email": f"bench{index}@example.com"}
            for index in range(rma_count)
        ]
    )
    tickets = env["aftersales.ticket"].create(
        [
            {"subject": f"Bench fault {index}", "partner_id": partner.id}
            for index, partner in enumerate(partners)
        ]
    )
    rmas = env["aftersales.rma"].create(
        [
            {
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "line_ids": [(0, 0, {"product_id": product.id})],
            }
            for ticket in tickets
        ]
    )
    vals_list = []
    for index in range(count):
        number = f"BENCH{index:07d}"
        server.add_number(
            number,
            [
                ("2026-11-20T08:00:00Z", "InfoReceived", None, "Label", "Shenzhen"),
                ("2026-11-21T08:00:00Z", "InTransit", None, "Picked up", "Shenzhen"),
            ],
            estimated_delivery="2026-11-30T18:00:00Z",
        )
        rma = rmas[index // per_rma]
        vals_list.append(
            {
                "rma_id": rma.id,
                "partner_id": rma.partner_id.id,
                "direction": "hub_to_customer" if index % 2 else "hub_to_repair",
                "provider_id": provider.id,
                "tracking_ref": number,
            }
        )
    shipments = env["aftersales.shipment"].create(vals_list)
    env.cr.flush()  # the tickets' pending work (stage emails) is not ours to time
    print(
        f"loaded {rma_count} tickets and RMAs, {count} shipments in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return provider, shipments


def cycle(env, server, shipments, label):
    Provider = env["aftersales.tracking.provider"]
    env.cr.execute(
        "UPDATE aftersales_shipment SET tracking_next_poll = now() at time zone 'utc'"
        " WHERE id = ANY(%s)",
        [shipments.ids],
    )
    env.invalidate_all()
    calls_before = len(server.requests_log)
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    calls = 0
    while Provider._cron_poll_shipments():
        env.flush_all()
        calls += 1
    elapsed = time.perf_counter() - started
    env.invalidate_all()
    http_calls = len(server.requests_log) - calls_before
    batch = cron_batch_size(Provider._cron_poll_shipments)
    print(
        f"{label}: {elapsed:.2f} s for {len(shipments)} shipments "
        f"({calls} cron calls of {batch}, {http_calls} HTTP calls, "
        f"{env.cr.sql_log_count - queries_before} queries, "
        f"{elapsed / len(shipments) * 1000:.2f} ms per shipment)",
        flush=True,
    )
    return elapsed


def main():
    args = parse_args()
    odoo = odoo_setup(args)
    ensure_database(odoo, args, "aftersales_rma")
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    from odoo.addons.aftersales_rma.tools.track17_stub_server import TrackingServer

    registry = Registry(args.db)
    with TrackingServer(api_key="bench-17token") as server, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _provider, shipments = load(env, server, args.shipments, args.per_rma)
        cycle(env, server, shipments, "first cycle (register, 2 events, status)")
        cycle(env, server, shipments, "steady cycle (nothing new)")
        for number in server.numbers:
            server.add_event(
                number,
                ("2026-11-22T08:00:00Z", "OutForDelivery", None, "Courier", "Köln"),
            )
        cycle(env, server, shipments, "update cycle (1 event, status)")
        if not args.no_delivered:
            for number in server.numbers:
                server.add_event(
                    number,
                    ("2026-11-23T08:00:00Z", "Delivered", None, "Delivered", "Köln"),
                )
            cycle(env, server, shipments, "delivered cycle (half send an email)")
        delivered = env["aftersales.shipment"].search_count(
            [("id", "in", shipments.ids), ("status", "=", "delivered")]
        )
        print(f"{delivered} delivered; rolling back", flush=True)
        cr.rollback()


if __name__ == "__main__":
    main()
