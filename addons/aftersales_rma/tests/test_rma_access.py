from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaAccess(RmaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "MedEquip Brasil"})
        cls.other_agent = new_test_user(
            cls.env,
            login="rma_other_agent",
            groups="aftersales_service.aftersales_group_user",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.plain_user = new_test_user(
            cls.env, login="rma_plain", groups="base.group_user"
        )

    def test_service_user_runs_the_flow_without_stock_rights(self):
        lot = self._lots(["RMA-AC-1"])
        rma = (
            self.env["aftersales.rma"]
            .with_user(self.agent_de)
            .create(
                {
                    "partner_id": self.customer_de.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            self._line(
                                lot, warranty_decision="covered", disposition="refund"
                            ),
                        )
                    ],
                }
            )
        )
        rma.action_submit()
        self.assertEqual(rma.state, "approved")
        rma.action_request_return()
        self._receive(rma)
        rma.action_process()
        self.assertTrue(rma.line_ids.sudo().refund_move_id)
        # the form's counters and links read fine without stock/invoicing rights
        rma.invalidate_recordset()
        [values] = rma.read(["picking_count", "invoice_count", "shipment_count"])
        self.assertEqual(values["picking_count"], 2)  # receipt and put-away
        self.assertEqual(values["invoice_count"], 1)
        self.assertEqual(values["shipment_count"], 1)
        [line] = rma.line_ids.read(["refund_move_id", "product_id"])
        self.assertTrue(line["refund_move_id"])
        # a service user cannot delete an RMA, a manager deletes a cancelled one
        with self.assertRaises(AccessError):
            rma.unlink()
        rma.action_cancel()
        rma.with_user(self.manager).unlink()
        self.assertFalse(rma.exists())

    def test_other_company_cannot_see(self):
        rma = self._rma([self._line()])
        Rma = self.env["aftersales.rma"].with_user(self.other_agent)
        self.assertFalse(Rma.search([("id", "=", rma.id)]))
        with self.assertRaises(AccessError):
            rma.with_user(self.other_agent).read(["name"])
        with self.assertRaises(AccessError):
            rma.line_ids.with_user(self.other_agent).read(["product_id"])
        # and sees its own
        own = Rma.create(
            {
                "partner_id": self.customer_ng.id,
                "line_ids": [(0, 0, {"product_id": self.product_cable.id})],
            }
        )
        self.assertEqual(own.company_id, self.other_company)
        self.assertEqual(Rma.search([]), own)

    def test_user_without_service_group(self):
        rma = self._rma([self._line()])
        with self.assertRaises(AccessError):
            rma.with_user(self.plain_user).read(["name"])

    def test_agent_cannot_edit_templates(self):
        with self.assertRaises(AccessError):
            self.tmpl_de.with_user(self.agent_de).write({"max_ship_days": 3})
        self.tmpl_de.with_user(self.manager).write({"max_ship_days": 3})
        self.assertEqual(self.tmpl_de.max_ship_days, 3)
