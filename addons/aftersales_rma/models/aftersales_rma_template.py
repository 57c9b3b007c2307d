from odoo import fields, models


class AftersalesRmaTemplate(models.Model):
    _name = "aftersales.rma.template"
    _description = "RMA Template per Country"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    country_group_ids = fields.Many2many("res.country.group", string="Country Groups")
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Receiving Hub", check_company=True
    )
    freight_payer = fields.Selection(
        [("customer", "Customer"), ("company", "Company"), ("dealer", "Dealer")],
        string="Return Freight Paid By",
        default="company",
        required=True,
    )
    incoterm_id = fields.Many2one("account.incoterms", string="Incoterm")
    required_documents = fields.Text(translate=True)
    max_ship_days = fields.Integer(
        string="Days to Ship", default=14, help="Days the customer has to ship the goods."
    )
    stale_days = fields.Integer(
        default=7,
        help="An RMA with no shipment event or state change for this many days is stale.",
    )
