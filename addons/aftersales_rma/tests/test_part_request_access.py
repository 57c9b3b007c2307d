from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common_part import PartRequestCase


@tagged("post_install", "-at_install")
class TestPartRequestAccess(PartRequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls.env["aftersales.part.request"].create(
            {
                "ticket_id": cls.ticket.id,
                "user_id": cls.agent.id,
                "line_ids": [Command.create({"product_id": cls.part.id})],
            }
        )
        cls.finance = new_test_user(
            cls.env,
            login="as_parts_finance",
            groups="aftersales_rma.aftersales_group_finance",
        )
        cls.portal = new_test_user(
            cls.env, login="as_parts_portal", groups="base.group_portal"
        )

    def test_engineer_of_the_team(self):
        Request = self.env["aftersales.part.request"].with_user(self.agent2)
        self.assertIn(self.request, Request.search([]))
        self.request.with_user(self.agent2).line_ids.quantity = 2
        own = self._request(user=self.agent2)
        self.assertEqual(own.user_id, self.agent2)
        with self.assertRaises(AccessError):
            own.unlink()

    def test_engineer_of_another_team(self):
        Request = self.env["aftersales.part.request"].with_user(self.agent_de)
        self.assertNotIn(self.request, Request.search([]))
        with self.assertRaises(AccessError):
            self.request.with_user(self.agent_de).read(["name"])
        with self.assertRaises(AccessError):
            self.request.line_ids.with_user(self.agent_de).read(["quantity"])

    def test_manager_and_finance(self):
        self.assertIn(
            self.request,
            self.env["aftersales.part.request"].with_user(self.manager).search([]),
        )
        self.assertTrue(self.request.with_user(self.finance).read(["name"]))
        with self.assertRaises(AccessError):
            self.request.with_user(self.finance).write({"note": "<p>no</p>"})
        request = self._request()
        request.with_user(self.manager).unlink()
        self.assertFalse(request.exists())

    def test_portal_user_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.part.request"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.request.with_user(self.portal).read(["name"])

    def test_other_company(self):
        other = self.env["res.company"].create({"name": "MedEquip Nigeria Ltd"})
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Pump alarm",
                "partner_id": self.customer_ng.id,
                "company_id": other.id,
            }
        )
        request = self.env["aftersales.part.request"].create(
            {
                "ticket_id": ticket.id,
                "company_id": other.id,
                "line_ids": [Command.create({"product_id": self.part.id})],
            }
        )
        # the manager of this company only does not see the other's requests
        Request = self.env["aftersales.part.request"].with_user(self.manager)
        self.assertNotIn(request, Request.search([]))
        with self.assertRaises(AccessError):
            request.with_user(self.manager).read(["name"])

    def test_engineer_opens_a_charged_request(self):
        """An engineer without sales or stock rights opens a request with its
        quotation, transfers and shipment legs."""
        self._stock(self.wh_lagos, 1)
        self.ticket.warranty_decision = "chargeable"
        request = self._request(user=self.agent)
        request.action_confirm()
        request.action_customer_accepted()
        self.assertEqual(request.sale_order_state, "sale")
        self.assertFalse(self.agent.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.agent.has_group("stock.group_stock_user"))
        form = Form(request.with_user(self.agent))
        self.assertEqual(form.sale_order_name, request.sudo().sale_order_id.name)
        self.assertEqual(form.parts_state, "reserved")
        self.assertEqual(len(form.shipment_ids), 1)
        self.assertEqual(request.with_user(self.agent).picking_count, 1)
        with self.assertRaises(AccessError):
            request.with_user(self.agent).sale_order_id.read(["amount_total"])
