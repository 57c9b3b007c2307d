from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesReturnReport(models.Model):
    """Return rate per product and serial/lot, one row per company, product,
    lot, customer country and month on an SQL view.

    *Delivered* counts the done move lines of outgoing transfers into a customer
    location that are no RMA leg (a replacement or a repaired unit shipped back
    is no new delivery), in the product's unit, in the month of the move line's
    date. *Returned* counts the quantity of the RMA lines created that month,
    whatever their RMA's state but cancelled. ``return_rate`` is the row's
    returned / delivered when something was delivered: the rate of a group is
    read from the two sums (the pivot cannot divide), never averaged."""

    _name = "aftersales.return.report"
    _inherit = ["aftersales.report.group.mixin"]
    _description = "Return Rate"
    _auto = False
    _order = "date desc, product_id, lot_id"

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    delivered_qty = fields.Float(string="Delivered", readonly=True)
    returned_qty = fields.Float(string="Returned", readonly=True)
    return_rate = fields.Float(
        readonly=True,
        aggregator=None,
        help="Returned / delivered of this row; empty when nothing was delivered. "
        "The rate of a group is its returned sum over its delivered sum.",
    )

    def _query(self):
        return SQL(
            """
            WITH moves AS (
                SELECT sml.company_id, sml.product_id, sml.lot_id,
                       partner.country_id,
                       date_trunc('month', sml.date)::date AS date,
                       sml.quantity_product_uom AS delivered_qty,
                       0.0 AS returned_qty
                  FROM stock_move_line sml
                  JOIN stock_picking sp ON sp.id = sml.picking_id
                  JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                  JOIN stock_location dest ON dest.id = sml.location_dest_id
             LEFT JOIN res_partner partner ON partner.id = sp.partner_id
                 WHERE sml.state = 'done'
                   AND spt.code = 'outgoing'
                   AND dest.usage = 'customer'
                   AND sp.aftersales_rma_id IS NULL
             UNION ALL
                SELECT l.company_id, l.product_id, l.lot_id, r.country_id,
                       date_trunc('month', l.create_date)::date AS date,
                       0.0 AS delivered_qty,
                       l.quantity AS returned_qty
                  FROM aftersales_rma_line l
                  JOIN aftersales_rma r ON r.id = l.rma_id
                 WHERE r.state != 'cancel'
            )
            SELECT row_number() OVER (
                       ORDER BY m.date, m.company_id, m.product_id, m.lot_id,
                                m.country_id
                   ) AS id,
                   m.date, m.company_id, m.product_id, pt.categ_id, m.lot_id,
                   m.country_id,
                   sum(m.delivered_qty) AS delivered_qty,
                   sum(m.returned_qty) AS returned_qty,
                   CASE WHEN sum(m.delivered_qty) > 0
                        THEN sum(m.returned_qty) / sum(m.delivered_qty)
                   END AS return_rate
              FROM moves m
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
          GROUP BY m.date, m.company_id, m.product_id, pt.categ_id, m.lot_id,
                   m.country_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
