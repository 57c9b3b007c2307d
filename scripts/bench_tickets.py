#!/usr/bin/env python3
"""Ticket benchmark: creation through the ORM and XML-RPC, and the SLA cron.

Run it with the Python of the Odoo 18 environment (see docs/benchmarks.md)::

    /opt/odoo18-venv/bin/python scripts/bench_tickets.py --tickets 1000 10000

For each system it builds a set-up database (a copy of ``--template`` when that
database exists, else a fresh one) with the module installed and realistic
fixtures: customers in ten countries and languages with service tiers, service
engineers with countries, languages and skills, a round-robin team on a
Europe/Berlin calendar with public holidays, SLA policies. Every measured run
then starts from its own copy of that database, so runs do not see each other's
tickets.

* ORM: ``create`` in batches of ``--batch`` value dicts, one cursor and one
  commit per batch (as one RPC per batch would), inside this process.
* SLA cron: time is moved forward (the stored SLA dates of the tickets are
  shifted 0-47 hours into the past, so tickets are on track, at risk or
  breached), then ``_cron_sla_check`` runs until it takes fewer tickets than its
  batch, with a commit after each call as the cron worker does.
* XML-RPC: a real Odoo server (``--workers 0``) on a free loopback port;
  ``execute_kw(..., 'create', [[vals, ...]])`` in batches of ``--xmlrpc-batch``,
  then ``--xmlrpc-single`` one-ticket calls.

Modes (``--modes``): ``default``, the real path (chatter, followers, the
assignment notice to the engineer, the New stage's acknowledgement email queued);
``ack``, the same with ``stage_id`` in the values as the form view sends it
(aftersales_service only); ``notrack``, with ``tracking_disable=True`` in the
context. aftersales_service does not send the acknowledgement emails in the
creating transaction: it marks the tickets ``ack_pending`` and triggers the cron
that sends them right after the commit. The ORM runs time the creation, then
drain that queue (``_cron_send_acknowledgements`` until it is empty) and report
its time separately ("drain s"). Emails are queued in ``mail.mail``, not
sent: the set-up databases set ``mail.mail.force.send.limit`` to 0, as if a mail
queue cron sent them later.

With ``--compare`` (default) the same is done for OCA's ``helpdesk_mgmt``
(``helpdesk.ticket`` with name, description, customer and team; it has no SLA and
no assignment) when that module can be installed, and the ratio is printed;
otherwise the comparison is skipped with the reason. Benchmarks print numbers;
nothing here asserts a duration.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PARAM = "bench_tickets.fixture"
ADMIN_PASSWORD = "admin"

COUNTRIES = [  # code, language, share of customers
    ("DE", "de_DE", 18),
    ("AT", "de_DE", 5),
    ("FR", "fr_FR", 12),
    ("BE", "fr_FR", 5),
    ("ES", "es_ES", 10),
    ("IT", "it_IT", 10),
    ("US", "en_US", 15),
    ("GB", "en_US", 10),
    ("JP", "ja_JP", 8),
    ("BR", "pt_BR", 7),
]
PROBLEMS = [
    "Screen flickers after warm-up",
    "Unit does not power on",
    "Error E42 at start",
    "Noise from the fan",
    "Calibration drifts",
    "Firmware update failed",
    "Installation appointment needed",
    "Cannot connect to the network",
    "Spare part request",
    "Display shows wrong language",
    "Overheats under load",
    "Question about maintenance interval",
]
ENGINEERS = [  # login, countries, languages, skills (xmlid suffixes)
    ("anna", ["DE", "AT"], ["de_DE"], ["electronics", "installation"]),
    ("pierre", ["FR", "BE"], ["fr_FR"], ["electronics", "remote"]),
    (
        "lucia",
        ["ES", "IT"],
        ["es_ES", "it_IT"],
        ["electronics", "installation", "remote"],
    ),
    ("john", ["US", "GB"], ["en_US"], ["electronics", "installation", "remote"]),
    ("kenji", ["JP"], ["ja_JP"], ["electronics", "remote"]),
    ("maria", ["BR"], ["pt_BR"], ["electronics", "installation"]),
    ("sam", [], [], ["electronics", "installation", "remote"]),
    ("alex", [], [], ["electronics", "installation", "remote"]),
]


# ----------------------------------------------------------------------
# Odoo and databases
# ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tickets",
        type=int,
        nargs="*",
        default=[1000],
        help="ticket counts for the ORM runs (e.g. 1000 10000; 0 or none: no ORM run)",
    )
    parser.add_argument(
        "--batch", type=int, default=500, help="tickets per ORM create call"
    )
    parser.add_argument(
        "--xmlrpc-tickets",
        type=int,
        default=1000,
        help="tickets created over XML-RPC in batches (0: no XML-RPC run)",
    )
    parser.add_argument("--xmlrpc-batch", type=int, default=100)
    parser.add_argument(
        "--xmlrpc-single",
        type=int,
        default=100,
        help="tickets created over XML-RPC one per call",
    )
    parser.add_argument(
        "--db", default="bench_tickets", help="prefix of the databases used"
    )
    parser.add_argument(
        "--template",
        default="as_base",
        help="database to copy the set-up databases from, when it exists",
    )
    parser.add_argument(
        "--compare",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure OCA helpdesk_mgmt when it can be installed",
    )
    parser.add_argument(
        "--modes",
        default="default,ack,notrack",
        help="comma-separated: 'default' (real path, no stage in the values), "
        "'ack' (stage_id in the values, as the form view sends it: acknowledgement "
        "email; aftersales_service only), 'notrack' (tracking_disable=True)",
    )
    parser.add_argument(
        "--reuse-setup",
        action="store_true",
        help="reuse existing set-up databases instead of rebuilding them",
    )
    parser.add_argument(
        "--keep-dbs", action="store_true", help="do not drop the databases at the end"
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="cProfile the ORM creation runs into DIR (slower: compare nothing then)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--http-port",
        type=int,
        default=0,
        help="loopback port of the XML-RPC server (default: any free port)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "odoo"))
    parser.add_argument(
        "--addons-path",
        default=None,
        help="addons path (default: this repository's addons/; Odoo adds its own)",
    )
    args = parser.parse_args()
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not args.modes or not set(args.modes) <= {"default", "ack", "notrack"}:
        parser.error("--modes takes 'default', 'ack' and/or 'notrack'")
    return args


def odoo_setup(args):
    import odoo
    from odoo.tools import config

    args.addons_path = args.addons_path or str(REPO / "addons")
    options = [
        "--addons-path",
        args.addons_path,
        "--db_host",
        args.db_host,
        "--db_port",
        str(args.db_port),
        "-r",
        args.db_user,
        "--log-level",
        "warn",
        "--max-cron-threads",
        "0",
    ]
    config.parse_config(options)
    return odoo


def db_args(args):
    return [
        "--db_host",
        args.db_host,
        "--db_port",
        str(args.db_port),
        "--db_user",
        args.db_user,
    ]


def pg_env(args):
    return dict(
        os.environ, PGHOST=args.db_host, PGPORT=str(args.db_port), PGUSER=args.db_user
    )


def db_exists(args, name):
    out = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-Atc",
            "SELECT 1 FROM pg_database WHERE datname = %s" % _sql_str(name),
        ],
        env=pg_env(args),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def _sql_str(value):
    return "'" + value.replace("'", "''") + "'"


def filestore(odoo, name):
    return Path(odoo.tools.config.filestore(name))


def drop_db(odoo, args, name):
    close_db(odoo, name)
    subprocess.run(["dropdb", "--if-exists", name], env=pg_env(args), check=True)
    shutil.rmtree(filestore(odoo, name), ignore_errors=True)


def copy_db(odoo, args, source, target, wait=120):
    """``createdb -T``, retried while someone else is connected to the source
    (we never end other sessions), then the filestore is copied too."""
    drop_db(odoo, args, target)
    deadline = time.monotonic() + wait
    while True:
        result = subprocess.run(
            ["createdb", "-T", source, target],
            env=pg_env(args),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            break
        if (
            "being accessed by other users" not in result.stderr
            or time.monotonic() > deadline
        ):
            raise RuntimeError(
                f"createdb -T {source} {target} failed: {result.stderr.strip()}"
            )
        time.sleep(2)
    if filestore(odoo, source).is_dir():
        shutil.copytree(filestore(odoo, source), filestore(odoo, target))


def close_db(odoo, name):
    from odoo.modules.registry import Registry

    Registry.delete(name)
    odoo.sql_db.close_db(name)


def odoo_command(args, *extra):
    return [
        sys.executable,
        "-m",
        "odoo",
        "--addons-path",
        args.addons_path,
        *db_args(args),
        *extra,
    ]


def install(args, name, module):
    started = time.perf_counter()
    subprocess.run(
        odoo_command(
            args,
            "-d",
            name,
            "-i",
            module,
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ),
        check=True,
    )
    print(
        f"  installed {module} in {name} in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


@contextlib.contextmanager
def environment(odoo, name, uid=None, context=None):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(name)
    with registry.cursor() as cr:
        yield api.Environment(cr, uid or SUPERUSER_ID, context or {})


def helpdesk_unavailable_reason(odoo):
    """Why OCA's helpdesk_mgmt cannot be installed here, or None when it can."""
    from odoo.modules.module import get_manifest

    manifest = get_manifest("helpdesk_mgmt")
    if not manifest:
        return (
            "module helpdesk_mgmt not found in the addons path "
            "(pip install odoo-addon-helpdesk_mgmt==18.0.* into Odoo's virtualenv)"
        )
    if not manifest.get("installable", True):
        return "helpdesk_mgmt is marked not installable"
    if not manifest.get("version", "").startswith("18.0"):
        return f"helpdesk_mgmt {manifest.get('version')} is not for Odoo 18.0"
    missing = [dep for dep in manifest.get("depends", []) if not get_manifest(dep)]
    if missing:
        return f"helpdesk_mgmt depends on missing modules: {', '.join(missing)}"
    return None


