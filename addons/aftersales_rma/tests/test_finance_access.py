from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common_recovery import RecoveryCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestFinanceAccess(RecoveryCase):
    """Finance reads the money of the cases and books credit notes and bills but
    configures no service; service users book no bill and see no finance
    report; another company sees nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._ticket(
            cls,
            product_id=cls.linear_probe.id,
            lot_id=cls.lots[0].id,
            partner_id=cls.customer_de.id,
        )
        cls.cost = cls._cost(cls, cls.case, 500.0, date(2026, 4, 10))
        cls.recovery = cls.env["aftersales.recovery"]._propose(cls.company)
        cls.recovery.action_send()

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_finance_reads_and_books(self):
        env = self.env(user=self.finance)
        self.assertEqual(
            env["aftersales.ticket"].browse(self.case.id).name, self.case.name
        )
        self.assertTrue(env["aftersales.cost.line"].search([("id", "=", self.cost.id)]))
        self.assertTrue(env["aftersales.claim"].search_count([]) >= 0)
        report = env["aftersales.finance.report"].search(
            [("ticket_id", "=", self.case.id)]
        )
        self.assertAlmostEqual(report.cost_warranty, 500.0)
        self.assertAlmostEqual(report.recovery_claimed, 400.0)
        recovery = env["aftersales.recovery"].browse(self.recovery.id)
        move = recovery.action_accept()
        move.action_post()
        self.assertEqual(recovery.state, "credited")
        # ratios are finance's setting
        env["aftersales.recovery.ratio"].create(
            {"partner_id": self.other_supplier.id, "ratio": 20.0}
        )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_finance_configures_no_service(self):
        env = self.env(user=self.finance)
        with self.assertRaises(AccessError):
            env["aftersales.team"].browse(self.team_de.id).write(
                {"name": "Finance team"}
            )
        with self.assertRaises(AccessError):
            env["aftersales.sla.policy"].browse(self.policy.ids[:1]).write(
                {"response_hours": 1}
            )
        with self.assertRaises(AccessError):
            env["aftersales.warranty.policy"].browse(self.rule_eu.id).write(
                {"months": 99}
            )
        with self.assertRaises(AccessError):
            env["aftersales.ticket"].browse(self.case.id).write({"subject": "Changed"})
        with self.assertRaises(AccessError):
            env["aftersales.cost.line"].browse(self.cost.id).write(
                {"payer": "customer"}
            )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_service_user_books_no_bill(self):
        env = self.env(user=self.agent)
        with self.assertRaises(AccessError):
            env["account.move"].create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.supplier.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Probe", "quantity": 1, "price_unit": 10.0}
                        )
                    ],
                }
            )
        with self.assertRaises(AccessError):
            env["aftersales.finance.report"].search([])
        with self.assertRaises(AccessError):
            env["aftersales.recovery"].search([])
        with self.assertRaises(AccessError):
            env["aftersales.recovery.ratio"].search([])
        # a service manager proposes and reads recoveries, but books no credit note
        manager_env = self.env(user=self.manager)
        recovery = manager_env["aftersales.recovery"].browse(self.recovery.id)
        self.assertEqual(recovery.state, "sent")
        with self.assertRaises(AccessError):
            recovery.action_accept()
        with self.assertRaises(AccessError):
            manager_env["aftersales.recovery.ratio"].create(
                {"partner_id": self.supplier.id, "ratio": 10.0}
            )
        # nor may a service user post the credit note finance booked
        move = self.recovery.with_user(self.finance).action_accept()
        with self.assertRaises(AccessError):
            move.with_user(self.agent).action_post()
        self.assertEqual(move.state, "draft")

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other Brand Ltd"})
        finance_other = new_test_user(
            self.env,
            login="as_finance_other",
            groups="aftersales_rma.aftersales_group_finance",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        env = self.env(user=finance_other)
        self.assertFalse(env["aftersales.recovery"].search([]))
        self.assertFalse(env["aftersales.recovery.line"].search([]))
        self.assertFalse(env["aftersales.recovery.ratio"].search([]))
        self.assertFalse(env["aftersales.finance.report"].search([]))
        # the same user in the brand's company sees them
        self.assertTrue(
            self.env(user=self.finance)["aftersales.finance.report"].search(
                [("ticket_id", "=", self.case.id)]
            )
        )
