#!/usr/bin/env python3
"""Ticket benchmark: creation over XML-RPC, in batches and one per call.

    scripts/bench_ticket_xmlrpc.py --tickets 1000 --batch 100 --single 100

For each mode and system (see bench_ticket_systems.py), on a fresh copy of the
system's set-up database, a real Odoo server (``--workers=0``, no cron thread)
on a free loopback port (``--http-port``), started by odoo_harness as the
end-to-end tests start theirs: ``execute_kw(..., 'create', [[vals, ...]])`` in
batches of ``--batch``, then ``--single`` calls of one ticket each (what an
integration does), then ``--form-save`` calls of ``web_save`` (what the form
view's Save sends, reading back the fields of FORM_SPECIFICATION), after ten
warm-up tickets that are removed.
What a client waits for: the acknowledgement emails are sent after the commit,
by the queue. It prints numbers; it asserts nothing.
"""

import argparse
import json
import random
import time
from datetime import datetime
from pathlib import Path

import bench_ticket_systems as systems
from bench_common import environment, load_average, odoo_setup, server
from bench_report import print_run, print_table


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000, help="0: no batches")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--single", type=int, default=100, help="one-ticket calls")
    parser.add_argument(
        "--form-save",
        type=int,
        default=0,
        help="one-ticket web_save calls (what the form view's Save sends)",
    )
    parser.add_argument("--http-port", type=int, default=0, help="0: any free port")
    systems.add_arguments(parser)
    args = parser.parse_args()
    systems.parse_modes(parser, args)
    return args


def timed_calls(call, vals_list, size):
    load = [load_average()]
    started = time.perf_counter()
    for offset in range(0, len(vals_list), size):
        chunk = vals_list[offset : offset + size]
        call("create", chunk if size > 1 else chunk[0])
    return time.perf_counter() - started, load + [load_average()]


# what the benchmark's form save reads back (the fields both systems share)
FORM_SPECIFICATION = {
    "display_name": {},
    "stage_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "partner_id": {"fields": {"display_name": {}}},
}


def run_result(system, path, mode, total, size, seconds, load):
    return {
        "system": system.label,
        "path": path,
        "mode": mode,
        "tickets": total,
        "batch": min(size, total),
        "seconds": seconds,
        "tickets_per_s": total / seconds,
        "load": load,
    }


def run(args, system, mode):
    name, fixture = systems.run_database(args, system)
    with environment(name) as env:
        before = systems.counts(env, system.model)
    rng = random.Random(args.seed + args.tickets)
    results = []
    with server(name, port=args.http_port) as odoo:
        uid = odoo.xmlrpc("common").authenticate(
            name, "admin", systems.ADMIN_PASSWORD, {}
        )
        if not uid:
            raise RuntimeError("XML-RPC login admin/admin failed")
        models = odoo.xmlrpc("object")
        context = {"context": systems.context_for(mode)}

        def call(method, *params):
            return models.execute_kw(
                name,
                uid,
                systems.ADMIN_PASSWORD,
                system.model,
                method,
                [*params],
                context,
            )

        def form_save(vals):
            # the form's Save: web_save of a new record, reading back what the
            # form shows of it
            return models.execute_kw(
                name,
                uid,
                systems.ADMIN_PASSWORD,
                system.model,
                "web_save",
                [[], vals],
                {**context, "specification": FORM_SPECIFICATION},
            )

        warm = call(
            "create",
            [system.values(fixture, -i, rng, datetime.now(), mode) for i in range(10)],
        )
        call("unlink", warm)
        now = datetime.now()
        for label, total, size in (
            ("XML-RPC batch", args.tickets, args.batch),
            ("XML-RPC single", args.single, 1),
        ):
            if not total:
                continue
            vals_list = [
                system.values(fixture, i, rng, now, mode) for i in range(total)
            ]
            seconds, load = timed_calls(call, vals_list, size)
            results.append(run_result(system, label, mode, total, size, seconds, load))
        if args.form_save:
            vals_list = [
                system.values(fixture, i, rng, now, mode) for i in range(args.form_save)
            ]
            load = [load_average()]
            started = time.perf_counter()
            for vals in vals_list:
                form_save(vals)
            seconds = time.perf_counter() - started
            load.append(load_average())
            results.append(
                run_result(system, "form save", mode, args.form_save, 1, seconds, load)
            )
    with environment(name) as env:
        stats = systems.diff(systems.counts(env, system.model), before)
    systems.finish(args, name)
    for result in results:
        result["run_totals"] = stats
        print_run(result)
    print(f"    totals of the run (warm-up removed): {stats}", flush=True)
    return results


def main():
    args = parse_args()
    odoo_setup(args)
    chosen, skipped = systems.systems(args)
    for system in chosen:
        systems.prepare(args, system)
    results = []
    for mode in args.modes:
        for system in chosen:
            if mode == "ack" and system is not systems.Aftersales:
                continue
            results += run(args, system, mode)
    print_table(results, skipped)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