# ----------------------------------------------------------------------
# Fixtures shared by both systems
# ----------------------------------------------------------------------


def common_fixtures(env, rng, customers=200):
    """Languages, customers (companies with a contact) and the company's
    settings; returns ``{"partners": [contact ids]}``."""
    for _code, lang, _share in COUNTRIES:
        env["res.lang"]._activate_lang(lang)
    env["ir.config_parameter"].set_param("mail.mail.force.send.limit", "0")
    env.ref("base.user_admin").password = ADMIN_PASSWORD
    countries = {
        c.code: c
        for c in env["res.country"].search([("code", "in", [c[0] for c in COUNTRIES])])
    }
    weights = [share for _code, _lang, share in COUNTRIES]
    company_vals, contacts = [], []
    for index in range(customers):
        code, lang, _share = rng.choices(COUNTRIES, weights)[0]
        company_vals.append(
            {
                "name": f"Bench Customer {index:03d} ({code})",
                "is_company": True,
                "country_id": countries[code].id,
                "lang": lang,
                "email": f"service{index:03d}@customer{index:03d}.example.com",
                "city": f"City {index % 37}",
            }
        )
    partner_model = env["res.partner"].with_context(tracking_disable=True)
    companies = partner_model.create(company_vals)
    for index, company in enumerate(companies):
        contacts.append(
            {
                "name": f"Contact {index:03d}",
                "parent_id": company.id,
                "type": "contact",
                "email": f"contact{index:03d}@customer{index:03d}.example.com",
                "lang": company.lang,
            }
        )
    contact_records = partner_model.create(contacts)
    return {"partners": contact_records.ids, "companies": companies.ids}


