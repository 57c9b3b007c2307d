from odoo import api, fields, models

# how many customers and products the new-ticket form offers at most
FORM_CHOICES_LIMIT = 500


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    # the customer's email as typed on the ticket is for the brand's users only: a
    # dealer or distributor reading the ticket over XML-RPC/JSON-RPC gets an access
    # error for it, and the portal pages show the contact masked where the
    # customer's country asks for it (res.partner._aftersales_masked_contact())
    email_from = fields.Char(groups="base.group_user")

    def _portal_timeline(self):
        """The ticket's way through its team's stages for the portal: a list of
        ``{"stage", "date", "state"}`` (state done / current / next), the dates
        it entered each stage taken from the tracking of ``stage_id``."""
        self.ensure_one()
        ticket = self.sudo()
        stages = (
            self.env["aftersales.stage"]
            .sudo()
            .search(
                ["|", ("team_ids", "=", False), ("team_ids", "in", ticket.team_id.ids)]
            )
        )
        stage_field = self.env["ir.model.fields"]._get(self._name, "stage_id")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search_fetch(
                [
                    ("field_id", "=", stage_field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", ticket.id),
                ],
                ["new_value_integer", "create_date"],
                order="id",
            )
        )
        entered = {}
        for tracking in trackings:
            entered[tracking.new_value_integer] = tracking.create_date
        current = ticket.stage_id
        entered.setdefault(current.id, ticket.create_date)
        timeline = []
        passed = True
        for stage in stages:
            if stage == current:
                state, passed = "current", False
            elif stage.fold:
                continue  # cancelled, waiting...: shown only when current
            else:
                state = "done" if passed else "next"
            timeline.append(
                {"stage": stage, "date": entered.get(stage.id), "state": state}
            )
        return timeline

    @api.model
    def _portal_known_customers(self):
        """End customers the current portal user may file a ticket for: the
        customers of the tickets and registrations the user sees (record
        rules), most recent first. Returned in sudo to show their names."""
        partner_ids = []
        for model in ("aftersales.ticket", "aftersales.warranty"):
            Model = self.env[model]
            if not Model.has_access("read"):
                continue
            for [partner] in Model._read_group(
                [("partner_id", "!=", False)],
                ["partner_id"],
                order="partner_id DESC",
                limit=FORM_CHOICES_LIMIT,
            ):
                if partner.id not in partner_ids:
                    partner_ids.append(partner.id)
        own = self.env.user.partner_id.commercial_partner_id
        return (
            self.env["res.partner"]
            .sudo()
            .browse(partner_ids)
            .filtered(lambda p: p.commercial_partner_id != own)
            .sorted("name")
        )

    @api.model
    def _portal_products(self):
        """Serial-tracked products offered on the new-ticket form (catalogue
        data, read in sudo)."""
        return (
            self.env["product.product"]
            .sudo()
            .search(
                [
                    ("tracking", "=", "serial"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="name",
                limit=FORM_CHOICES_LIMIT,
            )
        )

    @api.model
    def _portal_find_lot(self, serial, product=None):
        domain = [
            ("name", "=", serial),
            ("company_id", "in", [self.env.company.id, False]),
        ]
        if product:
            domain.append(("product_id", "=", product.id))
        return self.env["stock.lot"].sudo().search(domain, limit=1)

    @api.model
    def _portal_create_ticket(self, vals, uploads=()):
        """Create a ticket filed on the portal with ``vals`` checked by the
        portal form (the customer is the user's own company, one the dealer
        already serves, or a new contact of its own). sudo: portal users have
        no create right on tickets; the result is one they may read (record
        rules), which is checked before returning it."""
        user = self.env.user
        vals = dict(vals)
        new_customer = vals.pop("new_customer", None)
        if new_customer:
            # the end customer's own contact, apart from the dealer's
            customer = self.env["res.partner"].sudo().create(new_customer)
            vals["partner_id"] = customer.id
        ticket_sudo = self.sudo().create(vals)
        ticket_sudo.message_subscribe(partner_ids=user.partner_id.ids)
        if uploads:
            ticket_sudo.message_post(
                body=self.env._("Attachments of the fault report"),
                author_id=user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=list(uploads),
            )
        ticket = ticket_sudo.with_env(self.env)
        ticket.check_access("read")
        return ticket

    def _portal_can_request_rma(self):
        """A portal user may ask for a return of the ticket's unit while the
        ticket is open, has a product and no RMA still running."""
        self.ensure_one()
        ticket = self.sudo()
        return bool(
            ticket.product_id
            and ticket.partner_id
            and not ticket.is_closed
            and not ticket.rma_ids.filtered(
                lambda r: r.state not in ("done", "cancel", "rejected")
            )
        )

    def _portal_request_rma(self, reason):
        """Create and submit the RMA of this ticket's unit for the portal user
        who reads it (record rules checked first); sudo because portal users
        have no create right on RMAs. The template may approve it at once."""
        self.ensure_one()
        self.check_access("read")
        if not self._portal_can_request_rma():
            return self.env["aftersales.rma"]
        ticket_sudo = self.sudo()
        vals = ticket_sudo._prepare_rma_values()
        vals["user_id"] = ticket_sudo.user_id.id or False  # not the portal user
        rma_sudo = self.env["aftersales.rma"].sudo().create(vals)
        rma = rma_sudo._portal_submit_request(reason, self.env.user)
        return rma.with_env(self.env)
