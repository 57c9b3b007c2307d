from odoo import models


class StockMove(models.Model):
    """The reservation of a spare part request's moves follows the owner of
    the stock (README, "Spare parts for a case"): a line sourced from a
    dealer's consignment stock reserves only that dealer's quants (the move's
    ``restrict_partner_id``), any other line only the company's own quants.
    Odoo's other moves reserve as before. The consigned parts, which Odoo does
    not value, cost the product's cost when delivered or consumed by a
    repair."""

    _inherit = "stock.move"

    def _update_reserved_quantity_vals(
        self,
        need,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        if not self.aftersales_part_line_id or strict or owner_id:
            return super()._update_reserved_quantity_vals(
                need, location_id, lot_id, package_id, owner_id, strict
            )
        if self.restrict_partner_id:
            return super()._update_reserved_quantity_vals(
                need, location_id, lot_id, package_id, self.restrict_partner_id, strict
            )
        move = self.with_context(aftersales_own_stock_company_id=self.company_id.id)
        return super(StockMove, move)._update_reserved_quantity_vals(
            need, location_id, lot_id, package_id, owner_id, strict
        )

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.aftersales_part_line_id and self.restrict_partner_id:
            # the step before (out of the consignment stock) takes the owner's
            # quants too
            values["restrict_partner_id"] = self.restrict_partner_id.id
        return values

    def _aftersales_consigned_qty(self):
        """The quantity (in the product's unit) this done move took from quants
        another partner owns (a dealer's consignment stock): Odoo gives it no
        stock valuation."""
        self.ensure_one()
        own = self.company_id.partner_id
        return sum(
            line.quantity_product_uom
            for line in self.move_line_ids
            if line.owner_id and line.owner_id != own
        )

    def _aftersales_parts_cost_value(self):
        """What this done move's parts cost the company, in its currency: their
        stock valuation, plus the product's cost for the quantity taken from a
        dealer's consignment stock (``_aftersales_consigned_qty``), which Odoo
        does not value. A part request's delivery and a done repair record
        their parts at this value."""
        self.ensure_one()
        # sudo: the valuation layers, read for the cost (no accounting rights
        # needed)
        value = -sum(self.sudo().stock_valuation_layer_ids.mapped("value"))
        consigned = self._aftersales_consigned_qty()
        if consigned:
            company = self.company_id
            value += company.currency_id.round(
                consigned * self.product_id.with_company(company).standard_price
            )
        return value
