"""The two ticket systems the ticket benchmarks compare, on the same fixtures.

aftersales_service (``aftersales.ticket``) and OCA's ``helpdesk_mgmt``
(``helpdesk.ticket`` with name, description, customer and team; it has no SLA
and no assignment). For each system a set-up database ``<prefix>_<system>_setup``
is built once (a copy of ``--template`` when that database exists, else a fresh
one), with the module installed and realistic fixtures: customers in ten
countries and languages with service tiers, service engineers with countries,
languages and skills, a round-robin team on a Europe/Berlin calendar with public
holidays, SLA policies. It is kept and reused by the next benchmark (``--rebuild``
builds it again); every measured run works on its own copy, dropped at the end.
Emails are queued in ``mail.mail``, not sent: the set-up databases set
``mail.mail.force.send.limit`` to 0, as if a mail queue cron sent them later.
"""

import argparse
import json
import random
from datetime import datetime, timedelta

from bench_common import (
    add_odoo_arguments,
    close_db,
    copy_db,
    drop_db,
    environment,
    install,
)
from odoo_harness import db_exists

FIXTURE_PARAM = "bench_tickets.fixture"
ADMIN_PASSWORD = "admin"
MODES = ("default", "ack", "notrack")

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


def add_arguments(parser, modes=True):
    """The options every ticket benchmark takes."""
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
    if modes:
        parser.add_argument(
            "--modes",
            default="default,ack,notrack",
            help="comma-separated: 'default' (real path, no stage in the values), "
            "'ack' (stage_id in the values, as the form view sends it: "
            "acknowledgement email; aftersales_service only), 'notrack' "
            "(tracking_disable=True)",
        )
    parser.add_argument(
        "--rebuild", action="store_true", help="build the set-up databases again"
    )
    parser.add_argument(
        "--keep-dbs", action="store_true", help="keep the run databases at the end"
    )
    parser.add_argument(
        "--helpdesk-alone",
        action="store_true",
        help="install helpdesk_mgmt without the Odoo modules aftersales_service "
        "depends on (sales, inventory, accounting): the set-up of the benchmarks "
        "before 2026-12-03",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--seed", type=int, default=42)
    add_odoo_arguments(parser)


def parse_modes(parser, args):
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not args.modes or not set(args.modes) <= set(MODES):
        parser.error("--modes takes 'default', 'ack' and/or 'notrack'")


def helpdesk_unavailable_reason():
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


def aftersales_odoo_depends():
    """The Odoo modules aftersales_service depends on (its manifest's
    ``depends``): sales, inventory, accounting, portal, ratings, digests."""
    import ast
    from pathlib import Path

    manifest = (
        Path(__file__).resolve().parent.parent
        / "addons"
        / "aftersales_service"
        / "__manifest__.py"
    )
    return list(ast.literal_eval(manifest.read_text())["depends"])


class Helpdesk:
    key = "helpdesk"
    label = "helpdesk_mgmt (OCA)"
    model = "helpdesk.ticket"
    # measured on the database our users have: the Odoo modules aftersales_service
    # depends on (sale_stock and with it accounting, ...) are installed beside
    # helpdesk_mgmt, so that both systems read the same partners, users and
    # companies (``--helpdesk-alone``: helpdesk_mgmt and its own dependencies only)
    module = ",".join(["helpdesk_mgmt", *aftersales_odoo_depends()])

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


def systems(args):
    """The systems to measure, and why helpdesk_mgmt is not among them, if so."""
    if not args.compare:
        return [Aftersales], "--no-compare"
    skipped = helpdesk_unavailable_reason()
    if skipped:
        print(f"skipping the helpdesk_mgmt comparison: {skipped}", flush=True)
        return [Aftersales], skipped
    return [Aftersales, Helpdesk], None


def setup_name(args, system):
    alone = "_alone" if system is Helpdesk and args.helpdesk_alone else ""
    return f"{args.db}_{system.key}{alone}_setup"


def setup_modules(args, system):
    """The modules of the set-up database of ``system``."""
    if system is Helpdesk and args.helpdesk_alone:
        return "helpdesk_mgmt"
    return system.module


def prepare(args, system):
    """Build the set-up database of ``system`` unless it is there and ready."""
    name = setup_name(args, system)
    if not args.rebuild and db_exists(name):
        with environment(name) as env:
            ready = bool(env["ir.config_parameter"].get_param(FIXTURE_PARAM))
            wanted = setup_modules(args, system).split(",")
            installed = env["ir.module.module"].search_count(
                [("name", "in", wanted), ("state", "=", "installed")]
            )
            # a set-up database of an earlier benchmark without all the modules
            ready = ready and installed == len(set(wanted))
        close_db(name)
        if ready:
            print(f"reusing {name} (--rebuild to build it again)", flush=True)
            return
    print(f"building {name}...", flush=True)
    if args.template and db_exists(args.template):
        copy_db(args.template, name)
    else:
        print(
            f"  template {args.template!r} missing: installing everything from scratch",
            flush=True,
        )
        drop_db(name)
    install(name, setup_modules(args, system))
    with environment(name) as env:
        fixture = system.fixtures(env, random.Random(args.seed))
        env["ir.config_parameter"].set_param(FIXTURE_PARAM, json.dumps(fixture))
        env.cr.commit()
    close_db(name)


def run_database(args, system):
    """A fresh copy of the set-up database for one measured run, and its fixture."""
    name = f"{args.db}_{system.key}_run"
    copy_db(setup_name(args, system), name)
    with environment(name) as env:
        fixture = json.loads(env["ir.config_parameter"].get_param(FIXTURE_PARAM))
    return name, fixture


def finish(args, name):
    if args.keep_dbs:
        close_db(name)
    else:
        drop_db(name)


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
