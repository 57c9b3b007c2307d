#!/usr/bin/env python3
"""Ticket benchmark: the SLA cron over many open tickets.

    scripts/bench_ticket_sla_cron.py --tickets 10000

On a fresh copy of the set-up database (bench_ticket_systems.py) this creates
``--tickets`` tickets through the ORM (not timed), moves time forward (the
stored SLA dates of the tickets are shifted 0-47 hours into the past, so
tickets are on track, at risk or breached), then times the cron's own calls
(``_cron_sla_check``, its batch size read from the code), a commit after each
as the cron worker does, until a call takes less than a batch. It prints the
SLA states and escalation levels reached. helpdesk_mgmt has no SLA (that is
helpdesk_mgmt_sla): there is nothing to compare. It asserts nothing.
"""

import argparse
import random
from datetime import datetime

import bench_ticket_systems as systems
from bench_common import environment, odoo_setup, run_cron

MODEL, CRON = "aftersales.ticket", "_cron_sla_check"
SHIFT = """
    UPDATE aftersales_ticket t
       SET sla_start_date = t.sla_start_date - s.shift,
           response_deadline = t.response_deadline - s.shift,
           resolution_deadline = t.resolution_deadline - s.shift,
           sla_response_warning_date = t.sla_response_warning_date - s.shift,
           sla_resolution_warning_date = t.sla_resolution_warning_date - s.shift,
           sla_warning_date = t.sla_warning_date - s.shift
      FROM (SELECT id, ((id * 37) % 48) * interval '1 hour' AS shift
              FROM aftersales_ticket) s
     WHERE s.id = t.id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500, help="tickets per create")
    systems.add_arguments(parser, modes=False)
    return parser.parse_args()


def main():
    args = parse_args()
    odoo_setup(args)
    system = systems.Aftersales
    systems.prepare(args, system)
    name, fixture = systems.run_database(args, system)
    rng, now = random.Random(args.seed), datetime.now()
    for offset in range(0, args.tickets, args.batch):
        with environment(name) as env:
            size = min(args.batch, args.tickets - offset)
            env[MODEL].create(
                [
                    system.values(fixture, offset + i, rng, now, "default")
                    for i in range(size)
                ]
            )
            env.cr.commit()
    with environment(name) as env:
        env.cr.execute(SHIFT)
        env.cr.execute("ANALYZE aftersales_ticket")
        env.cr.commit()
    cron = run_cron(name, MODEL, CRON)
    with environment(name) as env:
        env.cr.execute(
            "SELECT sla_state, sla_escalation_level, count(*) "
            "FROM aftersales_ticket GROUP BY 1, 2 ORDER BY 1, 2"
        )
        states = {f"{state}/L{level}": n for state, level, n in env.cr.fetchall()}
        env.cr.execute(
            "SELECT count(*) FROM mail_activity WHERE res_model = 'aftersales.ticket'"
        )
        activities = env.cr.fetchone()[0]
    systems.finish(args, name)
    print(
        f"SLA cron over {args.tickets} new tickets: {cron['seconds']:.2f} s "
        f"(Odoo CPU {cron['cpu_seconds']:.2f} s), {cron['calls']} calls of "
        f"{cron['batch_size']}, {cron['records']} processed, {activities} "
        f"activities; states {states}",
        flush=True,
    )


if __name__ == "__main__":
    main()
