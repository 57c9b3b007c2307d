#!/usr/bin/env python3
"""Spare part requests benchmark: sourcing and confirmation, the customer's
acceptance and the validated transfers of 1 000 part requests, through the ORM.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_parts.py --db parts_bench --requests 1000 --batch 100

It creates the database (``aftersales_rma`` without demo data) when missing,
then, not timed: six source warehouses (a central warehouse in China, a bonded
warehouse in Germany, two dealers' consignment stocks in Nigeria and Kenya, a
service warehouse in Lagos and an engineer's van in Nigeria), 20 spare parts with
a vendor (one of them in no warehouse: it is bought), their stock (a
consignment stock also holds another dealer's and the brand's own parts, which
its requests must not take), one ticket per request (customers in Nigeria,
Germany, China and Kenya; one in three not covered: the customer pays) and the
requests in draft (one or two lines; one in seven resupplies the Lagos service
warehouse, one in ten is the engineer's, delivered from his van). It times, in
batches of ``--batch`` requests with a flush after each:

- **sourcing + confirmation** (``action_confirm`` as a service user): the
  sourcing rule, the quotations of the chargeable requests, the procurement of
  the others (deliveries, inter-warehouse resupplies, purchases, reservation of
  the right owner's quants) and the shipment legs;
- **customer acceptance** (``action_customer_accepted``) of the chargeable
  requests: the quotation confirmed and the parts procured;
- **resupply legs**: the validation of the legs out of the source warehouses,
  then of their receipts in the service warehouses;
- **deliveries**: the validation of the ready deliveries to the customers, each
  recording its parts cost lines (valuation, or the product's cost for a
  dealer's consigned part).

Everything runs in the server process (no network). It prints seconds and
rates; it asserts nothing. The data is rolled back at the end unless ``--keep``
is given.
"""

import argparse
import time

from bench_common import (
    add_odoo_arguments,
    add_transaction_arguments,
    load_average,
    run_in_transaction,
)

PARTS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="parts_bench")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    add_transaction_arguments(parser)
    add_odoo_arguments(parser)
    return parser.parse_args()


def _warehouses(env, suffix, engineer):
    Warehouse = env["stock.warehouse"]
    Warehouse.search([("aftersales_part_source", "=", True)]).write(
        {"aftersales_part_source": False}
    )
    Partner = env["res.partner"]
    dealers = Partner.create(
        [
            {"name": f"Bench Dealer {name} {suffix}", "is_company": True}
            for name in ("Abuja", "Nairobi")
        ]
    )
    specs = [
        ("central", "base.cn", 12, "Shanghai", {}),
        ("bonded", "base.de", 5, "Hamburg", {}),
        ("consignment", "base.ng", 2, "Abuja", {"aftersales_owner_id": dealers[0].id}),
        (
            "consignment",
            "base.ke",
            3,
            "Nairobi",
            {"aftersales_owner_id": dealers[1].id},
        ),
        ("service", "base.ng", 1, "Lagos", {}),
        ("van", "base.ng", 1, "Van", {"aftersales_engineer_id": engineer.id}),
    ]
    partners = Partner.create(
        [
            {"name": f"Bench {name} {suffix}", "country_id": env.ref(country).id}
            for _kind, country, _days, name, _extra in specs
        ]
    )
    code = suffix[-3:]
    return (
        Warehouse.create(
            [
                dict(
                    {
                        "name": f"Bench {name} {suffix}",
                        "code": f"{name[:1]}{index}{code}",
                        "partner_id": partner.id,
                        "aftersales_part_source": True,
                        "aftersales_source_kind": kind,
                        "aftersales_lead_days": days,
                        "aftersales_source_sequence": index,
                    },
                    **extra,
                )
                for index, ((kind, _country, days, name, extra), partner) in enumerate(
                    zip(specs, partners, strict=True)
                )
            ]
        ),
        dealers,
    )


