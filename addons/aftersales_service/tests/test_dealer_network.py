from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_warranty import WarrantyCase


@tagged("post_install", "-at_install")
class TestDealerNetwork(WarrantyCase):
    """MedTech Europe AG > MedTech Deutschland > Elbe MedTech Hamburg GmbH and
    MedTech Berlin; Gulf Medical LLC > Dubai Scan Center."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.top_eu = cls.distributor_eu
        cls.sub_de = Partner.create(
            {
                "name": "MedTech Deutschland",
                "is_company": True,
                "aftersales_role": "distributor",
                "aftersales_upstream_id": cls.top_eu.id,
            }
        )
        cls.dealer_hh.aftersales_upstream_id = cls.sub_de
        cls.dealer_berlin = Partner.create(
            {
                "name": "MedTech Berlin",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.sub_de.id,
            }
        )
        cls.top_gulf = Partner.create(
            {
                "name": "Gulf Medical LLC",
                "is_company": True,
                "aftersales_role": "distributor",
            }
        )
        cls.dealer_dxb = Partner.create(
            {
                "name": "Dubai Scan Center",
                "is_company": True,
                "aftersales_role": "dealer",
                "aftersales_upstream_id": cls.top_gulf.id,
            }
        )
        cls.dealers = (
            cls.top_eu
            | cls.sub_de
            | cls.dealer_hh
            | cls.dealer_berlin
            | cls.top_gulf
            | cls.dealer_dxb
        )
        cls.tickets = {}
        cls.warranties = {}
        for index, dealer in enumerate(cls.dealers):
            cls.tickets[dealer] = cls.env["aftersales.ticket"].create(
                {
                    "subject": f"Claim via {dealer.name}",
                    "partner_id": cls.customer_ae.id,
                    "team_id": cls.team_sh.id,
                    "dealer_id": dealer.id,
                }
            )
            cls.warranties[dealer] = cls._register(
                cls._lot(f"USX200-N{index:03d}"), dealer_id=dealer.id
            )

    def _path(self, *partners):
        return "/" + "".join(f"{partner.id}/" for partner in partners)

    def _tickets(self, *dealers):
        return self.env["aftersales.ticket"].union(*(self.tickets[d] for d in dealers))

    def _warranties(self, *dealers):
        return self.env["aftersales.warranty"].union(
            *(self.warranties[d] for d in dealers)
        )

    def test_paths(self):
        self.assertEqual(self.top_eu.aftersales_path, self._path(self.top_eu))
        self.assertEqual(
            self.sub_de.aftersales_path, self._path(self.top_eu, self.sub_de)
        )
        self.assertEqual(
            self.dealer_hh.aftersales_path,
            self._path(self.top_eu, self.sub_de, self.dealer_hh),
        )
        self.assertEqual(
            self.dealer_dxb.aftersales_path, self._path(self.top_gulf, self.dealer_dxb)
        )
        # a customer is outside the network
        self.assertFalse(self.customer_de.aftersales_path)
        self.assertFalse(self.customer_de._aftersales_top_distributor())
        self.assertEqual(self.dealer_hh._aftersales_top_distributor(), self.top_eu)
        # the ticket and the warranty know the top distributor
        self.assertEqual(self.tickets[self.dealer_hh].distributor_id, self.top_eu)
        self.assertEqual(
            self.tickets[self.dealer_hh].dealer_path, self.dealer_hh.aftersales_path
        )
        self.assertEqual(self.warranties[self.dealer_hh].distributor_id, self.top_eu)
        self.assertEqual(self.tickets[self.top_gulf].distributor_id, self.top_gulf)

    def test_moving_a_sub_distributor_moves_everything_under_it(self):
        self.sub_de.aftersales_upstream_id = self.top_gulf
        self.assertEqual(
            self.sub_de.aftersales_path, self._path(self.top_gulf, self.sub_de)
        )
        self.assertEqual(
            self.dealer_hh.aftersales_path,
            self._path(self.top_gulf, self.sub_de, self.dealer_hh),
        )
        self.assertEqual(
            self.dealer_berlin.aftersales_path,
            self._path(self.top_gulf, self.sub_de, self.dealer_berlin),
        )
        self.assertEqual(self.top_eu.aftersales_path, self._path(self.top_eu))
        for dealer in (self.sub_de, self.dealer_hh, self.dealer_berlin):
            self.assertEqual(self.tickets[dealer].distributor_id, self.top_gulf)
            self.assertEqual(self.tickets[dealer].dealer_path, dealer.aftersales_path)
            self.assertEqual(self.warranties[dealer].distributor_id, self.top_gulf)
            self.assertEqual(
                self.warranties[dealer].dealer_path, dealer.aftersales_path
            )
        self.assertEqual(self.tickets[self.top_eu].distributor_id, self.top_eu)
        # the database holds the new paths too
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, dealer_path FROM aftersales_ticket WHERE id IN %s",
            [tuple(self._tickets(self.dealer_hh, self.dealer_berlin).ids)],
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {
                self.tickets[self.dealer_hh].id: self.dealer_hh.aftersales_path,
                self.tickets[self.dealer_berlin].id: self.dealer_berlin.aftersales_path,
            },
        )
        # a dealer leaving the network: alone at the top
        self.dealer_berlin.aftersales_upstream_id = False
        self.assertEqual(
            self.dealer_berlin.aftersales_path, self._path(self.dealer_berlin)
        )
        self.assertEqual(
            self.tickets[self.dealer_berlin].distributor_id, self.dealer_berlin
        )

    def test_cycle_refused(self):
        with self.assertRaisesRegex(ValidationError, "cycle"):
            self.top_eu.aftersales_upstream_id = self.dealer_hh
        with self.assertRaisesRegex(ValidationError, "cycle"):
            self.sub_de.aftersales_upstream_id = self.sub_de
        self.assertFalse(self.top_eu.aftersales_upstream_id)
        self.assertEqual(
            self.dealer_hh.aftersales_path,
            self._path(self.top_eu, self.sub_de, self.dealer_hh),
        )

    def test_network_domain(self):
        Ticket = self.env["aftersales.ticket"]
        Warranty = self.env["aftersales.warranty"]
        self.assertEqual(
            Ticket.search(self.top_eu._aftersales_network_domain()),
            self._tickets(self.top_eu, self.sub_de, self.dealer_hh, self.dealer_berlin),
        )
        self.assertEqual(
            Warranty.search(self.top_eu._aftersales_network_domain()),
            self._warranties(
                self.top_eu, self.sub_de, self.dealer_hh, self.dealer_berlin
            ),
        )
        self.assertEqual(
            Ticket.search(self.sub_de._aftersales_network_domain()),
            self._tickets(self.sub_de, self.dealer_hh, self.dealer_berlin),
        )
        self.assertEqual(
            Ticket.search(self.top_gulf._aftersales_network_domain()),
            self._tickets(self.top_gulf, self.dealer_dxb),
        )
        self.assertEqual(
            Ticket.search(self.dealer_hh._aftersales_network_domain()),
            self._tickets(self.dealer_hh),
        )
        # outside the network: the partner's own records
        loner = self.env["res.partner"].create({"name": "Independent Clinic Shop"})
        ticket = self._claim(self._lot("USX200-N999"), dealer_id=loner.id)
        self.assertEqual(
            loner._aftersales_network_domain(), [("dealer_id", "=", loner.id)]
        )
        self.assertEqual(Ticket.search(loner._aftersales_network_domain()), ticket)
        # after a move the same search follows the network
        self.sub_de.aftersales_upstream_id = self.top_gulf
        self.assertEqual(
            Ticket.search(self.top_eu._aftersales_network_domain()),
            self._tickets(self.top_eu),
        )
        self.assertEqual(
            Warranty.search(self.top_gulf._aftersales_network_domain()),
            self._warranties(
                self.top_gulf,
                self.dealer_dxb,
                self.sub_de,
                self.dealer_hh,
                self.dealer_berlin,
            ),
        )

    def test_prefix_search_on_path(self):
        Ticket = self.env["aftersales.ticket"]
        path = self.sub_de.aftersales_path
        self.assertEqual(
            Ticket.search([("dealer_id.aftersales_path", "=like", path + "%")]),
            self._tickets(self.sub_de, self.dealer_hh, self.dealer_berlin),
        )
        self.assertEqual(
            Ticket.search([("dealer_path", "=like", path + "%")]),
            self._tickets(self.sub_de, self.dealer_hh, self.dealer_berlin),
        )
        self.assertEqual(
            self.env["res.partner"].search(
                [("aftersales_path", "=like", self.top_eu.aftersales_path + "%")]
            ),
            self.top_eu | self.sub_de | self.dealer_hh | self.dealer_berlin,
        )
