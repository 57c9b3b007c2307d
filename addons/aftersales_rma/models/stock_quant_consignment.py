from odoo import api, models
from odoo.osv import expression


class StockQuant(models.Model):
    """Whose quants a spare part request may take (README, "Spare parts for a
    case"): a dealer's consignment stock gives only the quants its owner owns,
    every other source only the company's own (no owner, or the company's
    partner). The reservation of a part request's moves and the sourcing
    rule's stock on hand read the same domain."""

    _inherit = "stock.quant"

    @api.model
    def _aftersales_owner_domain(self, owner, company):
        """The quants of ``owner`` (a consignment owner), or with no owner
        given the ``company``'s own quants."""
        if owner:
            return [("owner_id", "=", owner.id)]
        return ["|", ("owner_id", "=", False), ("owner_id", "=", company.partner_id.id)]

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        # set by the reservation of a part request's moves (stock.move
        # _update_reserved_quantity_vals): a strict gather or an asked owner
        # already says whose quants
        company_id = self.env.context.get("aftersales_own_stock_company_id")
        if company_id and not strict and not owner_id:
            company = self.env["res.company"].browse(company_id)
            domain = expression.AND(
                [domain, self._aftersales_owner_domain(None, company)]
            )
        return domain
