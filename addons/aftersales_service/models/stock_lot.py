from odoo import fields, models, tools

from ..const import WARRANTY_STATES, WARRANTY_STATUSES


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty",
        "lot_id",
        string="Warranty Registrations",
        groups="aftersales_service.aftersales_group_user",
    )
    aftersales_warranty_id = fields.Many2one(
        "aftersales.warranty",
        string="Current Warranty",
        compute="_compute_aftersales_warranty_id",
        groups="aftersales_service.aftersales_group_user",
    )
    aftersales_warranty_end = fields.Date(
        compute="_compute_aftersales_warranty_id",
        string="Warranty Until",
        groups="aftersales_service.aftersales_group_user",
    )
    aftersales_warranty_state = fields.Selection(
        WARRANTY_STATES,
        compute="_compute_aftersales_warranty_id",
        string="Warranty Status",
        groups="aftersales_service.aftersales_group_user",
    )
    aftersales_warranty_status = fields.Selection(
        WARRANTY_STATUSES,
        compute="_compute_aftersales_warranty_id",
        string="Warranty Today",
        help="The serial's warranty status today, as a ticket or a warranty check "
        "would give it.",
        groups="aftersales_service.aftersales_group_user",
    )

    def init(self):
        res = super().init()
        # exact serial look-ups (warranty checks from the portal and RPC) need a
        # plain btree: Odoo only gives the name a trigram index
        tools.create_index(
            self.env.cr, "stock_lot_aftersales_name_index", self._table, ["name"]
        )
        return res

    def _compute_aftersales_warranty_id(self):
        # the registration that counts (as superuser: stock users see the warranty
        # summary of a serial without the service group)
        Warranty = self.env["aftersales.warranty"]
        counting = Warranty._counting_for_lots(self)
        today = fields.Date.context_today(self)
        for lot in self:
            warranty = counting.get(lot.id, Warranty.sudo())
            lot.aftersales_warranty_id = warranty
            lot.aftersales_warranty_end = warranty.date_end
            lot.aftersales_warranty_state = warranty.state
            lot.aftersales_warranty_status = warranty._status_on(today)
