#!/usr/bin/env python3
"""Warranty benchmark: ``check_serial`` over a million registrations, and the
automatic registration of delivered serials.

Run it with the Python of the Odoo 18 environment (see README, "Benchmarks")::

    scripts/bench_warranty.py --db bench_warranty --registrations 1000000 --deliveries 10000

It creates the database (``aftersales_service`` without demo data) when missing,
bulk-loads the registrations with SQL (serials ``BENCH-0000001``...), then times,
inside the server process (no network), ``check_serial`` for random serials
(known and unknown) and the validation of real deliveries of serial-tracked
products from confirmed sale orders, reporting the share spent registering the
warranties. It prints numbers; it asserts nothing.
"""  # noqa: E501 (the usage line, kept as is)

import argparse
import random
import statistics
import time

from bench_common import add_odoo_arguments, ensure_database, load_average, odoo_setup


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_warranty")
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument(
        "--deliveries", type=int, default=10_000, help="serials delivered"
    )
    parser.add_argument("--per-picking", type=int, default=1000)
    add_odoo_arguments(parser)
    return parser.parse_args()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def bulk_load(env, count):
    cr = env.cr
    company = env.ref("base.main_company")
    product = env["product.product"].search(
        [("default_code", "=", "BENCH-SCAN")], limit=1
    )
    if not product:
        product = env["product.product"].create(
            {
                "name": "Bench Scanner",
                "default_code": "BENCH-SCAN",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
    policy = env["aftersales.warranty.policy"].search(
        [("name", "=", "Bench 24 months")], limit=1
    )
    if not policy:
        policy = env["aftersales.warranty.policy"].create(
            {"name": "Bench 24 months", "duration_months": 24}
        )
    customer = env["res.partner"].create({"name": "Bench Hospital"})
    cr.execute("SELECT count(*) FROM stock_lot WHERE product_id = %s", [product.id])
    existing = cr.fetchone()[0]
    if existing >= count:
        print(f"{existing} bench registrations already loaded", flush=True)
        return product
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                               create_date, write_date)
        SELECT 'BENCH-' || lpad(g::text, 7, '0'), %(product)s, %(company)s, 1, 1, now(), now()
          FROM generate_series(%(first)s, %(last)s) g
        """,  # noqa: E501 (SQL text kept as is)
        {
            "product": product.id,
            "company": company.id,
            "first": existing + 1,
            "last": count,
        },
    )
    cr.execute(
        """
        INSERT INTO aftersales_warranty (
            company_id, lot_id, product_id, partner_id, policy_id, registration_date,
            delivery_date, date_start, date_end, parts_coverage, labour_coverage,
            travel_coverage, extension_months, late_registration, state, source,
            create_uid, write_uid, create_date, write_date)
        SELECT %(company)s, lot.id, lot.product_id, %(customer)s, %(policy)s, d, d, d,
               d + interval '24 months' - interval '1 day', 100, 100, 0, 0, false,
               CASE WHEN lot.id %% 50 = 0 THEN 'void' ELSE 'active' END, 'import',
               1, 1, now(), now()
          FROM (SELECT lot.*, (date '2024-01-01' + (lot.id %% 900)) AS d
                  FROM stock_lot lot
                 WHERE lot.product_id = %(product)s
                   AND NOT EXISTS (SELECT 1 FROM aftersales_warranty w WHERE w.lot_id = lot.id)
               ) lot
        """,  # noqa: E501 (SQL text kept as is)
        {
            "company": company.id,
            "customer": customer.id,
            "policy": policy.id,
            "product": product.id,
        },
    )
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE aftersales_warranty")
    env.cr.commit()
    print(
        f"loaded {count - existing} registrations in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return product


def service_user(env):
    """A service user (After-Sales / User), as an integration calls with."""
    user = env["res.users"].search([("login", "=", "bench_service")], limit=1)
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Service Bot",
                "login": "bench_service",
                "groups_id": [
                    (6, 0, [env.ref("aftersales_service.aftersales_group_user").id])
                ],
            }
        )
        env.cr.commit()
    return user


def bench_check_serial(env, count, lookups, label="superuser"):
    Warranty = env["aftersales.warranty"]
    serials = [f"BENCH-{random.randint(1, count):07d}" for _ in range(lookups)]
    serials += [f"NOPE-{index}" for index in range(lookups // 10)]
    random.shuffle(serials)
    for serial in serials[:50]:  # warm the caches
        Warranty.check_serial(serial)
    timings, statuses = [], {}
    for serial in serials:
        env.invalidate_all()
        started = time.perf_counter()
        result = Warranty.check_serial(serial)
        timings.append((time.perf_counter() - started) * 1000)
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    print(
        f"check_serial as {label} over {count} registrations, "
        f"{len(serials)} lookups {statuses}: "
        f"median {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, "
        f"max {max(timings):.2f} ms (load {load_average():.1f})",
        flush=True,
    )


def bench_deliveries(env, serial_count, per_picking):
    """Validate real deliveries of serials sold on confirmed sale orders."""
    Warranty = env["aftersales.warranty"]
    product = env["product.product"].create(
        {
            "name": "Bench Monitor",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
        }
    )
    customer = env["res.partner"].create(
        {"name": "Bench Distributor", "aftersales_role": "distributor"}
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    spent = {"register": 0.0}
    original = type(Warranty)._register_move_lines

    def timed(self, move_lines):
        started = time.perf_counter()
        try:
            return original(self, move_lines)
        finally:
            spent["register"] += time.perf_counter() - started

    type(Warranty)._register_move_lines = timed
    total = 0.0
    done = 0
    try:
        while done < serial_count:
            size = min(per_picking, serial_count - done)
            lots = env["stock.lot"].create(
                [
                    {
                        "name": f"DLV-{product.id}-{done + index:06d}",
                        "product_id": product.id,
                    }
                    for index in range(size)
                ]
            )
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": size})
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.move_line_ids.unlink()
            env["stock.move.line"].create(
                [
                    {
                        "move_id": picking.move_ids.id,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": 1,
                        "location_id": picking.location_id.id,
                        "location_dest_id": picking.location_dest_id.id,
                        "picked": True,
                    }
                    for lot in lots
                ]
            )
            started = time.perf_counter()
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
            env.flush_all()
            total += time.perf_counter() - started
            done += size
            env.cr.commit()
    finally:
        type(Warranty)._register_move_lines = original
    registered = Warranty.search_count([("product_id", "=", product.id)])
    print(
        f"deliveries of {serial_count} serials ({per_picking} per picking): "
        f"validation {total:.1f} s in all, of which warranty registration "
        f"{spent['register']:.2f} s "
        f"({serial_count / spent['register']:.0f} serials/s); "
        f"{registered} registrations",
        flush=True,
    )


def main():
    args = parse_args()
    odoo = odoo_setup(args)
    ensure_database(odoo, args, "aftersales_service")
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        bulk_load(env, args.registrations)
        bench_check_serial(env, args.registrations, args.lookups)
        user_env = env(user=service_user(env))
        bench_check_serial(user_env, args.registrations, args.lookups, "service user")
        if args.deliveries:
            bench_deliveries(env, args.deliveries, args.per_picking)


if __name__ == "__main__":
    main()
