import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("running", "Running"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]


class AftersalesCampaign(models.Model):
    """A recall or service campaign: the affected units (by product, serials,
    a serial range or the serials' creation dates), one proactive ticket per
    unit for its owner (the registration that counts for the serial), created
    in batches by a cron with its progress, and the owners and dealers told in
    their language."""

    _name = "aftersales.campaign"
    _description = "After-Sales Recall or Service Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(
        [("recall", "Recall"), ("service", "Service Campaign")],
        default="service",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    state = fields.Selection(
        CAMPAIGN_STATES, default="draft", required=True, index=True, tracking=True
    )
    description = fields.Html(
        translate=True, help="What is done and why: sent to the owners and dealers."
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    selected_lot_ids = fields.Many2many(
        "stock.lot",
        "aftersales_campaign_selected_lot_rel",
        string="Serials",
        domain="[('product_id', '=', product_id)]",
        help="Only these serials (else every serial matching the range and dates).",
    )
    serial_from = fields.Char(help="First serial of the range (compared as text).")
    serial_to = fields.Char(help="Last serial of the range (compared as text).")
    produced_from = fields.Date(string="Serials Created From")
    produced_to = fields.Date(string="Serials Created To")
    team_id = fields.Many2one("aftersales.team", check_company=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type")
    unit_ids = fields.Many2many(
        "stock.lot",
        "aftersales_campaign_unit_rel",
        string="Affected Units",
        readonly=True,
        copy=False,
    )
    ticket_ids = fields.One2many("aftersales.ticket", "campaign_id", readonly=True)
    unit_count = fields.Integer(compute="_compute_progress", string="Units")
    reached_count = fields.Integer(compute="_compute_progress", string="Reached")
    serviced_count = fields.Integer(compute="_compute_progress", string="Serviced")
    open_count = fields.Integer(compute="_compute_progress", string="Open")
    progress = fields.Float(compute="_compute_progress", string="Serviced (%)")

    @api.depends("unit_ids", "ticket_ids.is_closed")
    def _compute_progress(self):
        counts = {
            (campaign.id, closed): count
            for campaign, closed, count in self.env["aftersales.ticket"]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "is_closed"],
                ["__count"],
            )
        }
        for campaign in self:
            serviced = counts.get((campaign.id, True), 0)
            opened = counts.get((campaign.id, False), 0)
            campaign.unit_count = len(campaign.unit_ids)
            campaign.reached_count = serviced + opened
            campaign.serviced_count = serviced
            campaign.open_count = opened
            campaign.progress = (
                100.0 * serviced / campaign.unit_count if campaign.unit_count else 0.0
            )

    def _units_domain(self):
        self.ensure_one()
        domain = [("product_id", "=", self.product_id.id)]
        if self.selected_lot_ids:
            domain.append(("id", "in", self.selected_lot_ids.ids))
        if self.serial_from:
            domain.append(("name", ">=", self.serial_from))
        if self.serial_to:
            domain.append(("name", "<=", self.serial_to))
        if self.produced_from:
            domain.append(("create_date", ">=", self.produced_from))
        if self.produced_to:
            domain.append(
                ("create_date", "<", fields.Date.add(self.produced_to, days=1))
            )
        return domain

    def action_find_units(self):
        """The affected units: the serials of the criteria that have an owner
        (a registration counting for them)."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a draft campaign chooses its units."))
            lots = self.env["stock.lot"].search(campaign._units_domain())
            counting = self.env["aftersales.warranty"]._counting_for_lots(lots)
            campaign.unit_ids = lots.filtered(
                lambda lot, c=counting: lot.id in c and c[lot.id].partner_id
            )

    def action_launch(self):
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a draft campaign is launched."))
            if not campaign.unit_ids:
                campaign.action_find_units()
            if not campaign.unit_ids:
                raise UserError(
                    self.env._(
                        "No unit with an owner matches the campaign %(name)s.",
                        name=campaign.name,
                    )
                )
        self.write({"state": "running"})
        self.env.ref(
            "aftersales_service.ir_cron_aftersales_campaign_tickets"
        )._trigger()

    def action_cancel(self):
        self.write({"state": "cancel"})

    def action_done(self):
        self.write({"state": "done"})

    @api.model
    def _cron_create_campaign_tickets(self, batch_size=200):
        """Create the tickets of the running campaigns, ``batch_size`` per run,
        with the cron's progress; owners and dealers are told by email (through
        the mail queue, which the run wakes up)."""
        campaigns = self.search([("state", "=", "running")])
        done = 0
        remaining = 0
        for campaign in campaigns:
            pending = campaign._pending_units()
            batch = pending[: max(batch_size - done, 0)]
            if batch:
                campaign._create_tickets(batch)
                done += len(batch)
            remaining += len(pending) - len(batch)
        if done:
            # the notices wait in the mail queue (a batch post does not send them
            # itself): have its cron send them now rather than at its next hour
            mail_queue = self.env.ref(
                "mail.ir_cron_mail_scheduler_action", raise_if_not_found=False
            )
            if mail_queue:
                mail_queue._trigger()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _pending_units(self):
        """The affected units that have no ticket of the campaign yet, in the
        units' order: one query, whatever the number of units and tickets (the
        tickets are not read)."""
        self.ensure_one()
        Ticket = self.env["aftersales.ticket"]
        reached = Ticket._search(
            [("campaign_id", "=", self.id), ("lot_id", "!=", False)]
        ).subselect(SQL.identifier(Ticket._table, "lot_id"))
        return self.env["stock.lot"].search(
            [("id", "in", self.unit_ids.ids), ("id", "not in", reached)]
        )

    def _create_tickets(self, lots):
        self.ensure_one()
        counting = self.env["aftersales.warranty"]._counting_for_lots(lots)
        vals_list = [
            self._prepare_ticket_vals(lot, counting[lot.id])
            for lot in lots
            if lot.id in counting
        ]
        tickets = (
            self.env["aftersales.ticket"]
            .with_context(mail_notrack=True)
            .create(vals_list)
        )
        customer_template = self.env.ref(
            "aftersales_service.mail_template_campaign_customer",
            raise_if_not_found=False,
        )
        dealer_template = self.env.ref(
            "aftersales_service.mail_template_campaign_dealer",
            raise_if_not_found=False,
        )
        if customer_template:
            tickets._post_template_batch(
                customer_template, subtype_xmlid="mail.mt_comment"
            )
        if dealer_template:
            tickets.filtered("dealer_id")._post_template_batch(
                dealer_template, subtype_xmlid="mail.mt_note"
            )
        return tickets

    def _prepare_ticket_vals(self, lot, registration):
        self.ensure_one()
        return {
            "subject": self.env._(
                "%(campaign)s: %(serial)s", campaign=self.name, serial=lot.name
            ),
            "campaign_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": registration.partner_id.id,
            "product_id": self.product_id.id,
            "lot_id": lot.id,
            "team_id": self.team_id.id or False,
            "ticket_type_id": self.ticket_type_id.id or False,
            "channel": "campaign",
            "description": self.description or False,
            # the notices link to the ticket's portal page with its token: given
            # here, in the batch insert, instead of one write per ticket when the
            # notice is rendered
            "access_token": str(uuid.uuid4()),
        }
