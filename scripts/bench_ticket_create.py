#!/usr/bin/env python3
"""Ticket benchmark: creation through the ORM, ours vs OCA helpdesk_mgmt.

    scripts/bench_ticket_create.py --tickets 1000 10000 --batch 500

For each ticket count, mode and system (see bench_ticket_systems.py), on a fresh
copy of the system's set-up database: ``create`` in batches of ``--batch``
value dicts, one cursor and one commit per batch (as one RPC per batch would),
inside this process, after a rolled-back warm-up batch (templates, caches).
The time includes the commit (tracking, followers, the assignment notice); not
the acknowledgement emails, which aftersales_service queues (ack_pending) and
sends right after the commit: scripts/bench_ticket_ack.py times that queue.

Modes (``--modes``): ``default``, the real path; ``ack``, the same with
``stage_id`` in the values as the form view sends it (aftersales_service only,
compared with helpdesk_mgmt's default); ``notrack``, ``tracking_disable=True``
in the context. ``--profile DIR`` writes a cProfile of each run. It prints
numbers; it asserts nothing.
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import time
from datetime import datetime
from pathlib import Path

import bench_ticket_systems as systems
from bench_common import environment, load_average, odoo_setup
from bench_report import print_run, print_table


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, nargs="+", default=[1000])
    parser.add_argument("--batch", type=int, default=500, help="tickets per create")
    parser.add_argument("--profile", metavar="DIR", help="cProfile each run into DIR")
    systems.add_arguments(parser)
    args = parser.parse_args()
    systems.parse_modes(parser, args)
    return args


def create(args, system, count, mode):
    name, fixture = systems.run_database(args, system)
    context = systems.context_for(mode)
    rng = random.Random(args.seed + count)
    with environment(name) as env:
        admin = env.ref("base.user_admin").id
        before = systems.counts(env, system.model)
        warm = env(user=admin, context=context)[system.model]
        warm.create(
            [system.values(fixture, -i, rng, datetime.now(), mode) for i in range(10)]
        )
        env.flush_all()
        env.cr.rollback()
    now = datetime.now()
    vals_list = [system.values(fixture, i, rng, now, mode) for i in range(count)]
    profiler = cProfile.Profile() if args.profile else None
    load = [load_average()]
    started, cpu_started = time.perf_counter(), time.process_time()
    for offset in range(0, count, args.batch):
        with environment(name, uid=admin, context=context) as env:
            if profiler:
                profiler.enable()
            env[system.model].create(vals_list[offset : offset + args.batch])
            env.cr.commit()  # flush, precommit (tracking, followers), commit
            if profiler:
                profiler.disable()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    load.append(load_average())
    with environment(name) as env:
        stats = systems.diff(systems.counts(env, system.model), before)
    systems.finish(args, name)
    result = {
        "system": system.label,
        "path": "ORM",
        "mode": mode,
        "tickets": count,
        "batch": args.batch,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "tickets_per_s": count / seconds,
        "load": load,
        **stats,
    }
    if profiler:
        path = Path(args.profile) / f"{system.key}_orm_{count}_{mode}.prof"
        profiler.dump_stats(path)
        result["profile"] = str(path)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue(), flush=True)
    print_run(result)
    return result


def main():
    args = parse_args()
    odoo_setup(args)
    chosen, skipped = systems.systems(args)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    for system in chosen:
        systems.prepare(args, system)
    results = []
    for count in args.tickets:
        for mode in args.modes:
            for system in chosen:
                if mode == "ack" and system is not systems.Aftersales:
                    continue
                results.append(create(args, system, count, mode))
    print_table(results, skipped)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
