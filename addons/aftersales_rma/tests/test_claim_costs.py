from datetime import date

from odoo.tests import freeze_time, tagged

from .common_claim import ClaimCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestClaimCosts(ClaimCase):
    """A paid claim records the warranty's cost of the dealer's repair on the
    case: one line per cost type, payer warranty, source the claim, in company
    currency at the payment document's date; not twice what the repair orders
    of the serial already recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.env["aftersales.ticket"].create(
            {
                "subject": "Probe dead",
                "partner_id": cls.customer_de.id,
                "team_id": cls.team_de.id,
                "lot_id": cls.lot.id,
                "product_id": cls.lot.product_id.id,
            }
        )
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.eur.id,
                "company_id": cls.company.id,
                "name": "2026-05-31",
                "inverse_company_rate": 1.25,
            }
        )

    def _approved(self, **values):
        claim = self._dealer_claim(ticket_id=self.ticket.id, **values)
        claim.action_submit()
        parts, labour = claim.line_ids
        parts.decision = "approved"
        labour.write(
            {"decision": "reduced", "amount_approved": 60.0, "decision_reason": "1 h"}
        )
        claim.action_adjudicate()
        return claim

    def _claim_costs(self, claim):
        return self.env["aftersales.cost.line"].search(
            [
                ("source_model", "=", "aftersales.claim"),
                ("source_res_id", "=", claim.id),
            ]
        )

    def test_paid_claim_records_its_costs(self):
        claim = self._approved()
        bill = claim.with_user(self.finance).action_create_bills(date(2026, 5, 31))
        # approved, not yet paid: no cost yet
        self.assertFalse(self._claim_costs(claim))
        bill.action_post()
        costs = self._claim_costs(claim)
        by_type = {line.cost_type: line for line in costs}
        self.assertEqual(set(by_type), {"parts", "labour"})
        company_currency = self.company.currency_id
        self.assertEqual(set(costs.mapped("currency_id")), {company_currency})
        self.assertEqual(by_type["parts"].amount, 900.0 * 1.25)
        self.assertEqual(by_type["labour"].amount, 60.0 * 1.25)
        self.assertEqual(by_type["parts"].amount_company, 1125.0)
        self.assertEqual(set(costs.mapped("payer")), {"warranty"})
        self.assertEqual(costs.ticket_id, self.ticket)
        self.assertEqual(set(costs.mapped("date")), {date(2026, 5, 31)})
        self.assertEqual(by_type["parts"].source_ref, claim)
        self.assertFalse(by_type["parts"].is_manual)
        # on the ticket's totals
        self.assertEqual(self.ticket.cost_line_ids & costs, costs)
        # recorded once: the same costs again make no line (unique keys)
        again = (
            self.env["aftersales.cost.line"]
            .sudo()
            ._create_from_sources(claim._prepare_cost_line_vals())
        )
        self.assertFalse(again)
        self.assertEqual(len(self._claim_costs(claim)), 2)

    def test_claim_without_ticket_records_nothing(self):
        claim = self._dealer_claim()
        claim.action_submit()
        claim.line_ids.decision = "approved"
        claim.action_adjudicate()
        claim.with_user(self.finance).action_create_bills().action_post()
        self.assertEqual(claim.state, "paid")
        self.assertFalse(self._claim_costs(claim))

    def test_no_double_counting_with_the_repair(self):
        """The repair order of the serial already charged the warranty 500 of
        parts: the claim's parts line records only the rest."""
        repair = self.env["repair.order"].create(
            {
                "product_id": self.lot.product_id.id,
                "lot_id": self.lot.id,
                "partner_id": self.dealer_hh.id,
            }
        )
        self.env["aftersales.cost.line"].sudo()._create_from_sources(
            [
                {
                    "name": "Probe",
                    "ticket_id": self.ticket.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "cost_type": "parts",
                    "payer": "warranty",
                    "amount": 500.0,
                    "source_ref": f"repair.order,{repair.id}",
                    "source_key": f"repair.order,{repair.id},parts,warranty",
                }
            ]
        )
        claim = self._approved()
        claim.with_user(self.finance).action_create_bills(
            date(2026, 5, 31)
        ).action_post()
        by_type = {line.cost_type: line for line in self._claim_costs(claim)}
        self.assertEqual(by_type["parts"].amount, 1125.0 - 500.0)
        self.assertEqual(by_type["labour"].amount, 75.0)
        warranty_parts = sum(
            self.ticket.cost_line_ids.filtered(
                lambda ln: ln.cost_type == "parts" and ln.payer == "warranty"
            ).mapped("amount_company")
        )
        self.assertEqual(warranty_parts, 1125.0)
        # a repair that covers more than the claim: the claim adds no parts line
        lot = self._lot("US200-COST-2")
        self._register(lot)
        repair_2 = self.env["repair.order"].create(
            {"product_id": lot.product_id.id, "lot_id": lot.id}
        )
        self.env["aftersales.cost.line"].sudo()._create_from_sources(
            [
                {
                    "name": "Probe",
                    "ticket_id": self.ticket.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "cost_type": "parts",
                    "payer": "warranty",
                    "amount": 5000.0,
                    "source_ref": f"repair.order,{repair_2.id}",
                    "source_key": f"repair.order,{repair_2.id},parts,warranty",
                }
            ]
        )
        other = self._approved(lot=lot)
        other.with_user(self.finance).action_create_bills(
            date(2026, 5, 31)
        ).action_post()
        self.assertEqual(self._claim_costs(other).mapped("cost_type"), ["labour"])
