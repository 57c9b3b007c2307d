"""Returns as an outside client sees them: a ticket becomes an RMA over XML-RPC,
its return leg is a shipment, and a tracking provider pushes carrier events to
the webhook of the running server over real HTTP."""

import hashlib
import hmac
import json
import uuid

import pytest
import requests


@pytest.fixture(scope="module")
def returned_unit(rpc):
    """A German customer's serial-tracked unit and the ticket reporting it."""
    suffix = uuid.uuid4().hex[:6]
    germany = rpc("res.country", "search", [[("code", "=", "DE")]], limit=1)
    partner = rpc(
        "res.partner",
        "create",
        [
            {
                "name": f"Klinikum E2E {suffix}",
                "email": f"service-{suffix}@klinikum.example",
                "country_id": germany[0],
                "lang": "en_US",
            }
        ],
    )
    product = rpc(
        "product.product",
        "create",
        [
            {
                "name": f"Ultrasound E2E {suffix}",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 1200.0,
                "standard_price": 800.0,
            }
        ],
    )
    lot = rpc(
        "stock.lot", "create", [{"name": f"US-E2E-{suffix}", "product_id": product}]
    )
    ticket = rpc(
        "aftersales.ticket",
        "create",
        [
            {
                "subject": "Probe shows no image",
                "channel": "api",
                "partner_id": partner,
                "product_id": product,
                "lot_id": lot,
            }
        ],
    )
    return {"partner": partner, "product": product, "lot": lot, "ticket": ticket}


def _rma_of(rpc, ticket_id, fields):
    [rma] = rpc(
        "aftersales.rma",
        "search_read",
        [[("ticket_id", "=", ticket_id)]],
        fields=fields,
    )
    return rma


def test_rma_from_ticket_up_to_the_return_leg(rpc, returned_unit):
    rpc("aftersales.ticket", "action_create_rma", [[returned_unit["ticket"]]])
    rma = _rma_of(rpc, returned_unit["ticket"], ["name", "state", "line_ids"])
    assert rma["name"].startswith("RMA")
    assert rma["state"] == "draft"
    [line] = rpc(
        "aftersales.rma.line",
        "read",
        [rma["line_ids"]],
        fields=["product_id", "lot_id", "disposition"],
    )
    assert line["product_id"][0] == returned_unit["product"]
    assert line["lot_id"][0] == returned_unit["lot"]
    assert line["disposition"] == "repair"

    rpc("aftersales.rma", "action_submit", [[rma["id"]]])
    if _rma_of(rpc, returned_unit["ticket"], ["state"])["state"] == "submitted":
        rpc("aftersales.rma", "action_approve", [[rma["id"]]])  # admin is a manager
    assert _rma_of(rpc, returned_unit["ticket"], ["state"])["state"] == "approved"

    rpc("aftersales.rma", "action_request_return", [[rma["id"]]])
    rma = _rma_of(
        rpc, returned_unit["ticket"], ["state", "picking_ids", "shipment_ids"]
    )
    assert rma["state"] == "awaiting_receipt"
    assert rma["picking_ids"], "the return has its receipt"
    shipments = rpc(
        "aftersales.shipment",
        "read",
        [rma["shipment_ids"]],
        fields=["direction", "picking_id", "status"],
    )
    assert [s["direction"] for s in shipments] == ["customer_to_hub"]
    assert shipments[0]["picking_id"][0] in rma["picking_ids"]


def _push(odoo_server, provider_id, body, secret):
    raw = json.dumps(body).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return requests.post(
        f"{odoo_server.url}/aftersales/tracking/webhook/{provider_id}",
        data=raw,
        headers={"Content-Type": "application/json", "sign": signature},
        timeout=30,
    )


def test_carrier_pushes_a_customs_hold_to_the_webhook(rpc, odoo_server, returned_unit):
    rma = _rma_of(rpc, returned_unit["ticket"], ["shipment_ids", "message_ids"])
    assert rma["shipment_ids"], "runs after the RMA test"
    secret = uuid.uuid4().hex
    provider = rpc(
        "aftersales.tracking.provider",
        "create",
        [
            {
                "name": "Carrier API (e2e)",
                "provider_type": "track17",
                "api_url": "http://127.0.0.1:9/track/v2.2",
                "webhook_secret": secret,
            }
        ],
    )
    number = f"1Z{uuid.uuid4().hex[:12].upper()}"
    shipment_id = rma["shipment_ids"][0]
    rpc(
        "aftersales.shipment",
        "write",
        [[shipment_id], {"provider_id": provider, "tracking_ref": number}],
    )
    event = {
        "time_iso": "2026-11-22T08:00:00+01:00",
        "time_utc": "2026-11-22T07:00:00Z",
        "stage": "InTransit",
        "sub_status": "InTransit_CustomsRequiringInformation",
        "description": "Held by customs: invoice required",
        "location": "Frankfurt",
    }
    body = {
        "event": "TRACKING_UPDATED",
        "data": {
            "number": number,
            "track_info": {
                "latest_status": {
                    "status": "InTransit",
                    "sub_status": "InTransit_CustomsRequiringInformation",
                },
                "tracking": {"providers": [{"events": [event]}]},
            },
        },
    }

    wrong = _push(odoo_server, provider, body, "not-the-secret")
    assert wrong.status_code == 403
    assert (
        rpc(
            "aftersales.shipment.event",
            "search_count",
            [[("shipment_id", "=", shipment_id)]],
        )
        == 0
    )

    for _attempt in range(2):  # the provider retries: stored once
        answer = _push(odoo_server, provider, body, secret)
        assert answer.status_code == 200, answer.text
        assert answer.json()["code"] == 0

    events = rpc(
        "aftersales.shipment.event",
        "search_read",
        [[("shipment_id", "=", shipment_id)]],
        fields=["status", "description", "location"],
    )
    assert len(events) == 1
    assert events[0]["status"] == "customs_hold"
    assert events[0]["location"] == "Frankfurt"
    [shipment] = rpc("aftersales.shipment", "read", [[shipment_id]], fields=["status"])
    assert shipment["status"] == "customs_hold"
    # the change is written on the RMA's chatter
    after = _rma_of(rpc, returned_unit["ticket"], ["message_ids"])
    new_ids = sorted(set(after["message_ids"]) - set(rma["message_ids"]))
    bodies = [
        m["body"] for m in rpc("mail.message", "read", [new_ids], fields=["body"])
    ]
    assert any(number in body_html for body_html in bodies)
