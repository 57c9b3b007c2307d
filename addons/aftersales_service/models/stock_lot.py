from odoo import fields, models, tools

from ..const import WARRANTY_STATES


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

    def init(self):
        res = super().init()
        # exact serial look-ups (warranty checks from the portal and RPC) need a
        # plain btree: Odoo only gives the name a trigram index
        tools.create_index(
            self.env.cr, "stock_lot_aftersales_name_index", self._table, ["name"]
        )
        return res

    def _compute_aftersales_warranty_id(self):
        # sudo: stock users see the warranty summary of a serial without the
        # service group
        warranties = (
            self.env["aftersales.warranty"]
            .sudo()
            .search([("lot_id", "in", self.ids)], order="id desc")
        )
        current = {}
        for warranty in warranties:
            if warranty.lot_id not in current or (
                warranty.state in ("draft", "active")
                and current[warranty.lot_id].state not in ("draft", "active")
            ):
                current[warranty.lot_id] = warranty
        for lot in self:
            warranty = current.get(lot, self.env["aftersales.warranty"])
            lot.aftersales_warranty_id = warranty
            lot.aftersales_warranty_end = warranty.date_end
            lot.aftersales_warranty_state = warranty.state