def make_user(env, login, name, groups, **values):
    return (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            {
                "name": name,
                "login": f"bench.{login}",
                "email": f"{login}@brand.example.com",
                "groups_id": [(6, 0, groups)],
                **values,
            }
        )
    )


# ----------------------------------------------------------------------
# The systems
# ----------------------------------------------------------------------


class Aftersales:
    key = "aftersales"
    label = "aftersales_service"
    module = "aftersales_service"
    model = "aftersales.ticket"

    @staticmethod
    def fixtures(env, rng):
        fixture = common_fixtures(env, rng)
        companies = env["res.partner"].browse(fixture["companies"])
        tiers = rng.choices(
            ["standard", "silver", "gold", "vip"], [65, 15, 15, 5], k=len(companies)
        )
        for tier in set(tiers):
            companies.filtered(
                lambda p, tier=tier: tiers[companies.ids.index(p.id)] == tier
            ).write({"aftersales_tier": tier})
        countries = {
            c.code: c
            for c in env["res.country"].search(
                [("code", "in", [c[0] for c in COUNTRIES])]
            )
        }
        langs = {
            lang.code: lang
            for lang in env["res.lang"].with_context(active_test=False).search([])
        }
        calendar = env["resource.calendar"].create(
            {
                "name": "Bench Service Hours (Europe/Berlin)",
                "tz": "Europe/Berlin",
                "company_id": env.company.id,
            }
        )  # default attendances: Monday to Friday, 8-12 and 13-17
        today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        holidays = [
            today + timedelta(days=9),
            datetime(today.year, 12, 25),
            datetime(today.year, 12, 26),
            datetime(today.year + 1, 1, 1),
        ]
        env["resource.calendar.leaves"].create(
            [
                {
                    "name": f"Public holiday {day:%Y-%m-%d}",
                    "calendar_id": calendar.id,
                    "date_from": day - timedelta(hours=1),
                    "date_to": day + timedelta(hours=23),
                }
                for day in holidays
            ]
        )
        group = env.ref("aftersales_service.aftersales_group_user").id
        skills = {
            name: env.ref(f"aftersales_service.skill_{name}").id
            for name in ("electronics", "installation", "remote")
        }
        users = env["res.users"]
        for login, user_countries, user_langs, user_skills in ENGINEERS:
            users |= make_user(
                env,
                login,
                f"Engineer {login.title()}",
                [group],
                aftersales_country_ids=[
                    (6, 0, [countries[c].id for c in user_countries])
                ],
                aftersales_lang_ids=[(6, 0, [langs[code].id for code in user_langs])],
                aftersales_skill_ids=[(6, 0, [skills[name] for name in user_skills])],
            )
        leader = make_user(env, "lead", "Service Lead", [group])
        escalation = env["aftersales.team"].create(
            {
                "name": "Bench Escalation",
                "user_id": leader.id,
                "resource_calendar_id": calendar.id,
            }
        )
        team = env["aftersales.team"].create(
            {
                "name": "Bench Service",
                "assignment_method": "round_robin",
                "member_ids": [(6, 0, users.ids)],
                "user_id": leader.id,
                "resource_calendar_id": calendar.id,
                "escalation_team_id": escalation.id,
            }
        )
        env["aftersales.sla.policy"].create(
            [
                {
                    "name": "Gold customers",
                    "sequence": 20,
                    "customer_tier": "gold",
                    "response_hours": 4,
                    "resolution_hours": 24,
                },
                {
                    "name": "VIP customers",
                    "sequence": 15,
                    "customer_tier": "vip",
                    "response_hours": 2,
                    "resolution_hours": 16,
                    "escalation_user_id": leader.id,
                },
                {
                    "name": "Japan",
                    "sequence": 30,
                    "country_ids": [(6, 0, [countries["JP"].id])],
                    "response_hours": 6,
                    "resolution_hours": 32,
                },
            ]
        )
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench Device {index}",
                    "type": "consu",
                    "default_code": f"BENCH-DEV-{index}",
                }
                for index in range(5)
            ]
        )
        fixture.update(
            {
                "team": team.id,
                "stage_new": env.ref("aftersales_service.stage_new").id,
                "types": env["aftersales.ticket.type"].search([]).ids,
                "products": products.ids,
            }
        )
        return fixture

    @staticmethod
    def values(fixture, index, rng, now, mode):
        problem = rng.choice(PROBLEMS)
        vals = {
            "subject": f"{problem} (bench {index})",
            "description": f"<p>{problem}. Reported by the customer on {now:%Y-%m-%d}; "
            f"serial on the type plate, photo attached in the portal.</p>"
            f"<p>Steps tried: restart, cable check, factory reset.</p>",
            "partner_id": rng.choice(fixture["partners"]),
            "team_id": fixture["team"],
            "ticket_type_id": rng.choice(fixture["types"]),
            "priority": rng.choices(["0", "1", "2", "3"], [10, 60, 22, 8])[0],
            "channel": rng.choice(["email", "phone", "web", "portal", "dealer"]),
            "product_id": rng.choice(fixture["products"]),
            # the customer reported it up to 5 hours ago
            "sla_start_date": (now - timedelta(minutes=rng.randint(0, 300))).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
        }
        if mode == "ack":
            # mail.thread posts the stage's template at creation only when stage_id
            # is among the create values, as the form view sends it
            vals["stage_id"] = fixture["stage_new"]
        return vals

    @staticmethod
    def drain(odoo, name):
        """Run the acknowledgement cron until the queue is empty, with a commit
        after each call as the cron worker does (it is triggered by the commit that
        created the tickets)."""
        runs, total, sent = 0, 0.0, 0
        cpu_started = time.process_time()
        while True:
            with environment(odoo, name) as env:
                started = time.perf_counter()
                tickets = env["aftersales.ticket"]._cron_send_acknowledgements()
                env.cr.commit()
                total += time.perf_counter() - started
                runs += 1
                sent += len(tickets)
                if len(tickets) < 200:
                    break
        cpu = time.process_time() - cpu_started
        with environment(odoo, name) as env:
            env.cr.execute("SELECT count(*) FROM aftersales_ticket WHERE ack_pending")
            left = env.cr.fetchone()[0]
            env.cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
            queued = env.cr.fetchone()[0]
        return {
            "drain_seconds": total,
            "drain_cpu_seconds": cpu,
            "drain_calls": runs,
            "acks_sent": sent,
            "acks_left": left,
            "emails_queued_after_drain": queued,
        }

    @staticmethod
    def cron(odoo, name):
        """Move time forward, then run the SLA cron until it is done."""
        with environment(odoo, name) as env:
            env.cr.execute(
                """
                UPDATE aftersales_ticket t
                   SET sla_start_date = t.sla_start_date - s.shift,
                       response_deadline = t.response_deadline - s.shift,
                       resolution_deadline = t.resolution_deadline - s.shift,
                       sla_response_warning_date =
                           t.sla_response_warning_date - s.shift,
                       sla_resolution_warning_date =
                           t.sla_resolution_warning_date - s.shift,
                       sla_warning_date = t.sla_warning_date - s.shift
                  FROM (SELECT id, ((id * 37) % 48) * interval '1 hour' AS shift
                          FROM aftersales_ticket) s
                 WHERE s.id = t.id
                """
            )
            env.cr.execute("ANALYZE aftersales_ticket")
            env.cr.commit()
        runs, total, processed = 0, 0.0, 0
        while True:
            with environment(odoo, name) as env:
                started = time.perf_counter()
                tickets = env["aftersales.ticket"]._cron_sla_check()
                env.cr.commit()
                total += time.perf_counter() - started
                runs += 1
                processed += len(tickets)
                if len(tickets) < 500:
                    break
        with environment(odoo, name) as env:
            env.cr.execute(
                "SELECT sla_state, sla_escalation_level, count(*) "
                "FROM aftersales_ticket GROUP BY 1, 2 ORDER BY 1, 2"
            )
            states = {
                f"{state}/L{level}": count for state, level, count in env.cr.fetchall()
            }
            env.cr.execute(
                "SELECT count(*) FROM mail_activity "
                "WHERE res_model = 'aftersales.ticket'"
            )
            activities = env.cr.fetchone()[0]
        return {
            "cron_seconds": total,
            "cron_calls": runs,
            "cron_processed": processed,
            "sla_states": states,
            "activities": activities,
        }


