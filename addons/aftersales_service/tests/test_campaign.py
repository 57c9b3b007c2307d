from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestCampaign(WarrantyCase):
    """A recall campaign: the units by product, serial range and list, one
    ticket per registered unit in batches, the owners and dealers told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.ref("base.module_aftersales_service")._update_translations(["zh_CN"])
        cls.dealer_hh.lang = "zh_CN"
        cls.lots = cls.env["stock.lot"]
        for index in range(6):
            lot = cls._lot(f"RC-{index:03d}")
            cls.lots |= lot
            if index < 5:  # RC-005 has no owner
                cls._register(lot)
        cls.other_product_lot = cls._lot("XR-RC-1", cls.product_xr10)
        cls._register(cls.other_product_lot)

    def _campaign(self, **values):
        return self.env["aftersales.campaign"].create(
            {
                "name": "Probe cable inspection",
                "kind": "recall",
                "product_id": self.product_us200.id,
                "description": "<p>We replace the probe cable.</p>",
                **values,
            }
        )

    def _run_cron(self, batch_size):
        return self.env["aftersales.campaign"]._cron_create_campaign_tickets(
            batch_size=batch_size
        )

    def test_units_by_range_and_list(self):
        campaign = self._campaign(serial_from="RC-001", serial_to="RC-005")
        campaign.action_find_units()
        self.assertEqual(
            campaign.unit_ids.mapped("name"),
            ["RC-001", "RC-002", "RC-003", "RC-004"],
            "RC-005 has no owner, RC-000 is out of the range",
        )
        listed = self._campaign(selected_lot_ids=[(6, 0, self.lots[:2].ids)])
        listed.action_find_units()
        self.assertEqual(listed.unit_ids, self.lots[:2])

    def test_launch_creates_tickets_in_batches_and_tells_owners_and_dealers(self):
        campaign = self._campaign()
        campaign.action_launch()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.unit_count, 5)
        self.assertEqual(self._run_cron(batch_size=2), 2)
        self.assertEqual(campaign.reached_count, 2)
        self.assertEqual(self._run_cron(batch_size=2), 2)
        self.assertEqual(self._run_cron(batch_size=2), 1)
        self.assertEqual(self._run_cron(batch_size=2), 0, "nothing twice")
        tickets = campaign.ticket_ids
        self.assertEqual(len(tickets), 5)
        self.assertEqual(tickets.lot_id, campaign.unit_ids)
        self.assertEqual(set(tickets.mapped("channel")), {"campaign"})
        self.assertEqual(tickets.partner_id, self.customer_de)
        ticket = tickets[0]
        owner_mail = ticket.message_ids.filtered(
            lambda m: self.customer_de in m.partner_ids
        )
        self.assertEqual(len(owner_mail), 1)
        self.assertIn(ticket.lot_id.name, owner_mail.subject)
        self.assertIn("We replace the probe cable.", owner_mail.body)
        dealer_mail = ticket.message_ids.filtered(
            lambda m: self.dealer_hh in m.partner_ids
        )
        self.assertEqual(len(dealer_mail), 1)
        self.assertIn("活动", dealer_mail.body, "in the dealer's language")
        self.assertFalse(
            ticket.message_ids.filtered(
                lambda m: "we received your request" in (m.subject or "")
            ),
            "no acknowledgement for a ticket nobody asked for",
        )
        # progress: serviced and open
        tickets[:2].stage_id = self.env.ref("aftersales_service.stage_closed")
        campaign.invalidate_recordset()
        self.assertEqual((campaign.serviced_count, campaign.open_count), (2, 3))
        self.assertAlmostEqual(campaign.progress, 40.0)

    def test_guards_and_access(self):
        with self.assertRaisesRegex(UserError, "No unit with an owner"):
            self._campaign(serial_from="ZZZ").action_launch()
        campaign = self._campaign()
        campaign.action_launch()
        with self.assertRaises(UserError):
            campaign.action_launch()
        with self.assertRaises(UserError):
            campaign.action_find_units()
        self.assertTrue(campaign.with_user(self.agent).read(["name"]))
        with self.assertRaises(AccessError):
            campaign.with_user(self.agent).action_cancel()
        with self.assertRaises(AccessError):
            self.env["aftersales.campaign"].with_user(self.agent).create(
                {"name": "Agent's", "product_id": self.product_us200.id}
            )


@tagged("post_install", "-at_install")
class TestCampaignQueries(WarrantyCase):
    """The queries of the campaign cron do not grow with the units: one batch of
    3 or of 30 tickets costs the same queries; each notice then costs what
    Odoo's message_post costs for one message (the message, its recipients, its
    email and notification), the same for every notice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = {}
        for size in (1, 3, 30):
            lots = cls.env["stock.lot"]
            for index in range(size):
                lot = cls._lot(f"RQ{size:02d}-{index:03d}")
                cls._register(lot)
                lots |= lot
            cls.units[size] = lots

    def _launch(self, size):
        campaign = self.env["aftersales.campaign"].create(
            {
                "name": f"Queries {size}",
                "product_id": self.product_us200.id,
                "selected_lot_ids": [(6, 0, self.units[size].ids)],
            }
        )
        campaign.action_launch()
        self.env.flush_all()
        self.env.invalidate_all()
        return campaign

    def _cron_queries(self, campaign):
        """The queries of the cron run that makes the tickets of ``campaign`` in
        one batch, counted as assertQueryCount counts them."""
        with patch("random.random", lambda: 1):  # as assertQueryCount: no bus gc
            self.env.flush_all()
            self.env.cr.flush()
            before = self.cr.sql_log_count
            done = self.env["aftersales.campaign"]._cron_create_campaign_tickets()
            self.env.flush_all()
            self.env.cr.flush()
            queries = self.cr.sql_log_count - before
        self.assertEqual(done, len(campaign.unit_ids))
        self.assertEqual(len(campaign.ticket_ids), done)
        campaign.action_done()  # not run again by the next launches
        return queries

    def test_launch_queries_do_not_grow_with_the_units(self):
        # without the notices: the campaign's own work (the pending units, the
        # owners, the tickets and their followers, SLA, chatter log), batched
        self.env.ref("aftersales_service.mail_template_campaign_customer").unlink()
        self.env.ref("aftersales_service.mail_template_campaign_dealer").unlink()
        self._cron_queries(self._launch(1))  # warms the caches
        queries = self._cron_queries(self._launch(3))
        campaign = self._launch(30)
        with self.assertQueryCount(queries):
            done = self.env["aftersales.campaign"]._cron_create_campaign_tickets()
        self.assertEqual(done, 30)
        self.assertEqual(len(campaign.ticket_ids), 30)

    def test_each_notice_costs_the_same(self):
        self._cron_queries(self._launch(1))
        queries_3 = self._cron_queries(self._launch(3))
        queries_30 = self._cron_queries(self._launch(30))
        # two notices per ticket (the owner's and the dealer's): Odoo's
        # message_post for each, a constant number of queries, nothing more per
        # unit; the batch's own queries are the same (test above)
        per_ticket, rest = divmod(queries_30 - queries_3, 27)
        self.assertEqual(rest, 0, "the same queries for every ticket")
        self.assertLessEqual(per_ticket, 2 * NOTICE_QUERIES)


# what Odoo 18's message_post costs for one notice on a new ticket, measured: the
# parent and the previous messages of the thread, the message and its recipient,
# the followers, the notification email, its recipient and the notification
NOTICE_QUERIES = 10
