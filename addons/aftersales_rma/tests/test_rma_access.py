from odoo import Command
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


@tagged("post_install", "-at_install")
class TestRmaFollowsTicket(RmaCase):
    """RMAs, their lines, shipments, shipment events and customs lines follow
    the visibility of their ticket for service users (issue 8, item 5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a ticket of Shanghai (not agent_de's team) and one of Hamburg (his)
        cls.ticket_sh = cls.env["aftersales.ticket"].create(
            {"subject": "Probe dead", "partner_id": cls.customer_de.id,
             "team_id": cls.team_sh.id, "user_id": cls.agent.id}
        )  # fmt: skip
        cls.ticket_de = cls.env["aftersales.ticket"].create(
            {"subject": "Fan noise", "partner_id": cls.customer_de.id,
             "team_id": cls.team_de.id}
        )  # fmt: skip
        cls.hidden = cls._documents(cls.ticket_sh)
        cls.visible = cls._documents(cls.ticket_de)
        cls.ticketless = cls._documents(cls.env["aftersales.ticket"])

    @classmethod
    def _documents(cls, ticket):
        rma = cls.env["aftersales.rma"].create(
            {
                "partner_id": cls.customer_de.id,
                "ticket_id": ticket.id,
                "user_id": cls.agent.id,
                "line_ids": [Command.create({"product_id": cls.product_cable.id})],
            }
        )
        shipment = cls.env["aftersales.shipment"].create(
            {"rma_id": rma.id, "direction": "customer_to_hub",
             "partner_id": cls.customer_de.id}
        )  # fmt: skip
        event = cls.env["aftersales.shipment.event"].create(
            {"shipment_id": shipment.id, "status": "in_transit"}
        )
        customs = cls.env["aftersales.shipment.line"].create(
            {"shipment_id": shipment.id, "product_id": cls.product_cable.id}
        )
        return {
            "aftersales.rma": rma,
            "aftersales.rma.line": rma.line_ids,
            "aftersales.shipment": shipment,
            "aftersales.shipment.event": event,
            "aftersales.shipment.line": customs,
        }

    def _assert_hidden(self, user, documents):
        for model, records in documents.items():
            Model = self.env[model].with_user(user)
            with self.subTest(model=model):
                self.assertFalse(Model.search([("id", "in", records.ids)]))
                self.assertEqual(Model.search_count([("id", "in", records.ids)]), 0)
                self.assertFalse(
                    Model.search_read([("id", "in", records.ids)], ["display_name"])
                )
                with self.assertRaises(AccessError):
                    records.with_user(user).read(["display_name"])

    def _assert_visible(self, user, documents):
        for model, records in documents.items():
            Model = self.env[model].with_user(user)
            with self.subTest(model=model):
                self.assertEqual(Model.search([("id", "in", records.ids)]), records)
                records.with_user(user).read(["display_name"])

    def test_rma_of_a_ticket_the_user_may_not_read_is_hidden(self):
        with self.assertRaises(AccessError):
            self.ticket_sh.with_user(self.agent_de).read(["subject"])
        self._assert_hidden(self.agent_de, self.hidden)
        # nor through related paths: the customer of the hidden RMA
        for model, path in (
            ("aftersales.rma.line", "rma_id.ticket_id"),
            ("aftersales.shipment", "rma_id.ticket_id"),
            ("aftersales.shipment.event", "shipment_id.rma_id.ticket_id"),
            ("aftersales.shipment.line", "shipment_id.rma_id.ticket_id"),
        ):
            found = (
                self.env[model]
                .with_user(self.agent_de)
                .search([(path, "=", self.ticket_sh.id)])
            )
            self.assertFalse(found, model)
        self.assertFalse(
            self.env["aftersales.shipment"]
            .with_user(self.agent_de)
            .search([("ticket_id", "=", self.ticket_sh.id)])
        )
        with self.assertRaises(AccessError):
            self.hidden["aftersales.rma.line"].with_user(self.agent_de).read(
                ["partner_id"]
            )

    def test_rma_of_a_ticket_the_user_reads(self):
        self._assert_visible(self.agent_de, self.visible)
        # and the Shanghai engineer, assigned to the Shanghai ticket
        self._assert_visible(self.agent, self.hidden)
        self._assert_hidden(self.agent2, self.visible)

    def test_rma_without_ticket_is_everyones(self):
        self._assert_visible(self.agent_de, self.ticketless)
        self._assert_visible(self.agent2, self.ticketless)

    def test_responsible_sees_the_rma_of_a_ticket_of_another_team(self):
        self.hidden["aftersales.rma"].user_id = self.agent_de
        self._assert_visible(self.agent_de, self.hidden)

    def test_manager_sees_all(self):
        for documents in (self.hidden, self.visible, self.ticketless):
            self._assert_visible(self.manager, documents)
