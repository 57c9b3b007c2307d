from odoo import api, fields, models

from ..const import RMA_STATES


class AftersalesRma(models.Model):
    _name = "aftersales.rma"
    _description = "Return Merchandise Authorization"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "partner_id.name", "line_ids.lot_id.name"]
    _check_company_auto = True

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        RMA_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        check_company=True,
    )
    country_id = fields.Many2one(
        "res.country", compute="_compute_country_id", store=True, readonly=False,
        index=True,
    )
    dealer_id = fields.Many2one("res.partner", index=True, check_company=True)
    ticket_id = fields.Many2one(
        "aftersales.ticket", index="btree_not_null", check_company=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda s: s.env.user, tracking=True
    )
    template_id = fields.Many2one(
        "aftersales.rma.template", string="RMA Template", check_company=True,
        tracking=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Receiving Warehouse", check_company=True
    )
    line_ids = fields.One2many("aftersales.rma.line", "rma_id", string="Lines", copy=True)
    picking_ids = fields.One2many("stock.picking", "aftersales_rma_id", string="Transfers")
    shipment_ids = fields.One2many("aftersales.shipment", "rma_id", string="Shipments")
    description = fields.Html()

    @api.depends("partner_id")
    def _compute_country_id(self):
        for rma in self:
            rma.country_id = rma.partner_id.country_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.rma") or "New"
        return super().create(vals_list)
