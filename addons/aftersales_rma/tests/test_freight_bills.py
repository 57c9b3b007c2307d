from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_cost_line import CostCase


@tagged("post_install", "-at_install")
class TestFreightBills(CostCase):
    """A posted vendor bill line naming a shipment leg is a freight cost of the
    leg's case, in company currency at the bill's rate; it replaces the leg's
    estimated freight; a credit note lowers it; a bill reset to draft takes its
    lines back and the estimate returns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.forwarder = cls.env["res.partner"].create(
            {"name": "Elbe Forwarding GmbH", "is_company": True}
        )
        cls.finance = new_test_user(
            cls.env,
            login="freight_finance",
            groups="aftersales_rma.aftersales_group_finance",
        )

    def _leg(self, serial, freight_cost=80.0):
        lot = self._lots([serial])
        self._register(lot)
        rma = self._awaiting(self._rma([self._line(lot)], ticket_id=self.ticket.id))
        shipment = self.env["aftersales.shipment"].create(
            {
                "rma_id": rma.id,
                "picking_id": self._kind(rma, "receipt").id,
                "direction": "customer_to_hub",
                "currency_id": self.eur.id,
                "freight_cost": freight_cost,
            }
        )
        return rma, shipment

    def _bill(self, shipment, amount, move_type="in_invoice", day=None):
        """A vendor bill in EUR, posted by finance, one line for the leg and one
        that names no leg."""
        Move = self.env["account.move"].with_user(self.finance)
        move = Move.create(
            {
                "move_type": move_type,
                "partner_id": self.forwarder.id,
                "currency_id": self.eur.id,
                "invoice_date": day or date(2026, 6, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Road freight Munich - Hamburg",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                            "aftersales_shipment_id": shipment.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Pallets",
                            "quantity": 1,
                            "price_unit": 5.0,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                ],
            }
        )
        move.action_post()
        return move

    def _freight(self, rma):
        return self.CostLine.search(
            [("rma_id", "=", rma.id), ("cost_type", "=", "freight")]
        )

    def test_bill_replaces_the_estimate(self):
        rma, shipment = self._leg("FRT-1")
        self._receive(rma)
        estimate = self._freight(rma)
        self.assertEqual(estimate.source_ref, shipment)
        self.assertEqual(estimate.amount_company, 160.0)

        # 100 EUR on 2026-06-10 at 0.5 EUR per USD: 200 USD
        bill = self._bill(shipment, 100.0)
        line = self._freight(rma)
        bill_line = bill.invoice_line_ids.filtered("aftersales_shipment_id")
        self.assertEqual(len(line), 1, "the bill replaces the estimate")
        self.assertEqual(line.source_ref, bill_line)
        self.assertEqual(line.currency_id, self.usd)
        self.assertEqual((line.amount, line.amount_company), (200.0, 200.0))
        self.assertEqual(line.amount, bill_line.balance)
        self.assertEqual(line.payer, "warranty")
        self.assertEqual(line.ticket_id, self.ticket)
        self.assertEqual(line.date, date(2026, 6, 10))
        self.assertEqual(line.action_open_source()["res_id"], bill.id)

        # a credit note of 30 EUR lowers it by 60 USD
        refund = self._bill(shipment, 30.0, move_type="in_refund")
        lines = self._freight(rma)
        self.assertEqual(len(lines), 2)
        self.assertEqual(sum(lines.mapped("amount_company")), 140.0)
        self.assertEqual(
            lines.filtered(lambda ln: ln.amount < 0).source_ref,
            refund.invoice_line_ids.filtered("aftersales_shipment_id"),
        )

        # the credit note cancelled, the bill reset to draft: the estimate is back
        refund.with_user(self.finance).button_cancel()
        self.assertEqual(self._freight(rma), line)
        bill.with_user(self.finance).button_draft()
        estimate = self._freight(rma)
        self.assertEqual(estimate.source_ref, shipment)
        self.assertEqual(estimate.amount_company, 160.0)
        # posted again, recorded again
        bill.with_user(self.finance).action_post()
        self.assertEqual(self._freight(rma).amount_company, 200.0)

    def test_reversed_bill_cancels_its_freight(self):
        """Odoo's full reversal of the bill (a posted credit note and a new
        draft): the credit note names the same leg, the freight of the case
        comes to nothing until the new bill is posted."""
        rma, shipment = self._leg("FRT-5")
        self._receive(rma)
        bill = self._bill(shipment, 100.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.finance)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": bill.journal_id.id, "date": date(2026, 6, 15)})
        )
        reversal.modify_moves()
        self.assertEqual(bill.payment_state, "reversed")
        credit_note = bill.reversal_move_ids
        self.assertEqual(credit_note.state, "posted")
        lines = self._freight(rma)
        self.assertEqual(len(lines), 2)
        self.assertEqual(sorted(lines.mapped("amount_company")), [-200.0, 200.0])

    def test_billed_before_the_transfer_and_payer(self):
        """A leg billed before its transfer is validated gets no estimate; the
        bill's freight is paid as the template's return freight says."""
        self.tmpl_de.freight_payer = "customer"
        rma, shipment = self._leg("FRT-2")
        self._bill(shipment, 50.0)
        self._receive(rma)
        line = self._freight(rma)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.source_model, "account.move.line")
        self.assertEqual((line.payer, line.amount_company), ("customer", 100.0))

    def test_draft_bill_and_customer_invoice_record_nothing(self):
        rma, shipment = self._leg("FRT-3", freight_cost=0.0)
        self._receive(rma)
        Move = self.env["account.move"].with_user(self.finance)
        draft = Move.create(
            {
                "move_type": "in_invoice",
                "partner_id": self.forwarder.id,
                "invoice_date": date(2026, 6, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Freight",
                            "price_unit": 40.0,
                            "tax_ids": [Command.clear()],
                            "aftersales_shipment_id": shipment.id,
                        }
                    )
                ],
            }
        )
        self.assertFalse(self._freight(rma))
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_de.id,
                "invoice_date": date(2026, 6, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Freight charged",
                            "price_unit": 40.0,
                            "tax_ids": [Command.clear()],
                            "aftersales_shipment_id": shipment.id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertFalse(self._freight(rma))
        draft.action_post()
        self.assertEqual(self._freight(rma).amount_company, 40.0)

    def _cold(self):
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()

    def _bill_of_legs(self, count):
        """A posted bill with a line per leg (legs of one RMA, no transfer),
        its freight lines removed again: lines to record anew."""
        rma, __ = self._leg(f"FRTQ-{count}")
        legs = self.env["aftersales.shipment"].create(
            [
                {
                    "rma_id": rma.id,
                    "direction": "customer_to_hub",
                    "freight_cost": 10.0,
                }
                for __ in range(count)
            ]
        )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.forwarder.id,
                "invoice_date": date(2026, 6, 10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": leg.name,
                            "price_unit": 10.0,
                            "tax_ids": [Command.clear()],
                            "aftersales_shipment_id": leg.id,
                        }
                    )
                    for leg in legs
                ],
            }
        )
        bill.action_post()
        # browsed anew: their own prefetch set once the caches are cleared
        lines = self.env["account.move.line"].browse(bill.invoice_line_ids.ids)
        self.assertEqual(len(self._freight(rma)), count)
        self._freight(rma).unlink()
        self._cold()
        return lines

    def test_queries_do_not_grow(self):
        self._bill_of_legs(1)._aftersales_record_freight()
        three, thirty = self._bill_of_legs(3), self._bill_of_legs(30)
        count = self.cr.sql_log_count
        self.assertEqual(len(three._aftersales_record_freight()), 3)
        self.env.flush_all()
        self.env.cr.flush()
        queries = self.cr.sql_log_count - count
        self._cold()
        with self.assertQueryCount(queries):
            self.assertEqual(len(thirty._aftersales_record_freight()), 30)
            self.env.flush_all()

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_access(self):
        """Finance reads the legs it bills but writes none; a service user may
        not touch the freight line the bill recorded."""
        rma, shipment = self._leg("FRT-4")
        leg = shipment.with_user(self.finance)
        self.assertEqual(leg.name, shipment.name)
        with self.assertRaises(AccessError):
            leg.write({"freight_cost": 1.0})
        self._bill(shipment, 10.0)
        line = self._freight(rma)
        with self.assertRaises(AccessError):
            line.with_user(self.agent_de).unlink()
        with self.assertRaises(AccessError):
            line.with_user(self.finance).unlink()


@tagged("post_install", "-at_install")
class TestFreightDemo(TransactionCase):
    """The demo forwarder's posted bill is the freight of the Hamburg hospital's
    case (when demo data is installed)."""

    def test_forwarder_bill(self):
        bill = self.env.ref(
            "aftersales_rma.demo_freight_bill", raise_if_not_found=False
        )
        if not bill:
            return  # a database without demo data: nothing to check
        if bill.state == "draft":
            # demo data loaded by an upgrade: Odoo runs no <function> of a demo
            # file then (the bill is not posted)
            return
        line = self.env.ref("aftersales_rma.demo_freight_bill_line")
        cost = self.env["aftersales.cost.line"].search(
            [
                ("source_model", "=", "account.move.line"),
                ("source_res_id", "=", line.id),
            ]
        )
        self.assertEqual(len(cost), 1)
        self.assertEqual(cost.cost_type, "freight")
        self.assertEqual(
            cost.rma_id, self.env.ref("aftersales_rma.rma_demo_hospital_de")
        )
        self.assertEqual(cost.amount, line.balance)
        self.assertEqual(bill.currency_id, self.env.ref("base.EUR"))
