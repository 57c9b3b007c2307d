from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RmaCase


@tagged("post_install", "-at_install")
class TestRmaApproval(RmaCase):
    def test_template_selection(self):
        fr = self.env["res.partner"].create(
            {"name": "CHU Lyon", "country_id": self.env.ref("base.fr").id}
        )
        ng_rma = self._rma([self._line()], partner=self.customer_ng)
        de_rma = self._rma([self._line()], partner=self.customer_de)
        fr_rma = self._rma([self._line()], partner=fr)
        # countries first, even when a group template has a lower sequence
        self.assertEqual(de_rma.template_id, self.tmpl_de)
        self.assertEqual(fr_rma.template_id, self.tmpl_eu)
        self.assertEqual(ng_rma.template_id, self.tmpl_world)
        # among catch-alls the first by sequence
        first = self.env["aftersales.rma.template"].create(
            {"name": "World first", "sequence": 1}
        )
        self.assertEqual(
            self.env["aftersales.rma.template"]._find_for(
                self.customer_ng.country_id, self.company
            ),
            first,
        )
        # the customer's country drives the template, which can be changed
        with Form(fr_rma) as form:
            form.partner_id = self.customer_de
            self.assertEqual(form.template_id, self.tmpl_de)
            form.template_id = self.tmpl_world
        self.assertEqual(fr_rma.template_id, self.tmpl_world)

    def test_auto_approval_rule(self):
        lot = self._stock_serials(["RMA-A-1"])
        covered = self._rma([self._line(lot, warranty_decision="covered")])
        covered.with_user(self.agent_de).action_submit()
        self.assertEqual(covered.state, "approved")
        self.assertEqual(covered.approved_by_id, self.agent_de)
        self.assertTrue(covered.approval_date)
        # over the limit: a manager must approve
        too_much = self._rma(
            [self._line(quantity=1, warranty_decision="covered", price_unit=25000.0)]
        )
        too_much.action_submit()
        self.assertEqual(too_much.state, "submitted")
        # not covered: a manager must approve
        chargeable = self._rma([self._line(warranty_decision="chargeable")])
        chargeable.action_submit()
        self.assertEqual(chargeable.state, "submitted")
        # the limit is in the template's currency
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", eur.id)]).unlink()
        self.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "rate": 0.5,
                "name": fields.Date.today(),
                "company_id": self.company.id,
            }
        )
        if self.company.currency_id != eur:
            self.tmpl_de.currency_id = eur
            self.tmpl_de.auto_approve_max_amount = 10000.0  # 20 000 company currency
            in_eur = self._rma(
                [self._line(warranty_decision="covered", price_unit=19000.0)]
            )
            in_eur.action_submit()
            self.assertEqual(in_eur.state, "approved")

    def test_manager_approval_and_rejection(self):
        rma = self._rma([self._line(warranty_decision="chargeable")])
        rma.with_user(self.agent_de).action_submit()
        with self.assertRaises(AccessError):
            rma.with_user(self.agent_de).action_approve()
        with self.assertRaises(AccessError):
            rma.with_user(self.agent_de).action_reject()
        rma.with_user(self.manager).action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.approved_by_id, self.manager)
        self.assertIn("Manager Zhao", rma.approval_note)

        rejected = self._rma([self._line(warranty_decision="chargeable")])
        rejected.action_submit()
        with self.assertRaises(UserError):
            rejected.with_user(self.manager).action_reject()
        rejected.rejection_reason = "Damage caused by a fall, not covered."
        rejected.with_user(self.manager).action_reject()
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(
            rejected.rejection_reason, "Damage caused by a fall, not covered."
        )

    def test_advance_replacement_ships_on_approval(self):
        lot = self._lots(["RMA-ADV-0"])
        self._stock_serials(["RMA-ADV-NEW0"])
        rma = self._rma(
            [
                self._line(
                    lot, disposition="advance_replacement", warranty_decision="covered"
                )
            ],
            partner=self.customer_ng,
        )
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        rma.with_user(self.manager).action_approve()
        replacement = self._kind(rma, "replacement")
        self.assertEqual(replacement.state, "assigned")
        self.assertTrue(rma.line_ids.return_due_date)
        self.assertEqual(
            replacement.aftersales_shipment_ids.direction, "hub_to_customer"
        )
