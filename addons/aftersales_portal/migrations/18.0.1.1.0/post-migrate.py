"""18.0.1.1.0: the portal record rules (noupdate data, so an upgrade leaves them
as they are) find an end customer's documents by their stored customer company
instead of a child_of on the customer, which made PostgreSQL read every ticket
and registration. Only that part of each rule's domain is rewritten: the rest of
a rule a customer edited stays as it is."""

from odoo import SUPERUSER_ID, api

RULES = (
    "aftersales_ticket_rule_portal",
    "aftersales_warranty_rule_portal",
    "aftersales_rma_rule_portal",
    "aftersales_rma_line_rule_portal",
    "aftersales_shipment_rule_portal",
    "aftersales_shipment_event_rule_portal",
    "aftersales_shipment_line_rule_portal",
)
# the leaf before and after, for each path to the customer
PREFIXES = ("", "rma_id.", "shipment_id.rma_id.")
OLD = "('%spartner_id', 'child_of', user.commercial_partner_id.id)"
NEW = "('%scommercial_partner_id', '=', user.commercial_partner_id.id)"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in RULES:
        rule = env.ref(f"aftersales_portal.{xmlid}", raise_if_not_found=False)
        if not rule:
            continue
        domain = rule.domain_force or ""
        for prefix in PREFIXES:
            domain = domain.replace(OLD % prefix, NEW % prefix)
        if domain != rule.domain_force:
            rule.domain_force = domain