def setup(env, count):
    """The warehouses, the parts and their stock, the tickets, the requests in
    draft and the service user."""
    from odoo import Command

    suffix = str(int(time.time()))
    user_groups = [
        env.ref("base.group_user").id,
        env.ref("aftersales_service.aftersales_group_user").id,
    ]
    Users = env["res.users"].with_context(no_reset_password=True)
    agent = Users.create(
        {
            "name": f"Bench Agent {suffix}",
            "login": f"bench_parts_agent_{suffix}",
            "groups_id": [Command.set(user_groups)],
        }
    )
    engineer = Users.create(
        {
            "name": f"Bench Engineer {suffix}",
            "login": f"bench_parts_engineer_{suffix}",
            "groups_id": [Command.set(user_groups)],
        }
    )
    warehouses, dealers = _warehouses(env, suffix, engineer)
    central, bonded, abuja, nairobi, lagos, van = warehouses
    vendor = env["res.partner"].create(
        {"name": f"Bench Parts Vendor {suffix}", "is_company": True}
    )
    parts = env["product.product"].create(
        [
            {
                "name": f"Bench Part {suffix}-{i:02d}",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0 + 10 * i,
                "standard_price": 40.0 + 4 * i,
                "seller_ids": [
                    Command.create({"partner_id": vendor.id, "price": 35.0 + 4 * i})
                ],
            }
            for i in range(PARTS)
        ]
    )
    Quant = env["stock.quant"]
    stock = []  # (warehouse, part, quantity, owner)
    for i, part in enumerate(parts[: PARTS - 1]):  # the last part is bought
        stock.append((central, part, count, None))
        if i < 10:
            stock.append((bonded, part, count // 4, None))
        if i < 5:
            stock.append((abuja, part, count // 10, dealers[0]))
            stock.append((abuja, part, count, dealers[1]))  # not Abuja's dealer's
            stock.append((abuja, part, count, None))  # the brand's, not consigned
        if 5 <= i < 10:
            stock.append((nairobi, part, count // 10, dealers[1]))
        if i < 3:
            stock.append((van, part, count // 20, None))
    for warehouse, part, quantity, owner in stock:
        Quant._update_available_quantity(
            part, warehouse.lot_stock_id, quantity, owner_id=owner
        )
    countries = [env.ref(c) for c in ("base.ng", "base.ng", "base.de", "base.cn")]
    countries.append(env.ref("base.ke"))
    customers = env["res.partner"].create(
        [
            {"name": f"Bench Hospital {suffix}-{c.code}", "country_id": c.id}
            for c in countries
        ]
    )
    quiet = {"mail_create_nolog": True, "mail_notrack": True, "tracking_disable": True}
    tickets = (
        env["aftersales.ticket"]
        .with_context(**quiet)
        .create(
            [
                {
                    "subject": f"Bench part fault {i}",
                    "partner_id": customers[i % len(customers)].id,
                }
                for i in range(count)
            ]
        )
    )
    tickets.filtered(lambda t: t.id % 3 == 0).warranty_decision = "chargeable"
    tickets.filtered(lambda t: t.id % 3 != 0).warranty_decision = "covered"
    vals_list = []
    for i, ticket in enumerate(tickets):
        lines = [Command.create({"product_id": parts[i % PARTS].id, "quantity": 1})]
        if i % 4 == 1:
            lines.append(
                Command.create({"product_id": parts[(i * 7) % PARTS].id, "quantity": 2})
            )
        vals = {"ticket_id": ticket.id, "user_id": agent.id, "line_ids": lines}
        if i % 10 == 5:
            vals["user_id"] = engineer.id  # his van delivers
        elif i % 7 == 0:
            vals["service_warehouse_id"] = lagos.id
        vals_list.append(vals)
    requests = env["aftersales.part.request"].with_context(**quiet).create(vals_list)
    return requests, agent


def timed(env, label, records, batch, method, unit="requests"):
    """Call ``method(chunk)`` on ``records`` in chunks of ``batch``, a flush
    after each; print the seconds, the rate and the queries per record, return
    the seconds."""
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    for index in range(0, len(records), batch):
        method(records[index : index + batch])
        env.flush_all()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    rate = len(records) / seconds if seconds else float("inf")
    per = queries / len(records) if records else 0
    print(
        f"{label:<26} {seconds:8.2f} s  ({len(records)} {unit}, {rate:.1f}/s, "
        f"{per:.0f} queries each)"
    )
    return seconds


def validate(pickings):
    """Validate ready transfers as a warehouse user does: every reserved
    quantity picked, a backorder for the rest (a request's other part still on
    its way)."""
    pickings.move_ids.filtered(lambda m: m.quantity).picked = True
    result = pickings.with_context(skip_backorder=True).button_validate()
    if isinstance(result, dict):
        raise RuntimeError(f"validation asks {result.get('res_model')}")


def _ready(requests, where):
    pickings = requests.move_ids.picking_id.filtered(
        lambda p: p.state == "assigned" and where(p)
    )
    return pickings.sorted("id")


def bench(env, requests, agent, batch):
    lines = requests.line_ids
    print(
        f"requests: {len(requests)} ({len(lines)} lines), batch: {batch}, "
        f"source warehouses: {len(lines._source_candidates())}"
    )
    load_before = load_average()
    timed(
        env,
        "sourcing + confirmation",
        requests,
        batch,
        lambda chunk: chunk.with_user(agent).action_confirm(),
    )
    by_sourcing = {}
    for line in lines:
        key = (line.sourcing, line.warehouse_id.aftersales_source_kind or "-")
        by_sourcing[key] = by_sourcing.get(key, 0) + 1
    print(
        "  lines by sourcing: "
        + ", ".join(f"{s}/{k} {n}" for (s, k), n in sorted(by_sourcing.items()))
    )
    charged = requests.filtered(lambda r: r.state == "to_approve")
    timed(
        env,
        "customer acceptance",
        charged,
        batch,
        lambda chunk: chunk.with_user(agent).action_customer_accepted(),
    )
    print(
        f"  pickings: {len(requests.move_ids.picking_id)}, "
        f"purchase orders: {len(requests._purchase_orders())}, "
        f"shipments: {len(requests.shipment_ids)}"
    )
    legs = _ready(requests, lambda p: p.location_dest_id.usage == "transit")
    timed(env, "resupply legs out", legs, batch, validate, "transfers")
    receipts = _ready(
        requests,
        lambda p: p.location_id.usage == "transit"
        and p.picking_type_code == "incoming",
    )
    timed(env, "resupply receipts", receipts, batch, validate, "transfers")
    deliveries = _ready(requests, lambda p: p.location_dest_id.usage == "customer")
    Cost = env["aftersales.cost.line"]
    before = Cost.search_count([("cost_type", "=", "parts")])
    timed(env, "deliveries (cost lines)", deliveries, batch, validate, "transfers")
    costs = Cost.search_count([("cost_type", "=", "parts")]) - before
    print(f"  parts cost lines: {costs}")
    waiting = requests.move_ids.picking_id.filtered(
        lambda p: p.state not in ("done", "cancel")
    )
    print(f"  transfers still waiting (purchases, partial stock): {len(waiting)}")
    load_after = load_average()
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")


def main():
    args = parse_args()
    run_in_transaction(
        args,
        "aftersales_rma",
        lambda env: setup(env, args.requests),
        lambda env, prepared: bench(env, *prepared, args.batch),
    )


if __name__ == "__main__":
    main()
