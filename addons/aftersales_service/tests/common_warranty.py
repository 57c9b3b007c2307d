from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import Form, freeze_time

from .common import AftersalesCase


class WarrantyCase(AftersalesCase):
    """Serial-tracked products in a category tree, a dealer network and the
    warranty rules of the tests (every other rule of the company is archived)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.warranty.policy"].search([]).active = False
        cls.eur = cls.env.ref("base.EUR")
        Category = cls.env["product.category"]
        cls.categ_medical = Category.create({"name": "Medical Devices"})
        cls.categ_imaging = Category.create(
            {"name": "Imaging", "parent_id": cls.categ_medical.id}
        )
        cls.categ_ultrasound = Category.create(
            {"name": "Ultrasound", "parent_id": cls.categ_imaging.id}
        )
        cls.product_us200 = cls._serial_product(
            "Portable Ultrasound Scanner", "USX-200", cls.categ_ultrasound
        )
        cls.product_xr10 = cls._serial_product(
            "Mobile X-Ray Unit", "XR-10", cls.categ_imaging
        )
        Partner = cls.env["res.partner"]
        cls.distributor_eu = Partner.create(
            {
                "name": "MedTech Europe AG",
                "is_company": True,
                "aftersales_role": "distributor",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.dealer_hh = Partner.create(
            {
                "name": "Elbe MedTech Hamburg GmbH",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.distributor_eu.id,
                "country_id": cls.env.ref("base.de").id,
            }
        )
        cls.rule_eu = cls.env["aftersales.warranty.policy"].create(
            {
                "name": "EU 24 months",
                "duration_months": 24,
                "country_group_ids": [Command.set(cls.env.ref("base.europe").ids)],
                "currency_id": cls.eur.id,
            }
        )
        cls.rule_world = cls.env["aftersales.warranty.policy"].create(
            {
                "name": "Worldwide 12 months",
                "duration_months": 12,
                "sequence": 20,
                "currency_id": cls.eur.id,
            }
        )

    @classmethod
    def _serial_product(cls, name, code, categ, **values):
        vals = {
            "name": name,
            "default_code": code,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "categ_id": categ.id,
        }
        vals.update(values)
        return cls.env["product.product"].create(vals)

    @classmethod
    def _lot(cls, name, product=None):
        return cls.env["stock.lot"].create(
            {"name": name, "product_id": (product or cls.product_us200).id}
        )

    @classmethod
    def _register(cls, lot, partner=None, **values):
        vals = {
            "lot_id": lot.id,
            "partner_id": (partner or cls.customer_de).id,
            "dealer_id": cls.dealer_hh.id,
            "delivery_date": date(2026, 1, 31),
            "registration_date": date(2026, 2, 2),
        }
        vals.update(values)
        return cls.env["aftersales.warranty"].create(vals)

    @classmethod
    def _agreement_serials(cls):
        """Serials with registrations in every state, for the tests that check
        that the ticket, the serial, the RMA line and ``check_serial`` agree on
        2026-06-01: ``{serial: (lot, expected status, expected decision)}``."""
        lots = {}

        def lot(name, status, decision):
            lots[name] = (cls._lot(name), status, decision)
            return lots[name][0]

        cls._register(lot("AGR-DRAFT", "pending", "chargeable"), state="draft")
        cls._register(lot("AGR-ACTIVE", "in", "covered"))
        cls._register(
            lot("AGR-EXPIRED", "expired", "chargeable"),
            delivery_date=date(2023, 1, 10),
            registration_date=date(2023, 1, 12),
        ).state = "expired"
        cls._register(
            lot("AGR-PAST-END", "expired", "chargeable"),
            delivery_date=date(2023, 1, 10),
            registration_date=date(2023, 1, 12),
        )  # still active: the expiry cron has not run yet
        cls._register(lot("AGR-VOID", "void", "chargeable")).action_void("Duplicate")
        relot = lot("AGR-VOID-THEN-DRAFT", "pending", "chargeable")
        cls._register(relot).action_void("Wrong customer")
        cls._register(relot, cls.customer_ae, state="draft")
        renewed = lot("AGR-EXPIRED-THEN-ACTIVE", "in", "covered")
        cls._register(
            renewed,
            delivery_date=date(2023, 1, 10),
            registration_date=date(2023, 1, 12),
        ).state = "expired"
        cls._register(renewed)
        cls._register(
            lot("AGR-FUTURE", "out", "chargeable"),
            delivery_date=date(2026, 9, 1),
            registration_date=date(2026, 9, 1),
        )
        lot("AGR-NONE", "unknown", "chargeable")
        return lots

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """unittest's assertRaisesRegex without Odoo's savepoint: a failed write
        would stay in the cache. This one rolls back like ``assertRaises``."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    @contextmanager
    def _at(self, moment):
        """Freeze the clock at ``moment`` (UTC), the transaction's clock included:
        ``create_date`` comes from ``cr.now()``, which freeze_time does not move
        (Odoo's own tests patch it the same way, e.g. crm's test_crm_lead)."""
        moment = fields.Datetime.to_datetime(moment)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment):
            yield

    def _claim(self, lot, partner=None, **values):
        vals = {
            "subject": "Probe gives no image",
            "partner_id": (partner or self.customer_de).id,
            "team_id": self.team_de.id,
            "lot_id": lot.id,
            "product_id": lot.product_id.id,
        }
        vals.update(values)
        return self.env["aftersales.ticket"].create(vals)


class DeliveryCase(WarrantyCase):
    """Serials in stock in the company's warehouse, sold and delivered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id

    @classmethod
    def _stock_serials(cls, names, product=None):
        lots = cls.env["stock.lot"]
        for name in names:
            lot = cls._lot(name, product)
            cls.env["stock.quant"]._update_available_quantity(
                lot.product_id, cls.stock_location, 1, lot_id=lot
            )
            lots |= lot
        return lots

    def _sale(self, partner, lines, dealer=None):
        """A confirmed sale order; a line is (product, quantity[, serial])."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "aftersales_dealer_id": dealer.id if dealer else False,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "product_uom_qty": line[1],
                            "aftersales_lot_id": line[2].id if len(line) > 2 else False,
                        }
                    )
                    for line in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _deliver(self, picking, lots):
        """Set one serial per move line (as the warehouse operator scans them) and
        validate the delivery."""
        self.assertEqual(picking.state, "assigned")
        move_lines = picking.move_line_ids
        self.assertEqual(len(move_lines), len(lots))
        for move_line, lot in zip(move_lines, lots, strict=True):
            move_line.write({"lot_id": lot.id, "quantity": 1, "picked": True})
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_line_ids.lot_id, lots)

    def _validate(self, picking):
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            wizard = Form(
                self.env[result["res_model"]].with_context(**result.get("context", {}))
            ).save()
            wizard.process()
        return picking

    def _odoo_return(self, picking, quantity=1):
        """Odoo's return of ``quantity`` of ``picking`` (its return wizard): the
        return transfer, not validated yet."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=picking.ids,
                active_id=picking.id,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        return self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )

    def _return(self, picking, lot):
        return_picking = self._odoo_return(picking)
        return_picking.move_ids.write(
            {
                "move_line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "product_id": lot.product_id.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "picked": True,
                            "location_id": return_picking.location_id.id,
                            "location_dest_id": return_picking.location_dest_id.id,
                        }
                    )
                ]
            }
        )
        return_picking.move_ids.picked = True
        self._validate(return_picking)
        self.assertEqual(return_picking.state, "done")
        return return_picking