class Helpdesk:
    key = "helpdesk"
    label = "helpdesk_mgmt (OCA)"
    module = "helpdesk_mgmt"
    model = "helpdesk.ticket"

    @staticmethod
    def fixtures(env, rng):
        fixture = common_fixtures(env, rng)
        group = env.ref("helpdesk_mgmt.group_helpdesk_user").id
        users = env["res.users"]
        for login, _countries, _langs, _skills in ENGINEERS:
            users |= make_user(env, login, f"Engineer {login.title()}", [group])
        leader = make_user(env, "lead", "Service Lead", [group])
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Bench Service",
                "user_ids": [(6, 0, (users | leader).ids)],
                "user_id": leader.id,
            }
        )
        channels = env["helpdesk.ticket.channel"].search([])
        fixture.update({"team": team.id, "channels": channels.ids})
        return fixture

    @staticmethod
    def values(fixture, index, rng, now, mode):
        problem = rng.choice(PROBLEMS)
        partner = rng.choice(fixture["partners"])
        return {
            "name": f"{problem} (bench {index})",
            "description": f"<p>{problem}. Reported by the customer on {now:%Y-%m-%d}; "
            f"serial on the type plate, photo attached in the portal.</p>"
            f"<p>Steps tried: restart, cable check, factory reset.</p>",
            "partner_id": partner,
            "team_id": fixture["team"],
            "priority": rng.choices(["0", "1", "2", "3"], [10, 60, 22, 8])[0],
            "channel_id": rng.choice(fixture["channels"])
            if fixture["channels"]
            else False,
        }

    @staticmethod
    def drain(odoo, name):
        return None  # helpdesk_mgmt sends nothing at creation

    @staticmethod
    def cron(odoo, name):
        return None  # no SLA in helpdesk_mgmt (that is helpdesk_mgmt_sla)


