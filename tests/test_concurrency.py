"""Idempotency under real concurrency: the same request sent by several clients
at the same moment (threads, each with its own connection to the server) has
one effect, and every client gets an answer without an error: the ticket of an
``external_ref``, the ticket of an email's Message-Id, the events of a carrier's
push."""

import hashlib
import hmac
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import RpcClient

CLIENTS = 8


def _at_once(calls):
    """Run the callables in threads released together; their results, or the
    exception each one raised, in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 (the test reports each one)
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _errors(outcomes):
    return [repr(outcome) for outcome in outcomes if isinstance(outcome, Exception)]


@pytest.fixture
def server_errors(odoo_server):
    """The ERROR lines the server logs during the test: a concurrent request
    that fails (a duplicate key, a row updated concurrently) logs one, even
    when Odoo's retry hides it from the client."""
    start = odoo_server.log_path.stat().st_size

    def errors():
        with open(odoo_server.log_path, errors="replace") as log:
            log.seek(start)
            return [line for line in log if " ERROR " in line]

    return errors


def test_concurrent_creates_with_one_external_ref_give_one_ticket(
    odoo_server, rpc, server_errors
):
    ref = f"CONC-{uuid.uuid4().hex[:8]}"
    values = {"subject": "Pump alarm E12", "channel": "api", "external_ref": ref}
    # logged in beforehand: each client only sends its create when released
    clients = [RpcClient(odoo_server) for _ in range(CLIENTS)]
    outcomes = _at_once(
        [
            lambda client=client: client("aftersales.ticket", "create", [values])
            for client in clients
        ]
    )
    assert not _errors(outcomes)
    assert not server_errors()
    assert len(set(outcomes)) == 1, outcomes
    assert rpc("aftersales.ticket", "search", [[("external_ref", "=", ref)]]) == [
        outcomes[0]
    ]
    # the ticket is a whole one (the winner's), not a half-made duplicate
    [ticket] = rpc(
        "aftersales.ticket", "read", [outcomes[:1]], fields=["name", "stage_id"]
    )
    assert ticket["name"].startswith("SV")
    assert ticket["stage_id"]


