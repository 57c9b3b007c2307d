"""Tickets and warranty checks as an external system sees them: XML-RPC on a
running server, and the mail gateway entry point the mailgate script uses."""

import uuid
import xmlrpc.client

import pytest
from conftest import RpcClient


def _ids(rpc, xmlid):
    module, name = xmlid.split(".")
    return rpc("ir.model.data", "check_object_reference", [module, name])[1]


def test_create_ticket_with_external_ref_is_idempotent(rpc):
    ref = f"ERP-{uuid.uuid4().hex[:8]}"
    values = {"subject": "Pump alarm E12", "channel": "api", "external_ref": ref}
    first = rpc("aftersales.ticket", "create", [values])
    second = rpc("aftersales.ticket", "create", [values])
    assert first == second
    assert rpc("aftersales.ticket", "search_count", [[("external_ref", "=", ref)]]) == 1
    [ticket] = rpc(
        "aftersales.ticket",
        "read",
        [[first]],
        fields=["name", "stage_id", "sla_policy_id", "response_deadline", "sla_state"],
    )
    assert ticket["name"].startswith("SV")
    assert ticket["stage_id"]
    assert ticket["sla_policy_id"]
    assert ticket["response_deadline"]
    assert ticket["sla_state"] == "on_track"


def test_batch_create_returns_one_id_per_ticket(rpc):
    ids = rpc(
        "aftersales.ticket",
        "create",
        [[{"subject": f"Batch {index}", "channel": "api"} for index in range(3)]],
    )
    assert len(set(ids)) == 3


def test_bad_input_is_a_clear_error(rpc):
    with pytest.raises(xmlrpc.client.Fault) as error:
        rpc(
            "aftersales.sla.policy",
            "create",
            [{"name": "Broken", "response_hours": 0, "resolution_hours": 8}],
        )
    assert "more than zero" in error.value.faultString


def test_email_to_team_alias_creates_ticket_once(rpc):
    [company] = rpc(
        "res.company", "search_read", [[]], fields=["alias_domain_id"], limit=1
    )
    if not company["alias_domain_id"]:
        domain_id = rpc("mail.alias.domain", "create", [{"name": "e2e.example.com"}])
        rpc("res.company", "write", [[company["id"]], {"alias_domain_id": domain_id}])
    team_id = rpc(
        "aftersales.team",
        "create",
        [{"name": "E2E Mail Team", "alias_name": "e2e-service"}],
    )
    [team] = rpc("aftersales.team", "read", [[team_id]], fields=["alias_email"])
    message_id = f"<{uuid.uuid4().hex}@customer.example>"
    email = (
        "From: Dr. Ada Okafor <ada.okafor@lagos-hospital.example>\r\n"
        f"To: {team['alias_email']}\r\n"
        "Subject: Ultrasound probe not detected\r\n"
        f"Message-Id: {message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Since this morning the probe is not detected.\r\n"
    )
    assert team["alias_email"], "the team alias has no email address"
    rpc("mail.thread", "message_process", [False, email])
    rpc(
        "mail.thread", "message_process", [False, email]
    )  # the same mail delivered twice
    tickets = rpc(
        "aftersales.ticket",
        "search_read",
        [[("team_id", "=", team_id)]],
        fields=["subject", "channel", "partner_id"],
    )
    assert len(tickets) == 1
    assert tickets[0]["subject"] == "Ultrasound probe not detected"
    assert tickets[0]["channel"] == "email"
    assert tickets[0]["partner_id"]


def test_check_serial_over_rpc(rpc):
    product_id = rpc(
        "product.product",
        "create",
        [
            {
                "name": "E2E Scanner",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        ],
    )
    serial = f"E2E-{uuid.uuid4().hex[:8]}"
    lot_id = rpc("stock.lot", "create", [{"name": serial, "product_id": product_id}])
    rpc(
        "aftersales.warranty.policy",
        "create",
        [{"name": "E2E 12 months", "duration_months": 12}],
    )
    partner_id = rpc("res.partner", "create", [{"name": "E2E Clinic"}])
    rpc(
        "aftersales.warranty",
        "create",
        [
            {
                "lot_id": lot_id,
                "partner_id": partner_id,
                "delivery_date": "2026-01-15",
                "registration_date": "2026-01-20",
                "source": "api",
            }
        ],
    )
    result = rpc("aftersales.warranty", "check_serial", [serial, "2026-06-01"])
    assert result["status"] == "in"
    assert result["date_end"] >= "2027-01-14"
    assert result["coverage"]["currency"]
    assert (
        rpc("aftersales.warranty", "check_serial", [serial, "2030-01-01"])["status"]
        == "expired"
    )
    assert (
        rpc("aftersales.warranty", "check_serial", ["NO-SUCH-SERIAL"])["status"]
        == "unknown"
    )


def test_service_user_cannot_read_another_teams_ticket(odoo_server, rpc):
    group_id = _ids(rpc, "aftersales_service.aftersales_group_user")
    login = f"e2e-agent-{uuid.uuid4().hex[:6]}"
    rpc(
        "res.users",
        "create",
        [
            {
                "name": "E2E Agent",
                "login": login,
                "password": login + "-pw",
                "groups_id": [(6, 0, [group_id, _ids(rpc, "base.group_user")])],
            }
        ],
    )
    other_team = rpc("aftersales.team", "create", [{"name": "E2E Other Team"}])
    hidden = rpc(
        "aftersales.ticket", "create", [{"subject": "Not yours", "team_id": other_team}]
    )
    agent = RpcClient(odoo_server, login=login, password=login + "-pw")
    assert agent("aftersales.ticket", "search", [[("id", "=", hidden)]]) == []
    with pytest.raises(xmlrpc.client.Fault) as error:
        agent("aftersales.ticket", "read", [[hidden]], fields=["subject"])
    assert (
        "AccessError" in error.value.faultString
        or "access" in error.value.faultString.lower()
    )
    with pytest.raises(xmlrpc.client.Fault):
        agent("aftersales.sla.policy", "create", [{"name": "Not allowed"}])
