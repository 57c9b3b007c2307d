#!/usr/bin/env python3
"""Ticket benchmark: draining the acknowledgement queue.

    scripts/bench_ticket_ack.py --tickets 1000

aftersales_service does not send the acknowledgement emails in the creating
transaction: it marks the tickets ``ack_pending`` and triggers the cron *send
ticket acknowledgements*, which sends them right after the commit. On a fresh
copy of the set-up database (bench_ticket_systems.py) this sends the queue of
the set-up's own tickets first (not timed), creates ``--tickets`` tickets
through the ORM in batches of ``--batch`` (not timed), then times the cron's
own calls (``_cron_send_acknowledgements``, its batch size read from the code),
a commit after each as the cron worker does, until the queue is empty.
helpdesk_mgmt sends nothing at creation: there is nothing to compare. It
prints numbers; it asserts nothing.
"""

import argparse
import random
from datetime import datetime

import bench_ticket_systems as systems
from bench_common import environment, odoo_setup, run_cron

MODEL, CRON = "aftersales.ticket", "_cron_send_acknowledgements"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500, help="tickets per create")
    parser.add_argument(
        "--mode", choices=["default", "ack"], default="default", help="see --modes"
    )
    systems.add_arguments(parser, modes=False)
    return parser.parse_args()


def main():
    args = parse_args()
    odoo_setup(args)
    system = systems.Aftersales
    systems.prepare(args, system)
    name, fixture = systems.run_database(args, system)
    run_cron(name, MODEL, CRON)  # the set-up's own queue
    rng, now = random.Random(args.seed), datetime.now()
    for offset in range(0, args.tickets, args.batch):
        with environment(name) as env:
            admin = env.ref("base.user_admin").id
            env = env(user=admin)
            size = min(args.batch, args.tickets - offset)
            env[MODEL].create(
                [
                    system.values(fixture, offset + i, rng, now, args.mode)
                    for i in range(size)
                ]
            )
            env.cr.commit()
    with environment(name) as env:
        env.cr.execute("SELECT count(*) FROM aftersales_ticket WHERE ack_pending")
        queued = env.cr.fetchone()[0]
    drained = run_cron(name, MODEL, CRON)
    with environment(name) as env:
        env.cr.execute("SELECT count(*) FROM aftersales_ticket WHERE ack_pending")
        left = env.cr.fetchone()[0]
        env.cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
        emails = env.cr.fetchone()[0]
    systems.finish(args, name)
    per_ticket = drained["seconds"] / max(drained["records"], 1) * 1000
    print(
        f"acknowledgement queue of {queued} new tickets ({args.mode} mode) drained in "
        f"{drained['seconds']:.2f} s (Odoo CPU {drained['cpu_seconds']:.2f} s, "
        f"{per_ticket:.1f} ms per ticket): {drained['calls']} cron calls of "
        f"{drained['batch_size']}, {drained['records']} tickets acknowledged, "
        f"{left} left, {emails} emails queued in all",
        flush=True,
    )


if __name__ == "__main__":
    main()
