from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools.failure_rate import failure_rate

QUALITY_ALERT_STATES = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("confirmed", "Confirmed"),
    ("closed", "Closed"),
]


class AftersalesQualityAlert(models.Model):
    """A product failing more often than its category allows: the failures (new
    tickets about it) of a rolling window per unit delivered to customers, above
    the category's threshold. Raised by the cron with the affected serials, their
    suppliers (the purchase the serial came in with) and the failure codes, and
    an activity for the company's quality owner."""

    _name = "aftersales.quality.alert"
    _description = "After-Sales Quality Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, index=True)
    state = fields.Selection(
        QUALITY_ALERT_STATES, default="new", required=True, index=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Quality Owner", index="btree_not_null", tracking=True
    )
    window_start = fields.Date(required=True)
    window_end = fields.Date(required=True)
    failure_count = fields.Integer(string="Failures", readonly=True)
    delivered_count = fields.Float(string="Units Delivered", readonly=True)
    failure_rate = fields.Float(string="Failure Rate (%)", readonly=True)
    threshold = fields.Float(string="Threshold (%)", readonly=True)
    ticket_ids = fields.Many2many("aftersales.ticket", string="Tickets", readonly=True)
    lot_ids = fields.Many2many(
        "stock.lot", string="Affected Serials", readonly=True, check_company=True
    )
    supplier_ids = fields.Many2many(
        "res.partner",
        string="Suppliers",
        readonly=True,
        help="The vendors of the purchases the affected serials were received with.",
    )
    failure_code_ids = fields.Many2many(
        "aftersales.failure.code", string="Failure Codes", readonly=True
    )
    conclusion = fields.Html()

    def action_investigate(self):
        self.write({"state": "investigating"})

    def action_confirm(self):
        self.write({"state": "confirmed"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "investigating"})

    @api.model
    def _cron_check_failure_rates(self):
        """Open (or bring up to date) an alert for each product whose failure rate
        over the company's window passes its category's threshold."""
        for company in self.env["res.company"].search([]):
            self.with_company(company)._check_failure_rates(company)

    def _check_failure_rates(self, company, today=None):
        today = today or fields.Date.context_today(self)
        window = company.aftersales_quality_window_days or 90
        start = today - timedelta(days=window)
        base_start = today - timedelta(days=365)
        rows = self._failure_rows(company, start, today, base_start)
        if not rows:
            return self.browse()
        Product = self.env["product.product"].with_company(company)
        products = Product.browse([row[0] for row in rows])
        open_alerts = {
            alert.product_id.id: alert
            for alert in self.search(
                [
                    ("company_id", "=", company.id),
                    ("product_id", "in", products.ids),
                    ("state", "!=", "closed"),
                ]
            )
        }
        new_vals, touched = [], self.browse()
        for product_id, failures, delivered, ticket_ids, lot_ids in rows:
            product = Product.browse(product_id)
            threshold = product.categ_id._aftersales_failure_threshold()
            rate = failure_rate(failures, delivered)
            if not threshold or rate is None or rate < threshold:
                continue
            values = self._prepare_alert_vals(
                company,
                product,
                start,
                today,
                failures,
                delivered,
                rate,
                threshold,
                ticket_ids,
                [lot for lot in lot_ids if lot],
            )
            alert = open_alerts.get(product_id)
            if alert:
                values.pop("name")
                values.pop("user_id")
                alert.write(values)
                touched |= alert
            else:
                new_vals.append(values)
        created = self.create(new_vals) if new_vals else self.browse()
        created._schedule_owner_activity()
        return created | touched

    def _failure_rows(self, company, start, end, base_start):
        """``(product id, failures, units delivered, ticket ids, lot ids)`` of the
        products with failures: the tickets created in [start, end] (not
        cancelled), the units delivered to customers in the year before end."""
        self.env["aftersales.ticket"].flush_model()
        self.env["stock.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH failures AS (
                    SELECT t.product_id, count(*) AS failures,
                           array_agg(t.id) AS ticket_ids,
                           array_agg(DISTINCT t.lot_id) AS lot_ids
                      FROM aftersales_ticket t
                      LEFT JOIN aftersales_stage s ON s.id = t.stage_id
                     WHERE t.company_id = %(company)s
                       AND t.product_id IS NOT NULL
                       AND t.active
                       AND NOT COALESCE(s.is_cancelled, FALSE)
                       AND t.create_date::date BETWEEN %(start)s AND %(end)s
                     GROUP BY t.product_id
                )
                SELECT f.product_id, f.failures,
                       COALESCE((
                           SELECT sum(m.product_qty) FROM stock_move m
                             JOIN stock_location l ON l.id = m.location_dest_id
                            WHERE m.product_id = f.product_id
                              AND m.company_id = %(company)s
                              AND m.state = 'done' AND l.usage = 'customer'
                              AND m.date::date BETWEEN %(base_start)s AND %(end)s
                       ), 0) AS delivered,
                       f.ticket_ids, f.lot_ids
                  FROM failures f
                """,
                company=company.id,
                start=start,
                end=end,
                base_start=base_start,
            )
        )
        return self.env.cr.fetchall()

    def _prepare_alert_vals(
        self,
        company,
        product,
        start,
        end,
        failures,
        delivered,
        rate,
        threshold,
        ticket_ids,
        lot_ids,
    ):
        tickets = self.env["aftersales.ticket"].browse(ticket_ids)
        codes = tickets.symptom_code_id | tickets.cause_code_id | tickets.remedy_code_id
        return {
            "name": self.env._(
                "%(product)s: %(rate).1f %% failures",
                product=product.display_name,
                rate=rate,
            ),
            "company_id": company.id,
            "product_id": product.id,
            "user_id": company.aftersales_quality_owner_id.id,
            "window_start": start,
            "window_end": end,
            "failure_count": failures,
            "delivered_count": delivered,
            "failure_rate": rate,
            "threshold": threshold,
            "ticket_ids": [Command.set(ticket_ids)],
            "lot_ids": [Command.set(lot_ids)],
            "supplier_ids": [Command.set(self._suppliers_of_lots(lot_ids))],
            "failure_code_ids": [Command.set(codes.ids)],
        }

    def _suppliers_of_lots(self, lot_ids):
        """The vendors whose purchases brought these serials in."""
        return list(
            dict.fromkeys(vendor for __, vendor in self._lot_purchases(lot_ids))
        )

    def _supplier_by_lot(self, lot_ids):
        """``{lot id: vendor id}``: the vendor of the last purchase each serial
        was received with."""
        suppliers = {}
        for lot_id, vendor_id in self._lot_purchases(lot_ids):
            suppliers.setdefault(lot_id, vendor_id)
        return suppliers

    def _lot_purchases(self, lot_ids):
        """``(lot id, vendor id)`` of the done purchase receipts of these
        serials, the latest first."""
        if not lot_ids:
            return []
        self.env["stock.move.line"].flush_model(["lot_id", "move_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT ml.lot_id, po.partner_id
                  FROM stock_move_line ml
                  JOIN stock_move m ON m.id = ml.move_id
                  JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                  JOIN purchase_order po ON po.id = pol.order_id
                 WHERE ml.lot_id = ANY(%s) AND m.state = 'done'
                 ORDER BY m.date DESC, m.id DESC
                """,
                list(lot_ids),
            )
        )
        return self.env.cr.fetchall()

    def _schedule_owner_activity(self):
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for alert in self.filtered("user_id"):
            alert.activity_schedule(
                activity_type_id=todo.id if todo else False,
                user_id=alert.user_id.id,
                summary=self.env._("Investigate: %(alert)s", alert=alert.name),
            )
