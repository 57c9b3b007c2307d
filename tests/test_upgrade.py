"""A real upgrade of the addons keeps what a customer edited in the shipped
email templates and record rules (``noupdate``), and still updates the rest.

Runs last (the file name sorts last): the upgrade reloads the server's
registry."""

import os
import subprocess

import odoo_harness  # scripts/odoo_harness.py (pyproject.toml: pythonpath)


def _xmlid_res_id(rpc, xmlid):
    module, name = xmlid.split(".")
    return rpc("ir.model.data", "check_object_reference", [module, name])[1]


EDITED = {
    # xml id: (model, edited values)
    "aftersales_service.mail_template_ticket_received": (
        "mail.template",
        {
            "subject": "{{ object.name }}: thank you, Hamburg service",
            "body_html": "<p>Edited by the customer</p>",
        },
    ),
    "aftersales_rma.mail_template_shipment_delivered": (
        "mail.template",
        {"subject": "{{ object.name }}: delivered (edited)"},
    ),
    "aftersales_service.aftersales_ticket_rule_user": (
        "ir.rule",
        {"name": "Tickets of my teams (edited)"},
    ),
    "aftersales_rma.aftersales_rma_rule_user": (
        "ir.rule",
        {"name": "RMAs of my tickets (edited)"},
    ),
}


def test_upgrade_keeps_edited_templates_and_rules(odoo_server, rpc):
    ids = {xmlid: _xmlid_res_id(rpc, xmlid) for xmlid in EDITED}
    for xmlid, (model, values) in EDITED.items():
        rpc(model, "write", [[ids[xmlid]], values])
    # an updatable record, edited too: the upgrade puts it back (it did run)
    group_id = _xmlid_res_id(rpc, "aftersales_service.aftersales_group_user")
    [group] = rpc("res.groups", "read", [[group_id]], fields=["comment"])
    rpc("res.groups", "write", [[group_id], {"comment": "Edited comment"}])

    log_dir = os.environ.get("E2E_LOG_DIR") or os.path.dirname(odoo_server.log_path)
    port = os.environ.get("E2E_HTTP_PORT") or odoo_harness.free_port()
    with open(os.path.join(log_dir, "e2e-upgrade.log"), "w") as log:
        upgrade = subprocess.run(
            [
                *odoo_harness.SCRIPTS_ODOO,
                "-d",
                odoo_server.db,
                "-u",
                "aftersales_service",
                "--stop-after-init",
                "--max-cron-threads=0",
                # not served (--stop-after-init): given only not to take 8069
                f"--http-port={port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=int(os.environ.get("E2E_INSTALL_TIMEOUT", "3600")),
            check=False,
        )
    assert upgrade.returncode == 0, f"the upgrade failed, see {log.name}"
    with open(log.name) as log:
        text = log.read()
    # both addons were upgraded (aftersales_rma depends on aftersales_service)
    for module in ("aftersales_service", "aftersales_rma"):
        assert f"module {module}: creating or updating database tables" in text

    for xmlid, (model, values) in EDITED.items():
        [record] = rpc(model, "read", [[ids[xmlid]]], fields=list(values))
        for field, value in values.items():
            assert record[field] == value, (xmlid, field)
    [after] = rpc("res.groups", "read", [[group_id]], fields=["comment"])
    assert after["comment"] == group["comment"] != "Edited comment"