def test_concurrent_batches_sharing_references(odoo_server, rpc, server_errors):
    """Batches that overlap in their references, sent at once: each reference
    one ticket, each batch the ids of its references in its order."""
    refs = [f"CONCB-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    batches = [[refs[index % 4], refs[(index + 1) % 4]] for index in range(CLIENTS)]
    clients = [RpcClient(odoo_server) for _ in range(CLIENTS)]
    outcomes = _at_once(
        [
            lambda client=client, batch=batch: client(
                "aftersales.ticket",
                "create",
                [[{"subject": ref, "external_ref": ref} for ref in batch]],
            )
            for client, batch in zip(clients, batches, strict=True)
        ]
    )
    assert not _errors(outcomes)
    assert not server_errors()
    tickets = rpc(
        "aftersales.ticket",
        "search_read",
        [[("external_ref", "in", refs)]],
        fields=["external_ref"],
    )
    assert len(tickets) == 4
    id_of = {ticket["external_ref"]: ticket["id"] for ticket in tickets}
    for batch, ids in zip(batches, outcomes, strict=True):
        assert ids == [id_of[ref] for ref in batch]


def _team_alias(rpc):
    [company] = rpc(
        "res.company", "search_read", [[]], fields=["alias_domain_id"], limit=1
    )
    if not company["alias_domain_id"]:
        domain_id = rpc("mail.alias.domain", "create", [{"name": "e2e.example.com"}])
        rpc("res.company", "write", [[company["id"]], {"alias_domain_id": domain_id}])
    team_id = rpc(
        "aftersales.team",
        "create",
        [
            {
                "name": "E2E Concurrent Mail Team",
                "alias_name": f"e2e-conc-{uuid.uuid4().hex[:6]}",
            }
        ],
    )
    [team] = rpc("aftersales.team", "read", [[team_id]], fields=["alias_email"])
    assert team["alias_email"], "the team alias has no email address"
    return team_id, team["alias_email"]


def test_one_email_delivered_concurrently_gives_one_ticket(
    odoo_server, rpc, server_errors
):
    team_id, alias_email = _team_alias(rpc)
    message_id = f"<{uuid.uuid4().hex}@customer.example>"
    email = (
        "From: Dr. Ada Okafor <ada.okafor@lagos-hospital.example>\r\n"
        f"To: {alias_email}\r\n"
        "Subject: Infusion pump occlusion alarm\r\n"
        f"Message-Id: {message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "The pump raises an occlusion alarm at every start.\r\n"
    )
    clients = [RpcClient(odoo_server) for _ in range(CLIENTS)]
    outcomes = _at_once(
        [
            lambda client=client: client(
                "mail.thread", "message_process", [False, email]
            )
            for client in clients
        ]
    )
    assert not _errors(outcomes)
    assert not server_errors()
    tickets = rpc("aftersales.ticket", "search", [[("team_id", "=", team_id)]])
    assert len(tickets) == 1
    # the delivery that made the ticket answers its id, the others nothing
    assert [outcome for outcome in outcomes if outcome] == tickets
    assert rpc("mail.message", "search_count", [[("message_id", "=", message_id)]]) == 1
    # no delivery failed on the way: the alias was not found broken (an error
    # in a route marks it invalid and bounces the email to the customer)
    [team] = rpc("aftersales.team", "read", [[team_id]], fields=["alias_id"])
    [alias] = rpc(
        "mail.alias", "read", [[team["alias_id"][0]]], fields=["alias_status"]
    )
    assert alias["alias_status"] == "valid"


def _push_body(number):
    events = [
        {
            "time_iso": when,
            "time_utc": when,
            "stage": stage,
            "sub_status": None,
            "description": description,
            "location": location,
        }
        for when, stage, description, location in (
            ("2026-11-21T09:30:00Z", "InTransit", "Departed facility", "Leipzig"),
            ("2026-11-20T16:00:00Z", "InfoReceived", "Picked up", "Hamburg"),
        )
    ]
    item = {
        "number": number,
        "carrier": 0,
        "track_info": {
            "latest_status": {"status": "InTransit", "sub_status": None},
            "latest_event": events[0],
            "time_metrics": {"estimated_delivery_date": {"from": None, "to": None}},
            "tracking": {"providers": [{"provider": {"key": 0}, "events": events}]},
        },
    }
    return json.dumps({"event": "TRACKING_UPDATED", "data": item}).encode()


def test_one_carrier_event_pushed_concurrently_is_stored_once(
    odoo_server, rpc, server_errors
):
    secret = uuid.uuid4().hex
    provider_id = rpc(
        "aftersales.tracking.provider",
        "create",
        [
            {
                "name": "E2E 17TRACK",
                "provider_type": "track17",
                # never called: the server runs no cron, the carrier pushes
                "api_url": "http://127.0.0.1:9/track/v2.2",
                "api_key": "e2e",
                "webhook_secret": secret,
            }
        ],
    )
    number = f"E2E{uuid.uuid4().hex[:10].upper()}"
    shipment_id = rpc(
        "aftersales.shipment",
        "create",
        [
            {
                "direction": "customer_to_hub",
                "provider_id": provider_id,
                "tracking_ref": number,
            }
        ],
    )
    body = _push_body(number)
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    url = f"{odoo_server.url}/aftersales/tracking/webhook/{provider_id}"

    def push():
        # a session each: its own connection
        with requests.Session() as session:
            response = session.post(
                url,
                data=body,
                headers={"Content-Type": "application/json", "sign": signature},
                timeout=120,
            )
            return response.status_code, response.json()

    outcomes = _at_once([push] * CLIENTS)
    assert not _errors(outcomes)
    assert not server_errors()
    assert [status for status, _payload in outcomes] == [200] * CLIENTS, outcomes
    assert {payload["code"] for _status, payload in outcomes} == {0}
    events = rpc(
        "aftersales.shipment.event",
        "search_read",
        [[("shipment_id", "=", shipment_id)]],
        fields=["external_id", "status"],
    )
    assert len(events) == 2
    assert len({event["external_id"] for event in events}) == 2
    [shipment] = rpc("aftersales.shipment", "read", [[shipment_id]], fields=["status"])
    assert shipment["status"] == "in_transit"