# ----------------------------------------------------------------------
# Runs
# ----------------------------------------------------------------------


def setup_name(args, system):
    return f"{args.db}_{system.key}_setup"


def prepare(odoo, args, system):
    name = setup_name(args, system)
    if args.reuse_setup and db_exists(args, name):
        with environment(odoo, name) as env:
            ready = bool(env["ir.config_parameter"].get_param(FIXTURE_PARAM))
        close_db(odoo, name)
        if ready:
            print(f"reusing {name}", flush=True)
            return
    print(f"building {name}...", flush=True)
    if args.template and db_exists(args, args.template):
        copy_db(odoo, args, args.template, name)
    else:
        print(
            f"  template {args.template!r} missing: installing everything from scratch",
            flush=True,
        )
        drop_db(odoo, args, name)
    install(args, name, system.module)
    with environment(odoo, name) as env:
        fixture = system.fixtures(env, random.Random(args.seed))
        env["ir.config_parameter"].set_param(FIXTURE_PARAM, json.dumps(fixture))
        env.cr.commit()
    close_db(odoo, name)


def counts(env, model):
    table = model.replace(".", "_")
    queries = {
        "tickets": f"SELECT count(*) FROM {table}",
        "assigned": f"SELECT count(*) FROM {table} WHERE user_id IS NOT NULL",
        "messages": f"SELECT count(*) FROM mail_message WHERE model = '{model}'",
        "followers": f"SELECT count(*) FROM mail_followers WHERE res_model = '{model}'",
        "assignment_notices": "SELECT count(*) FROM mail_message "
        f"WHERE model = '{model}' AND message_type = 'user_notification'",
        "emails_queued": "SELECT count(*) FROM mail_mail WHERE state = 'outgoing'",
        "emails_not_queued": "SELECT count(*) FROM mail_mail WHERE state <> 'outgoing'",
    }
    result = {}
    for key, query in queries.items():
        env.cr.execute(query)
        result[key] = env.cr.fetchone()[0]
    return result


