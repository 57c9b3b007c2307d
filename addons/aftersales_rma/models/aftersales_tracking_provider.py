import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import split_every

from ..tools import track17_client as t17

_logger = logging.getLogger(__name__)

POLL_BATCH = 200  # shipments per cron call (the cron commits between calls)


class AftersalesTrackingProvider(models.Model):
    _name = "aftersales.tracking.provider"
    _description = "Shipment Tracking Provider"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    provider_type = fields.Selection(
        [("manual", "Manual"), ("track17", "17TRACK-style API")],
        string="Type",
        default="manual",
        required=True,
    )
    api_url = fields.Char(string="API URL")
    api_key = fields.Char(string="API Key", groups="base.group_system")
    webhook_secret = fields.Char(groups="base.group_system")
    timeout = fields.Integer(
        string="Timeout (s)", default=10, help="Connect and read timeout of each call."
    )
    poll_interval = fields.Integer(
        string="Poll Every (min)",
        default=60,
        help="Minutes between two polls of an open shipment.",
    )
    rate_limited_until = fields.Datetime(
        readonly=True, copy=False, help="No call is made before this time (HTTP 429)."
    )
    last_error = fields.Text(readonly=True, copy=False)
    webhook_url = fields.Char(compute="_compute_webhook_url")
    shipment_count = fields.Integer(compute="_compute_shipment_count")

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for provider in self:
            provider.webhook_url = (
                f"{base}/aftersales/tracking/webhook/{provider.id}"
                if provider.id and provider.provider_type == "track17"
                else False
            )

    def _compute_shipment_count(self):
        counts = dict(
            self.env["aftersales.shipment"]._read_group(
                [("provider_id", "in", self.ids)], ["provider_id"], ["__count"]
            )
        )
        for provider in self:
            provider.shipment_count = counts.get(provider, 0)

    # ------------------------------------------------------------------ actions
    def action_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_rma.aftersales_shipment_action"
        )
        action["domain"] = [("provider_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ client
    def _track17_client(self):
        self.ensure_one()
        # sudo: the API key is readable by system users only; callers are the
        # cron, the webhook and users refreshing shipments they can read
        provider_sudo = self.sudo()
        return t17.Track17Client(
            provider_sudo.api_url,
            provider_sudo.api_key,
            timeout=provider_sudo.timeout or t17.DEFAULT_TIMEOUT,
        )

    def _is_rate_limited(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return bool(self.rate_limited_until and self.rate_limited_until > now)

    # ------------------------------------------------------------------ polling
    @api.model
    def _cron_poll_shipments(self, batch_size=POLL_BATCH):
        """Poll one batch of due shipments and report the progress to ir.cron,
        which commits and calls again while shipments remain."""
        Shipment = self.env["aftersales.shipment"].sudo()
        done = Shipment._tracking_poll_due(limit=batch_size)
        remaining = Shipment.search_count(Shipment._tracking_due_domain())
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _poll(self, shipments):
        """Register (when needed) and poll ``shipments`` of this provider, by
        calls of at most 40 numbers. Never raises a provider error: failures are
        stored on the shipments (and retried with backoff); a rate limit stops
        the provider until its Retry-After and leaves the rest for later.
        Every shipment of a call made ends with a result or a failure, so none
        stays due forever."""
        self.ensure_one()
        if self.provider_type != "track17":
            return shipments.browse()
        client = self._track17_client()
        now = fields.Datetime.now()
        results = {}  # shipment -> parsed item
        failures = {}  # shipment -> (message, retry_at)
        registered = {}  # shipment -> tracking_registered after the call
        polled = shipments.browse()
        chunks = list(split_every(t17.MAX_NUMBERS, shipments.ids, shipments.browse))
        for index, chunk in enumerate(chunks):
            if self._is_rate_limited(now):
                # not polled: keep them due, they come back after the pause
                break
            polled |= chunk
            try:
                self._poll_chunk(client, chunk, results, failures, registered)
            except t17.TrackingRateLimited as exc:
                until = now + timedelta(seconds=exc.retry_after)
                self.rate_limited_until = until
                self.last_error = str(exc)
                for shipment in chunk:
                    failures[shipment] = (str(exc), until)
                _logger.warning(
                    "Tracking provider %s rate limited until %s; %d calls skipped",
                    self.name,
                    until,
                    len(chunks) - index - 1,
                )
            except t17.TrackingError as exc:
                self.last_error = str(exc)
                _logger.warning("Tracking provider %s: %s", self.name, exc)
                for shipment in chunk:
                    failures[shipment] = (str(exc), None)
        for shipment in polled:
            if shipment not in results and shipment not in failures:
                failures[shipment] = (self.env._("No answer for this number."), None)
        polled._tracking_store_results(results, failures, now, registered=registered)
        return polled

    def _poll_chunk(self, client, chunk, results, failures, registered):
        by_number = defaultdict(list)
        for shipment in chunk:
            by_number[shipment.tracking_ref].append(shipment)
        to_register = [
            number
            for number, legs in by_number.items()
            if not all(leg.tracking_registered for leg in legs)
        ]
        if to_register:
            accepted, rejected = client.register(
                [
                    by_number[number][0]._tracking_request_item()
                    for number in to_register
                ]
            )
            for number in accepted:
                for shipment in by_number.get(number, ()):
                    registered[shipment] = True
            for number, (code, message) in rejected.items():
                for shipment in by_number.pop(number, ()):
                    failures[shipment] = (f"[{code}] {message}", None)
        if not by_number:
            return
        parsed, rejected = client.get_track_info(
            [legs[0]._tracking_request_item() for legs in by_number.values()]
        )
        for number, item in parsed.items():
            for shipment in by_number.get(number, ()):
                results[shipment] = item
        for number, (code, message) in rejected.items():
            for shipment in by_number.get(number, ()):
                if code == t17.CODE_NOT_REGISTERED:
                    registered[shipment] = False  # register again next time
                failures[shipment] = (f"[{code}] {message}", None)

    # ------------------------------------------------------------------ webhook
    def _webhook_receive(self, body, signature):
        """Ingest one pushed body; returns ``(http status, json dict)``.

        The signature is the hex HMAC-SHA256 of the raw body with the
        provider's webhook secret (see docs/tracking.md)."""
        self.ensure_one()
        provider_sudo = self.sudo()
        if (
            not provider_sudo.exists()
            or not provider_sudo.active
            or provider_sudo.provider_type != "track17"
        ):
            return 404, {"code": 404, "message": "unknown provider"}
        if not t17.verify_signature(body, signature, provider_sudo.webhook_secret):
            _logger.warning("Tracking webhook of %s: bad signature", provider_sudo.name)
            return 403, {"code": 403, "message": "bad signature"}
        try:
            event, item = t17.parse_webhook(body)
        except t17.TrackingBadResponse as exc:
            return 400, {"code": 400, "message": str(exc)}
        if item is None:
            return 200, {"code": 0, "message": f"ignored {event or 'event'}"}
        shipments = (
            self.env["aftersales.shipment"]
            .sudo()
            .search(
                [
                    ("provider_id", "=", provider_sudo.id),
                    ("tracking_ref", "=", item["number"]),
                ]
            )
        )
        if not shipments:
            return 200, {"code": 0, "message": "unknown number, ignored"}
        shipments._tracking_store_results(
            dict.fromkeys(shipments, item), {}, fields.Datetime.now(), pushed=True
        )
        return 200, {"code": 0, "message": "ok"}
