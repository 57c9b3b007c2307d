from odoo import fields, models


class SaleOrder(models.Model):
    """The quotation of a spare part request the customer pays: its
    confirmation (the customer's acceptance online, or an agent's) procures the
    parts through the request; the order does not procure them itself."""

    _inherit = "sale.order"

    aftersales_part_request_id = fields.Many2one(
        "aftersales.part.request",
        string="Part Request",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    def action_confirm(self):
        res = super().action_confirm()
        requests = self.filtered(lambda o: o.state == "sale").aftersales_part_request_id
        if requests:
            # the customer accepted online (a portal user): the request is
            # procured for the customer
            requests.sudo()._on_customer_accepted()
        return res
