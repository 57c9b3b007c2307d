import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from ..const import (
    CUSTOMS_STATUSES,
    EXPORT_REASONS,
    SHIPMENT_DIRECTIONS,
    SHIPMENT_STATUSES,
)

_logger = logging.getLogger(__name__)

# tracking: statuses after which a leg is no longer polled
TRACKING_FINAL_STATUSES = ("delivered", "returned")
# statuses the customer is told about by email, on the legs they care about
TRACKING_NOTIFY_STATUSES = {
    "customs_hold": "aftersales_rma.mail_template_shipment_customs_hold",
    "delivered": "aftersales_rma.mail_template_shipment_delivered",
}
TRACKING_NOTIFY_DIRECTIONS = ("customer_to_hub", "hub_to_customer")
TRACKING_MAX_BACKOFF = 24 * 60  # minutes


class AftersalesShipment(models.Model):
    _name = "aftersales.shipment"
    _description = "Shipment Leg"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "tracking_ref"]
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="New", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    rma_id = fields.Many2one(
        "aftersales.rma", string="RMA", index="btree_not_null", check_company=True
    )
    ticket_id = fields.Many2one(related="rma_id.ticket_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, check_company=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", index="btree_not_null", check_company=True
    )
    direction = fields.Selection(SHIPMENT_DIRECTIONS, required=True, index=True)
    carrier_id = fields.Many2one("delivery.carrier")
    carrier_code = fields.Char(help="Carrier code known to the tracking provider.")
    provider_id = fields.Many2one(
        "aftersales.tracking.provider", string="Tracking Provider"
    )
    tracking_ref = fields.Char(
        string="Tracking Number", index="btree_not_null", tracking=True
    )
    status = fields.Selection(
        SHIPMENT_STATUSES, default="draft", required=True, index=True, tracking=True
    )
    event_ids = fields.One2many(
        "aftersales.shipment.event", "shipment_id", string="Events"
    )
    estimated_delivery = fields.Datetime()
    date_shipped = fields.Datetime()
    date_delivered = fields.Datetime()
    # tracking (provider polling, pushes and errors)
    provider_type = fields.Selection(related="provider_id.provider_type")
    tracking_open = fields.Boolean(
        compute="_compute_tracking_open",
        store=True,
        help="Polled by the tracking cron: a tracking number with an API provider, "
        "not delivered or returned yet.",
    )
    tracking_registered = fields.Boolean(
        readonly=True, copy=False, help="The provider knows the tracking number."
    )
    tracking_next_poll = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the cron polls the provider next (later after errors).",
    )
    tracking_last_poll = fields.Datetime(readonly=True, copy=False)
    tracking_error = fields.Text(readonly=True, copy=False)
    tracking_error_count = fields.Integer(readonly=True, copy=False)
    has_tracking_error = fields.Boolean(
        compute="_compute_has_tracking_error", store=True, index=True
    )
    event_count = fields.Integer(compute="_compute_event_count")
    # customs
    currency_id = fields.Many2one(
        "res.currency", default=lambda s: s.env.company.currency_id, required=True
    )
    declared_value = fields.Monetary(currency_field="currency_id")
    incoterm_id = fields.Many2one("account.incoterms")
    export_reason = fields.Selection(EXPORT_REASONS, string="Reason for Export")
    customs_status = fields.Selection(
        CUSTOMS_STATUSES, default="not_required", tracking=True
    )
    customs_reference = fields.Char()

    def init(self):
        res = super().init()
        # the cron's search: open legs by due date
        create_index(
            self.env.cr,
            "aftersales_shipment_tracking_due_index",
            self._table,
            ["tracking_next_poll", "id"],
            where="tracking_open",
        )
        return res

    @api.depends("tracking_ref", "provider_id.provider_type", "status")
    def _compute_tracking_open(self):
        for shipment in self:
            shipment.tracking_open = bool(
                shipment.tracking_ref
                and shipment.provider_id.provider_type == "track17"
                and shipment.status not in TRACKING_FINAL_STATUSES
            )

    @api.depends("tracking_error")
    def _compute_has_tracking_error(self):
        for shipment in self:
            shipment.has_tracking_error = bool(shipment.tracking_error)

    def _compute_event_count(self):
        counts = dict(
            self.env["aftersales.shipment.event"]._read_group(
                [("shipment_id", "in", self.ids)], ["shipment_id"], ["__count"]
            )
        )
        for shipment in self:
            shipment.event_count = counts.get(shipment, 0)

    @api.model_create_multi
    def create(self, vals_list):
        pickings = self.env["stock.picking"].browse(
            {vals["picking_id"] for vals in vals_list if vals.get("picking_id")}
        )
        picking_refs = {
            picking.id: picking.carrier_tracking_ref for picking in pickings
        }
        default_providers = {}
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.shipment") or "New"
                )
            picking_ref = picking_refs.get(vals.get("picking_id"))
            if picking_ref and not vals.get("tracking_ref"):
                vals["tracking_ref"] = picking_ref.strip()
            if "provider_id" not in vals:
                company_id = vals.get("company_id") or self.env.company.id
                if company_id not in default_providers:
                    default_providers[company_id] = self._default_tracking_provider(
                        company_id
                    )
                vals["provider_id"] = default_providers[company_id].id
            if vals.get("tracking_ref"):
                vals.setdefault("tracking_next_poll", fields.Datetime.now())
        shipments = super().create(vals_list)
        shipments._tracking_trigger_cron()
        return shipments

    def write(self, vals):
        if self.env.context.get("aftersales_tracking_data"):
            return super().write(vals)
        if "tracking_ref" in vals or "provider_id" in vals:
            # a new number (or provider): register it again at the next poll
            vals = dict(
                vals,
                tracking_registered=False,
                tracking_next_poll=fields.Datetime.now(),
                tracking_error=False,
                tracking_error_count=0,
            )
        result = super().write(vals)
        if "tracking_ref" in vals or "provider_id" in vals:
            self._tracking_trigger_cron()
        return result

    # ------------------------------------------------------------------ actions
    def action_tracking_refresh(self):
        """Poll the provider now for these shipments (button)."""
        self.check_access("write")
        shipments = self.filtered("tracking_open")
        if not shipments:
            raise UserError(
                self.env._(
                    "Only open shipments with an API tracking provider can be polled."
                )
            )
        # sudo: the provider's API key is readable by system users only
        for provider, legs in shipments.sudo().grouped("provider_id").items():
            if provider._is_rate_limited():
                raise UserError(
                    self.env._(
                        "%(provider)s asked to wait until %(date)s UTC (rate limit).",
                        provider=provider.name,
                        date=provider.rate_limited_until,
                    )
                )
            provider._poll(legs)
        return True

    def action_view_events(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tracking Events"),
            "res_model": "aftersales.shipment.event",
            "view_mode": "list,form",
            "domain": [("shipment_id", "=", self.id)],
            "context": {"default_shipment_id": self.id},
        }

    # ------------------------------------------------------------------ tracking
    @api.model
    def _default_tracking_provider(self, company_id):
        return self.env["aftersales.tracking.provider"].search(
            [("company_id", "in", [company_id, False])],
            order="provider_type desc, sequence, id",  # API providers first
            limit=1,
        )

    def _tracking_trigger_cron(self):
        if any(self.mapped("tracking_open")):
            cron = self.env.ref(
                "aftersales_rma.ir_cron_aftersales_tracking_poll",
                raise_if_not_found=False,
            )
            if cron:
                cron._trigger()

    def _tracking_request_item(self):
        self.ensure_one()
        item = {"number": self.tracking_ref}
        if self.carrier_code and self.carrier_code.strip().isdigit():
            item["carrier"] = int(self.carrier_code)
        return item

    @api.model
    def _tracking_sync_pickings(self, pickings):
        """Copy the pickings' ``carrier_tracking_ref`` onto their shipment legs
        (for when the carrier gives the number after the leg was created, e.g.
        on validation); the changed legs are registered at the next poll."""
        shipments = self.search([("picking_id", "in", pickings.ids)])
        for shipment in shipments:
            ref = (shipment.picking_id.carrier_tracking_ref or "").strip()
            if ref and ref != shipment.tracking_ref:
                shipment.tracking_ref = ref
        return shipments

    @api.model
    def _tracking_due_domain(self, now=None):
        now = now or fields.Datetime.now()
        return [
            ("tracking_open", "=", True),
            "|",
            ("tracking_next_poll", "=", False),
            ("tracking_next_poll", "<=", now),
            "|",
            ("provider_id.rate_limited_until", "=", False),
            ("provider_id.rate_limited_until", "<=", now),
        ]

    @api.model
    def _tracking_poll_due(self, limit=200):
        """Poll up to ``limit`` due shipments, grouped by provider; returns how
        many were handled. Provider errors end up on the shipments."""
        due = self.search(
            self._tracking_due_domain(),
            order="tracking_next_poll asc nulls first, id",
            limit=limit,
        )
        for provider, shipments in due.grouped("provider_id").items():
            provider._poll(shipments)
        return len(due)

    @api.model
    def _tracking_backoff(self, error_count):
        """Minutes before the next try after ``error_count`` failures in a row."""
        return min(5 * 2 ** max(error_count - 1, 0), TRACKING_MAX_BACKOFF)

    def _tracking_store_results(
        self, results, failures, now, pushed=False, registered=None
    ):
        """Store a poll (or a push): ``results`` maps shipments to parsed
        provider items, ``failures`` maps shipments to ``(message, retry_at)``,
        ``registered`` to their new ``tracking_registered``. Batched: the number
        of queries does not depend on the shipments."""
        registered = registered or {}
        events_vals = []
        if results:
            events_vals = self._tracking_new_event_vals(results)
            # before anything is written: a concurrent push of the same events
            # makes this transaction retry here, not on a shipment's row
            self._tracking_claim_events(events_vals)
        for shipment, item in results.items():
            # only what changes: concurrent pushes that bring nothing new then
            # write nothing, and do not serialize on the shipment's row
            vals = {}
            if shipment.tracking_error or shipment.tracking_error_count:
                vals.update(tracking_error=False, tracking_error_count=0)
            if (
                shipment in registered
                and registered[shipment] != shipment.tracking_registered
            ):
                vals["tracking_registered"] = registered[shipment]
            if not pushed:
                interval = shipment.provider_id.poll_interval or 60
                vals["tracking_last_poll"] = now
                vals["tracking_next_poll"] = now + timedelta(minutes=interval)
            if (
                item.get("estimated_delivery")
                and item["estimated_delivery"] != shipment.estimated_delivery
            ):
                vals["estimated_delivery"] = item["estimated_delivery"]
            if vals:
                shipment._tracking_write(vals)
        for shipment, (message, retry_at) in failures.items():
            count = shipment.tracking_error_count + 1
            vals = {
                "tracking_error": f"{fields.Datetime.to_string(now)} {message}",
                "tracking_error_count": count,
                "tracking_last_poll": now,
                "tracking_next_poll": retry_at
                or now + timedelta(minutes=self._tracking_backoff(count)),
            }
            if shipment in registered:
                vals["tracking_registered"] = registered[shipment]
            shipment._tracking_write(vals)
        if events_vals:
            self._tracking_create_events(events_vals)

    def _tracking_write(self, vals):
        # the provider's data, not a user edit: no tracking, no re-registration
        return self.with_context(
            mail_notrack=True, aftersales_tracking_data=True
        ).write(vals)

    def _tracking_new_event_vals(self, results):
        """Values of the events of ``results`` not stored yet (one query)."""
        shipments = self.browse([shipment.id for shipment in results])
        known = {
            (row["shipment_id"][0], row["external_id"])
            for row in self.env["aftersales.shipment.event"]
            .sudo()
            .search_read(
                [
                    ("shipment_id", "in", shipments.ids),
                    ("external_id", "!=", False),
                ],
                ["shipment_id", "external_id"],
            )
        }
        vals_list = []
        for shipment, item in results.items():
            for event in item.get("events") or []:
                key = (shipment.id, event["external_id"])
                if key in known:
                    continue
                known.add(key)
                vals_list.append(dict(event, shipment_id=shipment.id))
        return vals_list

    def _tracking_create_events(self, vals_list):
        """Create events; a concurrent poll or push may have stored some of them
        meanwhile (unique constraint): then keep only the missing ones."""
        Event = self.env["aftersales.shipment.event"].sudo()
        try:
            with self.env.cr.savepoint():
                return Event.create(vals_list)
        except IntegrityError:
            _logger.info("Tracking events stored concurrently; storing the others")
        shipments = self.browse({vals["shipment_id"] for vals in vals_list})
        Event.invalidate_model()
        known = {
            (event.shipment_id.id, event.external_id)
            for event in Event.search([("shipment_id", "in", shipments.ids)])
        }
        return Event.create(
            [
                vals
                for vals in vals_list
                if (vals["shipment_id"], vals["external_id"]) not in known
            ]
        )

    @api.model
    def _tracking_claim_events(self, vals_list):
        """The same carrier event stored once by concurrent pushes and polls:
        the first transaction stores it, the others are retried by Odoo and
        find it stored (see aftersales.idempotency.key)."""
        self.env["aftersales.idempotency.key"]._claim(
            "aftersales.shipment.event",
            [
                f"{vals['shipment_id']}/{vals['external_id']}"
                for vals in vals_list
                if vals.get("external_id")
            ],
        )

    def _tracking_refresh_status(self):
        """Set status and dates from the latest event of each shipment; post
        the changes on the shipment, its RMA and its ticket; email the customer
        about the important ones."""
        if not self.ids:
            return
        self.env["aftersales.shipment.event"].flush_model(
            ["shipment_id", "date", "status"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT shipment_id,
                          (array_agg(status ORDER BY date DESC, id DESC))[1],
                          min(date), max(date)
                     FROM aftersales_shipment_event
                    WHERE shipment_id = ANY(%s)
                 GROUP BY shipment_id""",
                list(self.ids),
            )
        )
        latest = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        changes = []
        for shipment in self:
            if shipment.id not in latest:
                continue
            status, first_date, last_date = latest[shipment.id]
            vals = {}
            if status != shipment.status:
                vals["status"] = status
                changes.append((shipment, shipment.status, status))
            if not shipment.date_shipped:
                vals["date_shipped"] = first_date
            if status == "delivered" and not shipment.date_delivered:
                vals["date_delivered"] = last_date
            if vals:
                shipment._tracking_write(vals)
        if changes:
            self._tracking_post_changes(changes)

    def _tracking_post_changes(self, changes):
        labels = dict(self._fields["status"]._description_selection(self.env))
        author_id = self.env.ref("base.partner_root").id
        bodies = {
            "aftersales.shipment": {},
            "aftersales.rma": {},
            "aftersales.ticket": {},
        }
        to_notify = defaultdict(lambda: self.browse())
        for shipment, old, new in changes:
            text = self.env._(
                "Shipment %(name)s (%(ref)s): %(old)s → %(new)s",
                name=shipment.name,
                ref=shipment.tracking_ref or "-",
                old=labels.get(old, old),
                new=labels.get(new, new),
            )
            line = Markup("<p>%s</p>") % text
            bodies["aftersales.shipment"][shipment.id] = line
            for model, record in (
                ("aftersales.rma", shipment.rma_id),
                ("aftersales.ticket", shipment.ticket_id),
            ):
                if record:
                    bodies[model][record.id] = (
                        bodies[model].get(record.id, Markup()) + line
                    )
            if (
                new in TRACKING_NOTIFY_STATUSES
                and shipment.partner_id
                and shipment.direction in TRACKING_NOTIFY_DIRECTIONS
            ):
                to_notify[new] |= shipment
        for model, model_bodies in bodies.items():
            if model_bodies:
                # sudo: a log of provider data on documents the shipment belongs to
                self.env[model].sudo().browse(list(model_bodies))._message_log_batch(
                    model_bodies, author_id=author_id
                )
        for status, shipments in to_notify.items():
            template = self.env.ref(
                TRACKING_NOTIFY_STATUSES[status], raise_if_not_found=False
            )
            if template:
                shipments._tracking_notify_customers(template, author_id)

    def _tracking_notify_customers(self, template, author_id):
        """Post ``template`` on each shipment to its customer: one composer for
        all of them (the template renders in batch), one message each."""
        # sudo: pushes come in as the public user; the emails go to the mail
        # queue instead of being sent one by one from the cron
        composer = (
            self.env["mail.compose.message"]
            .sudo()
            .with_context(
                mail_notify_force_send=False,
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "author_id": author_id,
                }
            )
        )
        composer._action_send_mail()

    @api.model
    def _create_for_pickings(self, pickings, direction):
        """One shipment leg per picking; returns the new shipments."""
        return self.create(
            [
                {
                    "rma_id": picking.aftersales_rma_id.id,
                    "picking_id": picking.id,
                    "partner_id": picking.partner_id.id,
                    "company_id": picking.company_id.id,
                    "direction": direction,
                    "carrier_id": picking.carrier_id.id,
                }
                for picking in pickings
            ]
        )
