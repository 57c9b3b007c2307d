from odoo.tests import tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaFailureCodes(RmaCase):
    """The failure codes follow the unit to its repair order."""

    def test_codes_go_to_the_repair(self):
        Code = self.env["aftersales.failure.code"]
        cause = Code.create({"kind": "cause", "code": "RT-C", "name": "Cable"})
        remedy = Code.create({"kind": "remedy", "code": "RT-R", "name": "Replaced"})
        other = Code.create({"kind": "cause", "code": "RT-T", "name": "From ticket"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Broken cable",
                "partner_id": self.customer_de.id,
                "product_id": self.product_cable.id,
                "cause_code_id": other.id,
            }
        )
        rma = self._rma(
            [
                self._line(cause_code_id=cause.id, remedy_code_id=remedy.id),
                self._line(),
            ],
            ticket_id=ticket.id,
        )
        coded, uncoded = rma.line_ids
        vals = rma._prepare_repair_vals(coded)
        self.assertEqual(
            (vals["cause_code_id"], vals["remedy_code_id"]), (cause.id, remedy.id)
        )
        # a line without codes takes the ticket's, for the same product
        vals = rma._prepare_repair_vals(uncoded)
        self.assertEqual(vals["cause_code_id"], other.id)
        self.assertNotIn("remedy_code_id", vals)
        repair = self.env["repair.order"].create(
            {
                "product_id": self.product_cable.id,
                **{
                    k: v
                    for k, v in rma._prepare_repair_vals(coded).items()
                    if k in ("cause_code_id", "remedy_code_id")
                },
            }
        )
        self.assertEqual(repair.cause_code_id, cause)
