import re

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .listing import list_page, readable_count, selection_labels
from .uploads import attachments_error

# rows of cost lines on the claim form (empty rows are ignored): at least
# CLAIM_FORM_LINES, two empty ones after the last row used, MAX_CLAIM_LINES at most
CLAIM_FORM_LINES = 6
MAX_CLAIM_LINES = 60
LINE_KEY = re.compile(r"^line_(\d+)_")
LINE_FIELDS = (
    "cost_type",
    "name",
    "product_id",
    "quantity",
    "price_unit",
    "replaced_serial",
    "extra_hours",
    "extra_reason",
)
COST_TYPES = ("parts", "labour", "travel", "other")


def _number(text):
    """``float`` of a form's number, ``None`` when it is not one."""
    try:
        return float((text or "0").replace(",", "."))
    except ValueError:
        return None


class AftersalesClaimPortal(CustomerPortal):
    """/my/claims: the dealer's warranty claims. Lists and counters search as
    the user (record rules); pages render a sudo record only after
    ``_document_check_access``; the claim is created and corrected by the
    model's portal methods (sudo after their checks)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_claim_count" in counters:
            values["aftersales_claim_count"] = readable_count(
                request.env["aftersales.claim"]
            )
        return values

    def _claim_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "draft": {"label": _("Draft"), "domain": [("state", "=", "draft")]},
            "submitted": {
                "label": _("Submitted"),
                "domain": [("state", "=", "submitted")],
            },
            "returned": {
                "label": _("Sent Back"),
                "domain": [("state", "=", "returned")],
            },
            "approved": {
                "label": _("Approved"),
                "domain": [("state", "in", ("approved", "partly_approved"))],
            },
            "rejected": {
                "label": _("Rejected"),
                "domain": [("state", "=", "rejected")],
            },
            "paid": {"label": _("Paid"), "domain": [("state", "=", "paid")]},
        }

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_claims(self, page=1, filterby=None, search=None, **kw):
        Claim = request.env["aftersales.claim"]
        if not Claim.has_access("read"):
            return request.redirect("/my")
        domain = []
        if search:
            # sudo: serial numbers are catalogue data, and portal users cannot
            # read stock.lot; the claims found are still those of the rules
            lots = (
                request.env["stock.lot"]
                .sudo()
                .search([("name", "ilike", search.strip())], limit=1000)
            )
            domain = [("lot_id", "in", lots.ids)]
        filters = self._claim_filters()
        claims, pager, filterby, _total = list_page(
            Claim,
            "/my/claims",
            filters,
            filterby,
            page,
            self._items_per_page,
            domain=domain,
            url_args={"search": search},
        )
        request.session["my_aftersales_claims_history"] = claims.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_claim",
                "default_url": "/my/claims",
                # sudo: found by the user's own search (record rules); the page
                # shows the serial, dates, state and totals of these claims
                "claims": claims.sudo(),
                "can_file": Claim._portal_can_file(),
                "state_labels": selection_labels(Claim, "state"),
                "pager": pager,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": {
                    "serial": {"input": "serial", "label": request.env._("Serial")}
                },
                "search_in": "serial",
                "search": search,
            }
        )
        return request.render("aftersales_portal.portal_my_claims", values)

    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="user", website=True)
    def portal_my_claim(self, claim_id, access_token=None, **kw):
        try:
            # record rules of the user (or the claim's token); a sudo record
            claim_sudo = self._document_check_access(
                "aftersales.claim", claim_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        claim = claim_sudo.with_env(request.env)
        labels = dict(
            claim_sudo.finding_ids._fields["check"]._description_selection(request.env)
        )
        values = {
            "page_name": "aftersales_claim",
            "claim": claim_sudo,
            "token": claim_sudo._portal_ensure_token(),
            "can_edit": claim._portal_can_edit(),
            # the kinds of findings only: their messages may name other dealers'
            # claims and sellers
            "finding_labels": sorted(
                {labels[check] for check in claim_sudo.finding_ids.mapped("check")}
            ),
            "submit_error": kw.get("submit_error"),
        }
        values = self._get_page_view_values(
            claim_sudo,
            access_token,
            values,
            "my_aftersales_claims_history",
            False,
            **kw,
        )
        return request.render("aftersales_portal.portal_claim_page", values)

    # ------------------------------------------------------------------
    # New claim, correction of a returned claim
    # ------------------------------------------------------------------

    @http.route(
        ["/my/claims/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_claim_new(self, **post):
        Claim = request.env["aftersales.claim"]
        if not Claim._portal_can_file():
            return request.redirect("/my")
        if request.httprequest.method == "GET":
            return request.render(
                "aftersales_portal.portal_claim_form",
                self._claim_form_values(Claim, {}, {}),
            )
        uploads = self._claim_uploads()
        errors, vals, lines = self._claim_form_validate(post, uploads)
        if errors:
            return request.render(
                "aftersales_portal.portal_claim_form",
                self._claim_form_values(Claim, post, errors),
            )
        claim = Claim._portal_create_claim(vals, lines, uploads)
        return request.redirect(claim.access_url)

    @http.route(
        ["/my/claims/<int:claim_id>/edit"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_claim_edit(self, claim_id, **post):
        claim = request.env["aftersales.claim"].browse(claim_id)
        try:
            claim.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not claim._portal_can_edit():
            return request.redirect(claim.access_url)
        if request.httprequest.method == "GET":
            return request.render(
                "aftersales_portal.portal_claim_form",
                self._claim_form_values(claim, self._claim_post_of(claim), {}),
            )
        uploads = self._claim_uploads()
        errors, vals, lines = self._claim_form_validate(post, uploads)
        if errors:
            return request.render(
                "aftersales_portal.portal_claim_form",
                self._claim_form_values(claim, post, errors),
            )
        claim._portal_update_claim(vals, lines, uploads)
        return request.redirect(claim.access_url)

    def _claim_uploads(self):
        return [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]

    def _claim_post_of(self, claim):
        """The form's values of an existing claim (to correct it)."""
        # sudo: read access of the claim checked by the caller
        claim_sudo = claim.sudo()
        post = {
            "serial": claim_sudo.lot_id.name or "",
            "failure_date": str(claim_sudo.failure_date or ""),
            "repair_date": str(claim_sudo.repair_date or ""),
            "ticket_id": str(claim_sudo.ticket_id.id or ""),
            "invoice_ref": claim_sudo.invoice_ref or "",
            "description": claim_sudo.description or "",
        }
        for index, line in enumerate(claim_sudo.line_ids[:MAX_CLAIM_LINES]):
            post.update(
                {
                    f"line_{index}_cost_type": line.cost_type,
                    f"line_{index}_name": line.name or "",
                    f"line_{index}_product_id": str(line.product_id.id or ""),
                    f"line_{index}_quantity": str(line.quantity),
                    f"line_{index}_price_unit": str(line.price_unit),
                    f"line_{index}_replaced_serial": line.replaced_serial or "",
                    f"line_{index}_extra_hours": str(line.extra_hours or ""),
                    f"line_{index}_extra_reason": line.extra_reason or "",
                }
            )
        return post

    def _claim_products(self):
        """Parts offered on the claim form (catalogue data, read in sudo)."""
        return (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    ("type", "=", "consu"),
                    ("company_id", "in", [request.env.company.id, False]),
                ],
                order="name",
                limit=200,
            )
        )

    def _claim_form_values(self, claim, post, errors):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_claim_new",
                "claim": claim.sudo() if claim else claim,
                "post": post,
                "errors": errors,
                "line_indexes": range(self._claim_form_rows(post)),
                # sudo: the user's own tickets, found by their search
                "tickets": claim._portal_tickets().sudo(),
                "products": self._claim_products(),
            }
        )
        return values

    def _claim_form_validate(self, post, uploads):
        """Errors by field (shown beside it), the claim's values and its lines."""
        env = request.env
        _ = env._
        errors = {}
        vals = {
            "invoice_ref": (post.get("invoice_ref") or "").strip() or False,
            "description": (post.get("description") or "").strip() or False,
        }
        serial = (post.get("serial") or "").strip()
        if not serial:
            errors["serial"] = _("This field is required.")
        else:
            lot = env["aftersales.ticket"]._portal_find_lot(serial)
            if not lot:
                errors["serial"] = _("This serial number is unknown.")
            vals["lot_id"] = lot.id
        today = fields.Date.context_today(env.user)
        dates = {}
        for field in ("failure_date", "repair_date"):
            text = (post.get(field) or "").strip()
            if not text:
                errors[field] = _("This field is required.")
                continue
            try:
                dates[field] = fields.Date.to_date(text)
            except ValueError:
                errors[field] = _("Enter a date (YYYY-MM-DD).")
                continue
            if dates[field] > today:
                errors[field] = _("This date is in the future.")
            vals[field] = dates[field]
        if (
            "repair_date" not in errors
            and "failure_date" not in errors
            and dates["repair_date"] < dates["failure_date"]
        ):
            errors["repair_date"] = _("The repair cannot be before the failure.")
        vals["ticket_id"] = False
        if post.get("ticket_id"):
            ticket = (
                env["aftersales.claim"]
                ._portal_tickets()
                .filtered(lambda t: str(t.id) == post["ticket_id"])
            )
            if not ticket:
                errors["ticket_id"] = _("Choose a ticket of the list.")
            vals["ticket_id"] = ticket.id
        lines = self._claim_form_lines(post, errors)
        if not lines and not any(key.startswith("line_") for key in errors):
            errors["lines"] = _("Add at least one cost line.")
        attachments_message = attachments_error(uploads)
        if attachments_message:
            errors["attachments"] = attachments_message
        return errors, vals, lines

    def _claim_form_rows(self, post):
        """How many line rows the form has for these values: a claim of many
        lines shows (and keeps) them all, with two empty rows to add more."""
        used = [
            int(match.group(1))
            for key in post
            if (match := LINE_KEY.match(key)) and (post.get(key) or "").strip()
        ]
        return min(MAX_CLAIM_LINES, max(CLAIM_FORM_LINES, max(used, default=-1) + 3))

    def _claim_form_lines(self, post, errors):
        """The cost lines of the form; a row without type is empty."""
        _ = request.env._
        products = None
        lines = []
        for index in range(self._claim_form_rows(post)):
            row = {
                field: (post.get(f"line_{index}_{field}") or "").strip()
                for field in LINE_FIELDS
            }
            if row["cost_type"] not in COST_TYPES:
                continue
            key = f"line_{index}_"
            line = {
                "cost_type": row["cost_type"],
                "name": row["name"] or False,
                "replaced_serial": row["replaced_serial"] or False,
            }
            for field in ("quantity", "price_unit", "extra_hours"):
                number = _number(row[field])
                if number is None:
                    errors[key + field] = _("Enter a number.")
                elif number < 0:
                    errors[key + field] = _("This cannot be negative.")
                else:
                    line[field] = number
            if row["cost_type"] == "parts":
                if products is None:
                    products = self._claim_products()
                product = products.filtered(
                    lambda p, chosen=row["product_id"]: str(p.id) == chosen
                )
                if not product:
                    errors[key + "product_id"] = _("Choose a part of the list.")
                line["product_id"] = product.id
                if not line.get("quantity"):
                    errors.setdefault(key + "quantity", _("Enter the quantity."))
            if row["cost_type"] == "labour":
                line.pop("quantity", None)
                line.pop("price_unit", None)
                if line.get("extra_hours") and not row["extra_reason"]:
                    errors[key + "extra_reason"] = _(
                        "Say why the extra time was needed."
                    )
                line["extra_reason"] = row["extra_reason"] or False
            else:
                line.pop("extra_hours", None)
            lines.append(line)
        return lines
