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
import contextlib
import json
import random
import statistics
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
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="interleaved: both servers up at once, --single one-ticket calls "
        "(and --form-save saves) per system and round, the systems taking turns, "
        "so that a change of the machine's load hits both alike",
    )
    parser.add_argument("--http-port", type=int, default=0, help="0: any free port")
    systems.add_arguments(parser)
    args = parser.parse_args()
    systems.parse_modes(parser, args)
    return args


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
    """One system alone: batches of ``--batch``, then ``--single`` one-ticket
    calls, then ``--form-save`` saves."""
    results = []
    with contextlib.ExitStack() as stack:
        client = Client(args, system, mode, stack, args.http_port)
        for label, total, size in (
            ("XML-RPC batch", args.tickets, args.batch),
            ("XML-RPC single", args.single, 1),
            ("form save", args.form_save, 1),
        ):
            if not total:
                continue
            vals_list = [client.values(i) for i in range(total)]
            load = [load_average()]
            if size > 1:
                started = time.perf_counter()
                for offset in range(0, total, size):
                    client.call("create", vals_list[offset : offset + size])
                seconds = time.perf_counter() - started
            else:
                seconds = client.timed(label, vals_list)
            load.append(load_average())
            results.append(run_result(system, label, mode, total, size, seconds, load))
        stats = client.totals()
    systems.finish(args, client.name)
    for result in results:
        result["run_totals"] = stats
        print_run(result)
    print(f"    totals of the run (warm-up removed): {stats}", flush=True)
    return results


class Client:
    """One system's measured run database, its server and its XML-RPC calls."""

    def __init__(self, args, system, mode, stack, port):
        self.system, self.mode = system, mode
        self.latencies = {}  # {path: [seconds of each call]}
        self.name, self.fixture = systems.run_database(args, system)
        with environment(self.name) as env:
            self.before = systems.counts(env, system.model)
        self.rng = random.Random(args.seed + args.tickets)
        odoo = stack.enter_context(server(self.name, port=port))
        self.uid = odoo.xmlrpc("common").authenticate(
            self.name, "admin", systems.ADMIN_PASSWORD, {}
        )
        if not self.uid:
            raise RuntimeError("XML-RPC login admin/admin failed")
        self.models = odoo.xmlrpc("object")
        self.context = {"context": systems.context_for(mode)}
        warm = self.call("create", [self.values(-i) for i in range(10)])
        self.call("unlink", warm)

    def values(self, index):
        return self.system.values(
            self.fixture, index, self.rng, datetime.now(), self.mode
        )

    def call(self, method, *params, **options):
        return self.models.execute_kw(
            self.name,
            self.uid,
            systems.ADMIN_PASSWORD,
            self.system.model,
            method,
            [*params],
            {**self.context, **options},
        )

    def totals(self):
        """What the run added: tickets, messages, followers, emails."""
        with environment(self.name) as env:
            return systems.diff(systems.counts(env, self.system.model), self.before)

    def timed(self, path, vals_list):
        """Seconds of one call per ticket (``create``, or the form's
        ``web_save``)."""
        started = time.perf_counter()
        for vals in vals_list:
            call_started = time.perf_counter()
            if path == "form save":
                self.call("web_save", [], vals, specification=FORM_SPECIFICATION)
            else:
                self.call("create", vals)
            self.latencies.setdefault(path, []).append(
                time.perf_counter() - call_started
            )
        return time.perf_counter() - started


def run_interleaved(args, chosen, mode):
    """Both systems' servers up at once; per round, each system in turn (the
    order alternating) creates ``--single`` tickets one per call, then saves
    ``--form-save`` forms. Returns one result per system and path, the rounds
    summed, and prints each round."""
    paths = [
        (p, n)
        for p, n in (("XML-RPC single", args.single), ("form save", args.form_save))
        if n
    ]
    totals = {}
    with contextlib.ExitStack() as stack:
        clients = [
            Client(
                args, system, mode, stack, args.http_port + i if args.http_port else 0
            )
            for i, system in enumerate(chosen)
        ]
        index = 0
        for round_no in range(args.rounds):
            order = clients if round_no % 2 == 0 else clients[::-1]
            for path, count in paths:
                for client in order:
                    vals_list = [client.values(index + i) for i in range(count)]
                    load = load_average()
                    seconds = client.timed(path, vals_list)
                    key = (client.system, path)
                    total = totals.setdefault(key, [0, 0.0, [load, load]])
                    total[0] += count
                    total[1] += seconds
                    total[2][1] = load_average()
                    print(
                        f"  round {round_no + 1} | {client.system.label} | {path} | "
                        f"{count / seconds:.1f} tickets/s | load {load:.2f}",
                        flush=True,
                    )
                index += count
        for client in clients:
            print(f"    {client.system.label}: totals of the run: {client.totals()}")
            for path, latencies in client.latencies.items():
                ordered = sorted(latencies)
                print(
                    f"    {client.system.label} | {path} | median "
                    f"{statistics.median(ordered) * 1000:.1f} ms, p90 "
                    f"{ordered[int(len(ordered) * 0.9)] * 1000:.1f} ms a call "
                    f"({len(ordered)} calls)",
                    flush=True,
                )
    for client in clients:
        systems.finish(args, client.name)
    return [
        run_result(system, path, mode, count, 1, seconds, load)
        for (system, path), (count, seconds, load) in totals.items()
    ]


def main():
    args = parse_args()
    odoo_setup(args)
    chosen, skipped = systems.systems(args)
    for system in chosen:
        systems.prepare(args, system)
    results = []
    for mode in args.modes:
        if args.rounds:
            if mode == "ack":
                continue  # aftersales_service only: nothing to take turns with
            results += run_interleaved(args, chosen, mode)
            continue
        for system in chosen:
            if mode == "ack" and system is not systems.Aftersales:
                continue
            results += run(args, system, mode)
    print_table(results, skipped)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
