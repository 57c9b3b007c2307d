from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..const import TIERS


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_tier = fields.Selection(
        TIERS,
        string="Service Tier",
        default="standard",
        index=True,
        help="Service level of the customer; SLA policies can target a tier. Set on "
        "the customer company, its contacts follow it.",
    )
    aftersales_role = fields.Selection(
        [
            ("service_partner", "Brand Service Partner"),
            ("distributor", "Distributor"),
            ("dealer", "Dealer"),
        ],
        string="Network Role",
        index=True,
        tracking=True,
        help="Place of this company in the brand's sales and service network.",
    )
    aftersales_upstream_id = fields.Many2one(
        "res.partner",
        string="Upstream Distributor",
        index=True,
        tracking=True,
        domain=(
            "[('aftersales_role', 'in', ('distributor', 'service_partner')), "
            "('id', '!=', id)]"
        ),
        help="The distributor this dealer or sub-distributor buys from.",
    )
    aftersales_downstream_ids = fields.One2many(
        "res.partner", "aftersales_upstream_id", string="Downstream Dealers"
    )
    aftersales_path = fields.Char(
        string="Network Path",
        compute="_compute_aftersales_path",
        store=True,
        recursive=True,
        help="Ids from the top distributor down to this partner, e.g. /7/12/31/: "
        "everything under a distributor is one indexed prefix search.",
    )
    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket", "partner_id", string="Service Tickets"
    )
    aftersales_ticket_count = fields.Integer(
        compute="_compute_aftersales_ticket_count", string="Ticket Count"
    )

    def init(self):
        res = super().init()
        # prefix searches ("=like '/7/%'") on the network path use this index
        tools.create_index(
            self.env.cr,
            "res_partner_aftersales_path_prefix_index",
            self._table,
            ["aftersales_path varchar_pattern_ops"],
            where="aftersales_path IS NOT NULL",
        )
        return res

    @api.depends("aftersales_upstream_id.aftersales_path", "aftersales_role")
    def _compute_aftersales_path(self):
        for partner in self:
            if not partner.id or not (
                partner.aftersales_role or partner.aftersales_upstream_id
            ):
                partner.aftersales_path = False
                continue
            prefix = partner.aftersales_upstream_id.aftersales_path or "/"
            partner.aftersales_path = f"{prefix}{partner.id}/"

    @api.constrains("aftersales_upstream_id")
    def _check_aftersales_upstream(self):
        if self._has_cycle("aftersales_upstream_id"):
            raise ValidationError(
                self.env._(
                    "A distributor cannot be placed under one of its own dealers: "
                    "the dealer network must not contain a cycle."
                )
            )

    def _aftersales_top_distributor(self):
        """The partner at the top of this partner's network path (empty for an
        empty recordset or a partner outside the network)."""
        if len(self) != 1 or not self.aftersales_path:
            return self.browse()
        return self.browse(int(self.aftersales_path.strip("/").split("/")[0]))

    @api.model
    def _commercial_fields(self):
        # the service tier is the customer company's: Odoo keeps it on the
        # company's contacts, as the VAT, so a ticket reads it from its contact
        return [*super()._commercial_fields(), "aftersales_tier"]

    def _aftersales_country(self):
        """The country a document of this contact is matched by (SLA policy,
        warranty rule, RMA template): the contact's own country, else its
        company's (the commercial partner's). Empty for an empty recordset."""
        if len(self) != 1:
            return self.env["res.country"]
        return self.country_id or self.commercial_partner_id.country_id

    def _aftersales_network_domain(self, field="dealer_id"):
        """Domain on ``<field>`` matching this partner and everything under it."""
        self.ensure_one()
        if not self.aftersales_path:
            return [(field, "=", self.id)]
        return [(f"{field}.aftersales_path", "=like", f"{self.aftersales_path}%")]

    def _compute_aftersales_ticket_count(self):
        groups = self.env["aftersales.ticket"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {}
        for partner, count in groups:
            commercial = partner.commercial_partner_id.id
            counts[commercial] = counts.get(commercial, 0) + count
        for partner in self:
            partner.aftersales_ticket_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
