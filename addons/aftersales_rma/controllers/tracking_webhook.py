from odoo import http
from odoo.http import request


class TrackingWebhookController(http.Controller):
    @http.route(
        "/aftersales/tracking/webhook/<int:provider_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def tracking_webhook(self, provider_id, **kwargs):
        """A tracking provider pushes events; the body is checked against its
        signature by the provider model before anything is read."""
        # sudo: the caller is an anonymous server; the model method verifies
        # the HMAC signature with the provider's secret before it ingests
        provider_sudo = (
            request.env["aftersales.tracking.provider"].sudo().browse(provider_id)
        )
        status, payload = provider_sudo._webhook_receive(
            request.httprequest.get_data(), request.httprequest.headers.get("sign", "")
        )
        return request.make_json_response(payload, status=status)
