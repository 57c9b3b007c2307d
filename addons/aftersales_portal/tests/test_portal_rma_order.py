import re

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PortalNetworkMixin


@tagged("post_install", "-at_install")
class TestPortalRmaOrder(PortalNetworkMixin, HttpCase):
    """An RMA for a delivered sale order line, requested on the portal.

    Elbe Dealer bought two serial-tracked scanners; PS-SO-1 and PS-SO-2 were
    delivered (PS-SO-3 stays in stock). A second order of one scanner is
    confirmed but not delivered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()
        env = cls.env
        # the request waits for a manager (no template approves it at once)
        env["aftersales.rma.template"].search([]).auto_approve = False
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        cls.lots = {}
        cls.stock_location = warehouse.lot_stock_id
        for name in ("PS-SO-1", "PS-SO-2", "PS-SO-3"):
            cls.lots[name] = cls._lot_in_stock(name)
        cls.order = cls._confirmed_order(cls.dealer, 2)
        cls.line = cls.order.order_line
        cls.move = cls._deliver(cls.order, ["PS-SO-1", "PS-SO-2"])
        cls.order_undelivered = cls._confirmed_order(cls.dealer, 1)

    @classmethod
    def _lot_in_stock(cls, name):
        lot = cls.env["stock.lot"].create({"name": name, "product_id": cls.product.id})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock_location, 1, lot_id=lot
        )
        return lot

    @classmethod
    def _deliver(cls, order, serials):
        """Validate the order's delivery with these serials."""
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        for name in serials:
            cls.env["stock.move.line"].create(
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": cls.product.id,
                    "lot_id": cls.lots[name].id,
                    "quantity": 1,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
            )
        move.picked = True
        picking.button_validate()
        return move

    @classmethod
    def _confirmed_order(cls, partner, quantity):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": quantity}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self):
        page = self.url_open("/my/warranties/register").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _request(self, order, **post):
        data = {
            "csrf_token": self._csrf(),
            "line_id": order.order_line.id,
            "quantity": "1",
            "reason": "defective",
            "note": "Typed note",
            **post,
        }
        return self.url_open(f"/my/orders/{order.id}/request_return", data=data)

    def _rmas(self, line=None):
        return self.env["aftersales.rma.line"].search(
            [("sale_line_id", "=", (line or self.line).id)]
        )

    def test_delivery_was_made(self):
        # the fixture itself: two serials delivered on the line, one left in stock
        self.assertEqual(self.move.state, "done")
        self.assertEqual(self.line.qty_delivered, 2)
        self.assertEqual(
            set(self.move.move_line_ids.lot_id.mapped("name")), {"PS-SO-1", "PS-SO-2"}
        )
        self.assertFalse(self.order_undelivered.order_line.qty_delivered)

    def test_dealer_staff_requests_return_of_delivered_serial(self):
        self._login(self.user_staff)
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertIn("o_aftersales_request_return", page)
        form = self.url_open(
            f"/my/orders/{self.order.id}/request_return?line_id={self.line.id}"
        ).text
        self.assertIn("o_aftersales_return_form", form)
        self.assertIn("PS-SO-1", form)
        self.assertNotIn("PS-SO-3", form)
        response = self._request(
            self.order, serial="PS-SO-1", note="The display stays black"
        )
        rma_line = self._rmas()
        self.assertEqual(len(rma_line), 1)
        rma = rma_line.rma_id
        self.assertTrue(response.url.endswith(f"/my/rmas/{rma.id}"))
        self.assertEqual(rma.partner_id, self.dealer)
        self.assertEqual(rma.dealer_id, self.dealer)
        self.assertEqual(rma.state, "submitted")
        self.assertNotEqual(rma.user_id, self.user_staff)
        self.assertEqual(rma.origin_picking_id, self.order.picking_ids)
        self.assertEqual(rma_line.product_id, self.product)
        self.assertEqual(rma_line.lot_id, self.lots["PS-SO-1"])
        self.assertEqual(rma_line.quantity, 1)
        self.assertEqual(rma_line.sale_line_id, self.line)
        self.assertEqual(rma_line.origin_move_id, self.move)
        self.assertEqual(rma_line.reason, "defective")
        self.assertIn(
            "The display stays black", "".join(rma.message_ids.mapped("body"))
        )
        page = self.url_open("/my/rmas").text
        self.assertIn(rma.name, page)
        # the same serial again: refused beside the serial, what was typed kept
        page = self._request(self.order, serial="PS-SO-1", note="Second try").text
        self.assertIn("This serial number is already being returned.", page)
        self.assertIn("Second try", page)
        # more than what remains of the other serial: refused beside the quantity
        page = self._request(self.order, serial="PS-SO-2", quantity="2").text
        self.assertIn("You can return at most 1 Units of this line", page)
        self.assertIn('value="PS-SO-2"', page)
        self.assertEqual(len(self._rmas()), 1)
        # what remains can still be returned
        self._request(self.order, serial="PS-SO-2")
        self.assertEqual(
            self._rmas().lot_id, self.lots["PS-SO-1"] | self.lots["PS-SO-2"]
        )
        # everything delivered is being returned: no action left, form refuses
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertNotIn("o_aftersales_request_return", page)
        page = self._request(self.order, serial="PS-SO-2").text
        self.assertIn(
            "Everything delivered on this line is already being returned.", page
        )
        # a cancelled RMA gives its serial back
        rma.sudo().action_cancel()
        self._request(self.order, serial="PS-SO-1")
        self.assertEqual(
            len(self._rmas().filtered(lambda rma: rma.state != "cancel")), 2
        )

    def test_request_page_lists_returnable_orders(self):
        self._login(self.user_dealer_admin)
        page = self.url_open("/my/rmas").text
        self.assertIn('href="/my/rmas/request"', page)
        page = self.url_open("/my/rmas/request").text
        self.assertEqual(page.count("o_aftersales_returnable_row"), 1)
        self.assertIn(self.order.name, page)
        self.assertIn("PS-SO-1, PS-SO-2", page)
        self.assertNotIn(self.order_undelivered.name, page)
        self.assertIn(
            f"/my/orders/{self.order.id}/request_return?line_id={self.line.id}", page
        )
        for user in (self.user_sibling, self.user_customer, self.user_distributor):
            with self.subTest(user=user.login):
                self._login(user)
                page = self.url_open("/my/rmas/request").text
                self.assertIn("o_aftersales_no_returnable", page)
                self.assertNotIn(self.order.name, page)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_others_cannot_open_nor_post(self):
        for user in (
            self.user_sibling,
            self.user_customer,
            self.user_other_dealer,
            self.user_distributor,
        ):
            with self.subTest(user=user.login):
                self._login(user)
                response = self.url_open(
                    f"/my/orders/{self.order.id}/request_return?line_id={self.line.id}"
                )
                self.assertTrue(response.url.endswith("/my"))
                self.assertNotIn(self.order.name, response.text)
                response = self._request(self.order, serial="PS-SO-1")
                self.assertTrue(response.url.endswith("/my"))
                self.assertNotIn(self.order.name, response.text)
                self.assertFalse(self._rmas())

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_follower_who_is_not_the_customer_cannot_request(self):
        # a contact of another dealer following the order reads it (Odoo's rule)
        # but is not its customer
        self.order.message_subscribe(partner_ids=self.user_sibling.partner_id.ids)
        self._login(self.user_sibling)
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertIn(self.order.name, page)
        self.assertNotIn("o_aftersales_request_return", page)
        response = self.url_open(f"/my/orders/{self.order.id}/request_return")
        self.assertTrue(response.url.endswith("/my"))
        response = self._request(self.order, serial="PS-SO-1")
        self.assertTrue(response.url.endswith("/my"))
        self.assertFalse(self._rmas())
        page = self.url_open("/my/rmas/request").text
        self.assertNotIn(self.order.name, page)

    def test_end_customer_requests_return_of_own_order(self):
        self.lots["PS-SO-4"] = self._lot_in_stock("PS-SO-4")
        order = self._confirmed_order(self.customer, 1)
        order.aftersales_dealer_id = self.dealer
        move = self._deliver(order, ["PS-SO-4"])
        # the selling dealer does not read the customer's order
        self._login(self.user_staff)
        response = self.url_open(f"/my/orders/{order.id}/request_return")
        self.assertTrue(response.url.endswith("/my"))
        self._login(self.user_customer)
        page = self.url_open("/my/rmas/request").text
        self.assertIn(order.name, page)
        self.assertNotIn(self.order.name, page)
        response = self._request(order, serial="PS-SO-4", reason="doa")
        rma_line = self._rmas(order.order_line)
        self.assertEqual(len(rma_line), 1)
        self.assertTrue(response.url.endswith(f"/my/rmas/{rma_line.rma_id.id}"))
        self.assertEqual(rma_line.rma_id.partner_id, self.customer)
        self.assertEqual(rma_line.rma_id.dealer_id, self.dealer)
        self.assertEqual(rma_line.origin_move_id, move)
        self.assertEqual(rma_line.reason, "doa")
        # the selling dealer follows the return on its own list
        self._login(self.user_staff)
        self.assertIn(rma_line.rma_id.name, self.url_open("/my/rmas").text)

    def test_order_link_does_not_open_the_form(self):
        # the order's access token opens the order page, not the return form
        self._login(self.user_sibling)
        token = self.order._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}").text
        self.assertIn(self.order.name, page)
        self.assertNotIn("o_aftersales_request_return", page)
        response = self.url_open(
            f"/my/orders/{self.order.id}/request_return?access_token={token}"
        )
        self.assertTrue(response.url.endswith("/my"))

    def test_undelivered_and_foreign_lines_refused(self):
        self._login(self.user_staff)
        page = self.url_open(f"/my/orders/{self.order_undelivered.id}").text
        self.assertIn(self.order_undelivered.name, page)
        self.assertNotIn("o_aftersales_request_return", page)
        page = self._request(self.order_undelivered, serial="PS-SO-3").text
        self.assertIn("This line has not been delivered yet.", page)
        self.assertIn("Typed note", page)
        self.assertFalse(self._rmas(self.order_undelivered.order_line))
        # a line of another order posted to this order's form
        page = self._request(
            self.order, line_id=self.order_undelivered.order_line.id, serial="PS-SO-1"
        ).text
        self.assertIn("Choose a line of this order.", page)
        self.assertFalse(self._rmas())
        self.assertFalse(self._rmas(self.order_undelivered.order_line))

    def test_serial_and_quantity_checked(self):
        self._login(self.user_staff)
        cases = (
            (
                {"serial": "PS-SO-3"},
                "serial",
                "This serial number was not delivered on this line.",
            ),
            (
                {"serial": "PS-DEALER-1"},
                "serial",
                "This serial number was not delivered on this line.",
            ),
            ({"serial": ""}, "serial", "This field is required."),
            (
                {"serial": "PS-SO-1", "quantity": "0"},
                "quantity",
                "Enter a quantity greater than zero.",
            ),
            (
                {"serial": "PS-SO-1", "quantity": "abc"},
                "quantity",
                "Enter a quantity greater than zero.",
            ),
            (
                {"serial": "PS-SO-1", "reason": "forged"},
                "reason",
                "Choose a reason of the list.",
            ),
        )
        for post, field, message in cases:
            with self.subTest(message=message, post=post):
                page = self._request(self.order, **post).text
                self.assertIn(message, page)
                self.assertRegex(page, rf'name="{field}"[^>]*\n?[^>]*is-invalid')
                self.assertIn("Typed note", page)
        self.assertFalse(self._rmas())

    @mute_logger("odoo.http")
    def test_post_without_csrf_refused(self):
        self._login(self.user_staff)
        response = self.url_open(
            f"/my/orders/{self.order.id}/request_return",
            data={
                "line_id": self.line.id,
                "quantity": "1",
                "serial": "PS-SO-1",
                "reason": "defective",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._rmas())

    def test_form_in_chinese(self):
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_portal"], ["zh_CN"], overwrite=True
        )
        self.env["website"].get_current_website().language_ids |= lang
        self.user_staff.lang = "zh_CN"
        self._login(self.user_staff)
        page = self.url_open(f"/my/orders/{self.order.id}").text
        self.assertIn("申请退货", page)
        page = self._request(self.order, serial="PS-SO-3").text
        self.assertIn("该序列号不是在此订单行上交付的。", page)
        self.assertIn("提交退货申请", page)

    def test_tour_dealer_requests_return(self):
        self.start_tour("/my/rmas", "aftersales_portal_order_return", login="p_staff")
        rma_line = self._rmas()
        self.assertEqual(rma_line.lot_id, self.lots["PS-SO-2"])
        self.assertEqual(rma_line.reason, "doa")
        self.assertEqual(rma_line.rma_id.state, "submitted")
