from odoo.tests import BaseCase

from ..tools.part_sourcing import Candidate, best_source, rank_sources


class TestPartSourcing(BaseCase):
    def setUp(self):
        super().setUp()
        self.central = Candidate("central", "CN", 20, 12, 1)
        self.bonded = Candidate("bonded", "DE", 5, 4, 2)
        self.van = Candidate("van", "NG", 1, 0, 3)

    def test_same_country_first(self):
        # the van in Nigeria has one: it wins over more stock elsewhere
        self.assertEqual(
            best_source([self.central, self.bonded, self.van], "NG", 1), "van"
        )
        self.assertEqual(
            best_source([self.central, self.bonded, self.van], "DE", 2), "bonded"
        )

    def test_only_who_has_the_quantity(self):
        # the van has one only: two come from abroad, the most stock first
        ranked = rank_sources([self.van, self.bonded, self.central], "NG", 2)
        self.assertEqual([c.key for c in ranked], ["central", "bonded"])
        # nobody has 50: the part is bought
        self.assertIsNone(best_source([self.central, self.bonded], "NG", 50))
        self.assertEqual(rank_sources([], "NG", 1), [])
        self.assertIsNone(best_source([self.central], "CN", 0))

    def test_stock_then_lead_time_then_sequence(self):
        hamburg = Candidate("hamburg", "DE", 8, 4, 5)
        rotterdam = Candidate("rotterdam", "NL", 8, 2, 6)
        dubai = Candidate("dubai", "AE", 8, 2, 4)
        ranked = rank_sources([hamburg, rotterdam, dubai], "NG", 3)
        self.assertEqual([c.key for c in ranked], ["dubai", "rotterdam", "hamburg"])
        more = Candidate("more", "AE", 9, 30, 9)
        self.assertEqual(best_source([hamburg, rotterdam, more], "NG", 3), "more")
        # no country of the case: stock, then lead time
        self.assertEqual(best_source([hamburg, rotterdam], False, 3), "rotterdam")