def diff(after, before):
    return {key: after[key] - before.get(key, 0) for key in after}


def context_for(mode):
    return {"tracking_disable": True} if mode == "notrack" else {}


def run_orm(odoo, args, system, count, mode, profile_dir=None):
    name = f"{args.db}_{system.key}_run"
    copy_db(odoo, args, setup_name(args, system), name)
    # the set-up's own tickets (demo data) may wait in the acknowledgement queue:
    # send theirs first, so that the drain below times the new tickets only
    system.drain(odoo, name)
    rng = random.Random(args.seed + count)
    with environment(odoo, name) as env:
        fixture = json.loads(env["ir.config_parameter"].get_param(FIXTURE_PARAM))
        admin = env.ref("base.user_admin").id
        before = counts(env, system.model)
        # warm the caches (templates, ormcaches) with a batch that is rolled back
        warm = env(user=admin, context=context_for(mode))[system.model]
        warm.create(
            [
                system.values(fixture, -i, rng, datetime.now(), mode)
                for i in range(1, 11)
            ]
        )
        env.flush_all()
        env.cr.rollback()
    now = datetime.now()
    vals_list = [
        system.values(fixture, index, rng, now, mode) for index in range(count)
    ]
    load_before = os.getloadavg()[0]
    profiler = cProfile.Profile() if profile_dir else None
    started = time.perf_counter()
    cpu_started = time.process_time()
    for offset in range(0, count, args.batch):
        with environment(odoo, name, uid=admin, context=context_for(mode)) as env:
            if profiler:
                profiler.enable()
            env[system.model].create(
                [dict(vals) for vals in vals_list[offset : offset + args.batch]]
            )
            env.cr.commit()  # flush, precommit (tracking, emails), commit
            if profiler:
                profiler.disable()
    seconds = time.perf_counter() - started
    # CPU time of this (the Odoo) process, less sensitive to the machine's load
    # than the wall clock; PostgreSQL's work is not in it
    cpu_seconds = time.process_time() - cpu_started
    load_after = os.getloadavg()[0]
    with environment(odoo, name) as env:
        stats = diff(counts(env, system.model), before)
    result = {
        "system": system.label,
        "path": "ORM",
        "tickets": count,
        "batch": args.batch,
        "mode": mode,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "tickets_per_s": count / seconds,
        "load": (load_before, load_after),
        **stats,
    }
    if profiler:
        path = Path(profile_dir) / f"{system.key}_orm_{count}_{mode}.prof"
        profiler.dump_stats(path)
        result["profile"] = str(path)
        print_profile(profiler, system)
    print_run(result)
    drained = system.drain(odoo, name)
    if drained:
        result.update(drained)
        print(
            f"    acknowledgement queue drained after the creation: "
            f"{drained['drain_seconds']:.2f} s (Odoo CPU "
            f"{drained['drain_cpu_seconds']:.2f} s, {drained['drain_calls']} cron "
            f"calls, {drained['acks_sent']} tickets acknowledged, "
            f"{drained['acks_left']} left, {drained['emails_queued_after_drain']} "
            f"emails queued in all)",
            flush=True,
        )
    if mode == next((m for m in args.modes if m != "notrack"), None):
        cron = system.cron(odoo, name)
        if cron:
            result.update(cron)
            print(
                f"    SLA cron over {count} tickets: {cron['cron_seconds']:.2f} s "
                f"({cron['cron_calls']} calls, {cron['cron_processed']} processed, "
                f"{cron['activities']} activities); states {cron['sla_states']}",
                flush=True,
            )
    if not args.keep_dbs:
        drop_db(odoo, args, name)
    else:
        close_db(odoo, name)
    return result


