from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.aftersales_service.tests.common_warranty import DeliveryCase


class ClaimCase(DeliveryCase):
    """A Hamburg dealer (under the EU distributor) claiming warranty repairs of
    registered ultrasound scanners; a rate table with a flat-rate time for the
    scanner's category and an hourly rate for Germany in EUR; a finance user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_claim_window_days": 30,
                "aftersales_claim_repeat_days": 90,
                "aftersales_claim_manager_limit": 0.0,
                "aftersales_claim_auto_amount": 0.0,
            }
        )
        cls.eur.active = True  # the dealers' bills are in EUR
        Rate = cls.env["aftersales.labour.rate"]
        Rate.search([]).active = False
        cls.rate_flat = Rate.create(
            {
                "rate_type": "flat_time",
                "categ_id": cls.categ_ultrasound.id,
                "hours": 2.0,
            }
        )
        cls.rate_de = Rate.create(
            {
                "rate_type": "hourly",
                "country_id": cls.env.ref("base.de").id,
                "hourly_rate": 60.0,
                "travel_cap": 100.0,
                "currency_id": cls.eur.id,
            }
        )
        cls.probe = cls.env["product.product"].create(
            {"name": "Convex Probe C5", "type": "consu", "list_price": 900.0}
        )
        cls.lot = cls._lot("US200-CLM-1")
        cls.warranty = cls._register(cls.lot)
        cls.finance = new_test_user(
            cls.env,
            login="as_finance",
            groups="aftersales_rma.aftersales_group_finance",
            name="Finance Chen",
        )

    def _dealer_claim(self, lot=None, lines=None, **values):
        vals = {
            "dealer_id": self.dealer_hh.id,
            "lot_id": (lot or self.lot).id,
            "failure_date": date(2026, 5, 4),
            "repair_date": date(2026, 5, 6),
            "line_ids": [
                Command.create(line)
                for line in (
                    lines
                    if lines is not None
                    else [
                        {
                            "cost_type": "parts",
                            "product_id": self.probe.id,
                            "quantity": 1,
                            "price_unit": 900.0,
                            "replaced_serial": "C5-0001",
                            "is_causal": True,
                        },
                        {"cost_type": "labour", "name": "Probe exchange"},
                    ]
                )
            ],
        }
        vals.update(values)
        return self.env["aftersales.claim"].create(vals)
