import logging

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import CHANNELS, PRIORITIES, TIERS

_logger = logging.getLogger(__name__)


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
    ]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "subject", "lot_id.name", "external_ref"]
    _check_company_auto = True
    _primary_email = "email_from"

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="New", index="trigram"
    )
    subject = fields.Char(required=True, tracking=True, index="trigram")
    description = fields.Html()
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        precompute=True,
        index=True,
        help="The customer's company (its commercial partner): whose documents an "
        "end customer sees on the portal, in one indexed comparison.",
    )
    email_from = fields.Char(
        string="Customer Email",
        compute="_compute_email_from",
        store=True,
        readonly=False,
        precompute=True,
    )
    dealer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_dealer_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The dealer or distributor who sold the product or files the ticket; "
        "taken from the serial's warranty registration.",
    )
    # precomputed: in the ticket's insert, not in an update after it
    dealer_path = fields.Char(
        related="dealer_id.aftersales_path", store=True, precompute=True
    )
    distributor_id = fields.Many2one(
        "res.partner",
        string="Top Distributor",
        compute="_compute_distributor_id",
        store=True,
        index=True,
        precompute=True,
    )
    channel = fields.Selection(CHANNELS, default="phone", required=True, index=True)
    ticket_type_id = fields.Many2one(
        "aftersales.ticket.type", string="Type", index=True, tracking=True
    )
    priority = fields.Selection(
        PRIORITIES, default="1", required=True, index=True, tracking=True
    )
    team_id = fields.Many2one(
        "aftersales.team",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    stage_id = fields.Many2one(
        "aftersales.stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_expand_stage_ids",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(
        compute="_compute_is_closed", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        compute="_compute_lang",
        store=True,
        readonly=False,
        precompute=True,
    )
    customer_tier = fields.Selection(
        TIERS,
        compute="_compute_customer_tier",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    external_ref = fields.Char(
        string="External Reference",
        index="btree_not_null",
        copy=False,
        help="Reference of the ticket in the system that created it. Creating a "
        "ticket with a reference that already exists in the company returns the "
        "existing ticket instead of a duplicate.",
    )

    _sql_constraints = [
        (
            "external_ref_uniq",
            "unique(external_ref, company_id)",
            "Another ticket of this company already has this external reference.",
        ),
    ]

    def init(self):
        res = super().init()
        # "everything under this distributor": a prefix search on the dealer path
        tools.create_index(
            self.env.cr,
            "aftersales_ticket_dealer_path_prefix_index",
            self._table,
            ["dealer_path varchar_pattern_ops"],
            where="dealer_path IS NOT NULL",
        )
        return res

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_team_id(self):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return team_id
        return self.env.user.aftersales_team_ids.filtered(
            lambda team: team.company_id == self.env.company
        )[:1].id

    @api.depends("partner_id")
    def _compute_email_from(self):
        for ticket in self:
            if ticket.partner_id.email:
                ticket.email_from = ticket.partner_id.email

    # one compute per field: a value given at creation is never overwritten by
    # the computation of another field from the customer (the fields computed
    # before the insert share one new record)
    @api.depends("partner_id")
    def _compute_country_id(self):
        for ticket in self.filtered("partner_id"):
            ticket.country_id = ticket.partner_id._aftersales_country()

    @api.depends("partner_id")
    def _compute_lang(self):
        for ticket in self.filtered("partner_id"):
            ticket.lang = ticket.partner_id.lang

    @api.depends("partner_id")
    def _compute_customer_tier(self):
        # the customer company's tier, which its contacts carry (a commercial
        # field of res.partner): no read of the company
        for ticket in self.filtered("partner_id"):
            ticket.customer_tier = ticket.partner_id.aftersales_tier or "standard"

    @api.depends("warranty_id")
    def _compute_dealer_id(self):
        for ticket in self:
            if ticket.warranty_id.dealer_id and not ticket.dealer_id:
                ticket.dealer_id = ticket.warranty_id.dealer_id

    @api.depends("dealer_id.aftersales_path")
    def _compute_distributor_id(self):
        for ticket in self:
            ticket.distributor_id = ticket.dealer_id._aftersales_top_distributor()

    @api.depends("team_id")
    def _compute_stage_id(self):
        stages = self.env["aftersales.stage"].search([])
        for ticket in self:
            if ticket.stage_id and (
                not ticket.stage_id.team_ids
                or ticket.team_id in ticket.stage_id.team_ids
            ):
                continue
            ticket.stage_id = next(
                (s for s in stages if not s.team_ids or ticket.team_id in s.team_ids),
                False,
            )

    @api.model
    def _read_group_expand_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = [("fold", "=", False)]
        if team_id:
            search_domain = [
                "&",
                "|",
                ("team_ids", "=", False),
                ("team_ids", "in", team_id),
            ] + search_domain
        return stages | stages.search(search_domain)

    @api.depends("stage_id.is_closed")
    def _compute_is_closed(self):
        # the stage's flag from the cached stages: in the ticket's insert, without
        # reading the stage
        flags = self.env["aftersales.stage"]._aftersales_stage_flags()
        for ticket in self:
            ticket.is_closed = flags.get(ticket.stage_id.id, (False, False))[0]

    def _compute_access_url(self):
        # the portal page of a ticket (aftersales_portal serves it)
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Create tickets. A value list whose ``external_ref`` already exists in
        its company does not create anything: the existing ticket is returned in
        its place (idempotent creation for external systems)."""
        # first: the creator is read with the members (env.company reads it)
        self._prefetch_before_create(vals_list)
        existing = self._existing_by_external_ref(vals_list)
        to_create, batch_keys = [], set()
        for vals in vals_list:
            key = self._external_key(vals)
            if key in existing or key in batch_keys:
                continue  # returned as the existing (or first) ticket below
            if key:
                batch_keys.add(key)
            to_create.append(vals)
        self._assign_sequence_numbers(to_create)
        self._set_default_stages(to_create)
        for vals in to_create:
            if not vals.get("user_id"):
                vals.pop("user_id", None)
        # the assignee chosen before the insert: {index in to_create: chatter note}
        assignment_notes = self._assign_before_create(to_create)
        # the queues' flags (digest, acknowledgement) in the values, so that the
        # insert is the only write of a new ticket
        digests_queued = self._queue_assignment_digests_before_create(
            to_create, assignment_notes
        )
        templates_now = self._plan_creation_templates(to_create)
        if to_create:
            # followers and stage emails of the whole batch at once, see
            # _message_auto_subscribe_batch() and _plan_creation_templates()
            batch_context = {"aftersales_batch_create": True, "mail_notrack": True}
            # the creation message is logged below, with the assignment note in it
            log_creation = not (
                self.env.context.get("tracking_disable")
                or self.env.context.get("mail_create_nolog")
            )
            if log_creation:
                batch_context["mail_create_nolog"] = True
            # the creator is subscribed with the other followers, in the same batch
            subscribe_creator = (
                not self.env.context.get("mail_create_nosubscribe")
                and self.env.user.active
            )
            batch_context["mail_create_nosubscribe"] = True
            created = (
                super(AftersalesTicket, self.with_context(**batch_context))
                .create(to_create)
                .with_env(self.env)
            )
            auto_assigned = created.browse(
                [created.ids[index] for index in assignment_notes]
            )
            created._message_auto_subscribe_batch(
                to_create,
                no_notify_ids=set(auto_assigned.ids),
                creator=self.env.user.partner_id if subscribe_creator else None,
            )
            created._schedule_creation_templates(templates_now)
            if digests_queued:
                created._trigger_acknowledgements()
            created._log_creation(assignment_notes, log_creation)
        else:
            created = self.browse()
        created_iter = iter(created)
        seen = {}
        result_ids = []
        for vals in vals_list:
            key = self._external_key(vals)
            if key in existing:
                result_ids.append(existing[key])
            elif key and key in seen:
                result_ids.append(seen[key])
            else:
                ticket = next(created_iter)
                if key:
                    seen[key] = ticket.id
                result_ids.append(ticket.id)
        return self.browse(result_ids)

    @api.model
    def _context_defaults(self):
        """The context's ``default_*`` values by field name: what create() adds
        to values that lack them, read by what runs before the insert."""
        return {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
        }

    @api.model
    def _prefetch_before_create(self, vals_list):
        """Read at once, first, what creating tickets reads of users and
        contacts: the creator (also the environment's user and company) and the
        members of the automatic teams (the assignment and its
        note), the customers (their country, language and tier, computed before
        the insert), the members' and the creator's contacts (the note, the
        followers, the creation message's author): one query of users, one of
        contacts, all their prefetched fields. As superuser: without the
        multi-company record rules of users and contacts, whose evaluation costs
        more than the reads; nothing read is returned to the creator, the
        customer is the ticket's (checked by _check_company()) and only internal
        users create tickets (portal users through aftersales_portal's
        controller)."""
        defaults = self._context_defaults()
        team_ids, customer_ids = set(), set()
        for vals, team_id in zip(
            vals_list, self._creation_team_ids(vals_list), strict=True
        ):
            values = {**defaults, **vals}
            if values.get("partner_id"):
                customer_ids.add(values["partner_id"])
            if team_id and not values.get("user_id"):
                team_ids.add(team_id)
        member_ids, member_partner_ids = self._assignment_members(team_ids)
        users = self.env["res.users"].sudo().browse(member_ids | {self.env.uid})
        users.partner_id  # noqa: B018 pylint: disable=pointless-statement
        creator_partner = self.env.user.partner_id
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse(customer_ids | member_partner_ids | set(creator_partner.ids))
        )
        partners.commercial_partner_id  # noqa: B018 pylint: disable=pointless-statement

    def _check_company(self, fnames=None):
        """The ORM's check, but the products' companies are read with one query
        of their own (the ORM reads the whole product and its template, two wide
        rows, for one column): a product of another company, or one the ticket's
        company may not use, still gets the ORM's check and its message."""
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = list(self._fields)
        fnames = [
            name
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        if "product_id" in fnames and self._product_companies_allowed():
            fnames.remove("product_id")
        if "sla_policy_id" in fnames and self._sla_policy_companies_allowed():
            fnames.remove("sla_policy_id")
        return super()._check_company(fnames)

    @api.model
    @tools.ormcache("product_ids")
    def _product_owner_companies(self, product_ids):
        """``((product id, company id), ...)`` of the products among
        ``product_ids`` that belong to a company, in one query; kept per
        registry (the same product on the next ticket costs no query) until a
        product template changes company (see product.template's write())."""
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                "SELECT pp.id, pt.company_id FROM product_product pp"
                " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
                " WHERE pp.id = ANY(%s) AND pt.company_id IS NOT NULL",
                list(product_ids),
            )
        )
        return tuple(self.env.cr.fetchall())

    def _sla_policy_companies_allowed(self):
        """Whether each ticket's SLA policy is an active policy of the ticket's
        company, as the policies kept per registry say (the policy chosen by
        the matching rule always is): no read of the policies. Any other policy
        (given in the values) gets the ORM's check."""
        rows = self.env["aftersales.sla.policy"]._matching_rows(
            tuple(sorted(self.company_id.ids))
        )
        companies = {row[0]: row[1] for row in rows}
        return all(
            not ticket.sla_policy_id
            or companies.get(ticket.sla_policy_id.id) == ticket.company_id.id
            for ticket in self
        )

    def _product_companies_allowed(self):
        """Whether each ticket's product is shared or of a parent of (or the same
        as) the ticket's company, as product's ``_check_company_domain`` allows."""
        products = self.sudo().product_id
        if not products:
            return True
        owners = dict(self._product_owner_companies(tuple(sorted(products.ids))))
        for ticket in self.sudo():
            owner = owners.get(ticket.product_id.id)
            if owner and (
                not ticket.company_id
                or str(owner) not in ticket.company_id.parent_path.split("/")
            ):
                return False
        return True

    def _creation_message(self):
        # the same text for every ticket of a language: mail.thread reads the
        # model's name for it, a query per transaction
        self.ensure_one()
        return self._aftersales_creation_text(self.env.lang)

    @tools.ormcache("lang")
    def _aftersales_creation_text(self, lang):
        return super()._creation_message()

    def _log_creation(self, notes, log_creation=True):
        """One chatter message per new ticket, in one batch: mail.thread's creation
        message (unless ``log_creation`` is false) and the assignment's note
        (``notes``: ``{index in self: note}``)."""
        bodies = {}
        for index, ticket in enumerate(self):
            note = notes.get(index)
            if log_creation and note:
                bodies[ticket.id] = Markup("<p>%s</p><p>%s</p>") % (
                    ticket._creation_message(),
                    note,
                )
            elif log_creation:
                bodies[ticket.id] = ticket._creation_message()
            elif note:
                bodies[ticket.id] = Markup("<p>%s</p>") % note
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies=bodies)

    @api.model
    def _external_key(self, vals):
        ref = vals.get("external_ref")
        if not ref:
            return False
        company_id = (
            vals.get("company_id")
            or self.env.context.get("default_company_id")
            or self.env.company.id
        )
        return (ref, company_id)

    @api.model
    def _existing_by_external_ref(self, vals_list):
        keys = {key for key in map(self._external_key, vals_list) if key}
        if not keys:
            return {}
        # concurrent creations of one reference: the first one creates the
        # ticket, the others are retried by Odoo and find it (idempotency key)
        self.env["aftersales.idempotency.key"]._claim(
            "aftersales.ticket.external_ref",
            [f"{company_id}/{ref}" for ref, company_id in keys],
        )
        # sudo: the reference must be unique even among tickets this user cannot read
        found = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("external_ref", "in", [ref for ref, _company in keys])],
                ["external_ref", "company_id"],
            )
        )
        return {
            (ticket.external_ref, ticket.company_id.id): ticket.id
            for ticket in found
            if (ticket.external_ref, ticket.company_id.id) in keys
        }

    @api.model
    def _creation_team_ids(self, vals_list):
        """The team of each of ``vals_list`` as create() gives it: the one in the
        values, else the default team (read once for all)."""
        default_team = None
        team_ids = []
        for vals in vals_list:
            if "team_id" in vals:
                team_ids.append(vals["team_id"])
                continue
            if default_team is None:
                default_team = self._default_team_id()
            team_ids.append(default_team)
        return team_ids

    @api.model
    def _set_default_stages(self, vals_list):
        """Put the first stage of the team in the values: Odoo sends a stage's
        email template on creation only when ``stage_id`` is among the values."""
        missing = [vals for vals in vals_list if not vals.get("stage_id")]
        if not missing:
            return
        stages = self.env["aftersales.stage"]._aftersales_stage_order()
        for vals, team_id in zip(
            missing, self._creation_team_ids(missing), strict=True
        ):
            stage_id = next(
                (sid for sid, teams, _tmpl in stages if not teams or team_id in teams),
                None,
            )
            if stage_id:
                vals["stage_id"] = stage_id

    @api.model
    def _assign_sequence_numbers(self, vals_list):
        """One ``nextval`` round trip for the whole batch instead of one per ticket."""
        if self.env["ir.sequence"]._aftersales_number_vals(
            "aftersales.ticket", vals_list
        ):
            raise ValidationError(self.env._("The ticket sequence is missing."))