def print_profile(profiler, system, limit=25):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(limit)
    marker = "aftersales_service" if system.key == "aftersales" else "helpdesk_mgmt"
    out.write(f"\n--- functions of {marker}, by own time ---\n")
    stats.sort_stats("tottime").print_stats(marker, limit)
    print(out.getvalue(), flush=True)


def free_port(wanted=0):
    """``wanted`` when it is free (0: any free port), else an error."""
    with socket.socket() as sock:
        # as the server will: a port left in TIME_WAIT by the previous run is free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", wanted))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(args, name):
    port = free_port(args.http_port)
    handle, logfile = tempfile.mkstemp(prefix="bench_tickets_server_", suffix=".log")
    os.close(handle)
    process = subprocess.Popen(
        odoo_command(
            args,
            "-d",
            name,
            "--db-filter",
            f"^{name}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
            "--logfile",
            logfile,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/web/health", timeout=5
                ) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Odoo server did not start; see {logfile}")
            time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(OSError):
            if process.returncode in (0, -15):
                os.unlink(logfile)


def run_xmlrpc(odoo, args, system, count, mode):
    name = f"{args.db}_{system.key}_run"
    copy_db(odoo, args, setup_name(args, system), name)
    with environment(odoo, name) as env:
        fixture = json.loads(env["ir.config_parameter"].get_param(FIXTURE_PARAM))
        before = counts(env, system.model)
    close_db(odoo, name)
    rng = random.Random(args.seed + count)
    results = []
    with server(args, name) as port:
        common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common")
        models = xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{port}/xmlrpc/2/object", allow_none=True
        )
        uid = common.authenticate(name, "admin", ADMIN_PASSWORD, {})
        if not uid:
            raise RuntimeError("XML-RPC login admin/admin failed")
        kwargs = {"context": context_for(mode)}

        def call(method, *params, **extra):
            return models.execute_kw(
                name,
                uid,
                ADMIN_PASSWORD,
                system.model,
                method,
                list(params),
                {**kwargs, **extra},
            )

        # warm the server (registry, caches), then remove the warm-up tickets
        warm = call(
            "create",
            [
                system.values(fixture, -i, rng, datetime.now(), mode)
                for i in range(1, 11)
            ],
        )
        call("unlink", warm)
        now = datetime.now()
        for label, total, size in (
            ("XML-RPC batch", count, args.xmlrpc_batch),
            ("XML-RPC single", args.xmlrpc_single, 1),
        ):
            if not total:
                continue
            vals_list = [
                system.values(fixture, index, rng, now, mode) for index in range(total)
            ]
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            for offset in range(0, total, size):
                chunk = vals_list[offset : offset + size]
                call("create", chunk if size > 1 else chunk[0])
            seconds = time.perf_counter() - started
            results.append(
                {
                    "system": system.label,
                    "path": label,
                    "tickets": total,
                    "batch": min(size, total),
                    "mode": mode,
                    "seconds": seconds,
                    "tickets_per_s": total / seconds,
                    "load": (load_before, os.getloadavg()[0]),
                }
            )
    with environment(odoo, name) as env:
        stats = diff(counts(env, system.model), before)
    for result in results:
        result["run_totals"] = stats
        print_run(result)
    print(
        f"    totals of the XML-RPC run (both parts, warm-up removed): {stats}",
        flush=True,
    )
    if not args.keep_dbs:
        drop_db(odoo, args, name)
    else:
        close_db(odoo, name)
    return results


ROW = (
    "{system:<20} {path:<14} {mode:<8} {tickets:>6} {batch:>5} {rate:>9} {ratio:>6} "
    "{drain:>7} {cron:>6} {load}"
)
NOTES = """\
ratio: aftersales_service tickets/s / helpdesk_mgmt tickets/s, same path, mode and N
  (mode ack is compared with helpdesk_mgmt default: helpdesk_mgmt sends no ack email).
default: the real path (chatter, followers, assignment notice, the New stage's
  acknowledgement queued), stage_id not in the values; ack: default plus stage_id in
  the values, as the form view sends it; notrack: context tracking_disable=True.
  The creation time (tickets/s, ratio) does not include the acknowledgement emails:
  creating a ticket queues its acknowledgement (ack_pending) and triggers the cron
  that sends them right after the commit.
drain s: seconds of _cron_send_acknowledgements calls (200 tickets each, commit
  after each) until the queue is empty, run after the creation (ORM path only).
cron s: seconds of _cron_sla_check calls until done, time moved 0-47 h forward.
load: 1-minute load average before-after the run (2 cores)."""


def print_run(result):
    extra = ""
    cpu = result.get("cpu_seconds")
    if "assigned" in result:
        extra = (
            f"; {result['assigned']} assigned, {result['messages']} messages, "
            f"{result['followers']} followers, {result['emails_queued']} emails "
            f"queued ({result['assignment_notices']} assignment notices)"
        )
    print(
        f"  {result['system']} | {result['path']} | {result['mode']} | "
        f"N={result['tickets']} batch={result['batch']} | {result['seconds']:.2f} s"
        + (f" (Odoo CPU {cpu:.2f} s)" if cpu is not None else "")
        + " | "
        f"{result['tickets_per_s']:.1f} tickets/s | load {result['load'][0]:.2f}"
        f" -> {result['load'][1]:.2f}{extra}",
        flush=True,
    )


def print_table(results, skipped):
    print("\n" + "=" * 96)
    print(
        ROW.format(
            system="system",
            path="path",
            mode="mode",
            tickets="N",
            batch="batch",
            rate="tickets/s",
            ratio="ratio",
            drain="drain s",
            cron="cron s",
            load="load",
        )
    )
    print("-" * 96)
    by_key = {(r["system"], r["path"], r["mode"], r["tickets"]): r for r in results}
    for r in results:
        ratio = ""
        if r["system"] == Aftersales.label:
            mode = "default" if r["mode"] == "ack" else r["mode"]
            other = by_key.get((Helpdesk.label, r["path"], mode, r["tickets"]))
            if other:
                ratio = f"{r['tickets_per_s'] / other['tickets_per_s']:.2f}x"
        print(
            ROW.format(
                system=r["system"],
                path=r["path"],
                mode=r["mode"],
                tickets=r["tickets"],
                batch=r["batch"],
                rate=f"{r['tickets_per_s']:.1f}",
                ratio=ratio,
                drain=f"{r['drain_seconds']:.2f}" if "drain_seconds" in r else "",
                cron=f"{r['cron_seconds']:.2f}" if "cron_seconds" in r else "",
                load=f"{r['load'][0]:.2f}-{r['load'][1]:.2f}",
            )
        )
    print("-" * 96)
    print(NOTES)
    if skipped:
        print(f"comparison skipped: {skipped}")


def main():
    args = parse_args()
    odoo = odoo_setup(args)
    systems = [Aftersales]
    skipped = None
    if args.compare:
        skipped = helpdesk_unavailable_reason(odoo)
        if skipped:
            print(f"skipping the helpdesk_mgmt comparison: {skipped}", flush=True)
        else:
            systems.append(Helpdesk)
    else:
        skipped = "--no-compare"
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    print(
        f"Odoo {odoo.release.version}, {os.cpu_count()} cores, load {os.getloadavg()}",
        flush=True,
    )
    for system in systems:
        prepare(odoo, args, system)
    results = []
    for count in [count for count in args.tickets if count > 0]:
        for mode in args.modes:
            for system in systems:
                if mode == "ack" and system is not Aftersales:
                    continue
                results.append(run_orm(odoo, args, system, count, mode, args.profile))
    if args.xmlrpc_tickets or args.xmlrpc_single:
        for mode in args.modes:
            for system in systems:
                if mode == "ack" and system is not Aftersales:
                    continue
                results += run_xmlrpc(odoo, args, system, args.xmlrpc_tickets, mode)
    print_table(results, skipped)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "skipped": skipped}, indent=1, default=str)
        )
    if not args.keep_dbs:
        for system in systems:
            drop_db(odoo, args, setup_name(args, system))


if __name__ == "__main__":
    main()
