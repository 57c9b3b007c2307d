from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_return_kpi import ReturnKpiCase

MTTR = "aftersales.rma.mttr.report"
RETURNS = "aftersales.return.report"


@tagged("post_install", "-at_install")
class TestReturnKpiAccess(ReturnKpiCase):
    """Who reads the return and repair KPIs (issue 11): an engineer the mean
    time to repair of the RMAs he may read (his teams', his own, undispatched),
    a manager all of his companies, another company nothing; every service user
    the return rate of his companies' products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = cls.env["res.company"].create({"name": "Outside Repairs"})
        cls.outsider_agent = new_test_user(
            cls.env,
            login="as_kpi_acc_outsider",
            groups="aftersales_service.aftersales_group_user",
            company_id=cls.outsider.id,
            company_ids=[(6, 0, cls.outsider.ids)],
        )
        cls.finance = new_test_user(
            cls.env,
            login="as_kpi_acc_finance",
            groups="aftersales_rma.aftersales_group_finance",
        )
        cls.plain_user = new_test_user(
            cls.env, login="as_kpi_acc_plain", groups="base.group_user"
        )

    def _cases(self):
        team_a = self._shipped_back("KPI-ACC-A", self._team_ticket(self.team_sh))
        team_b = self._shipped_back("KPI-ACC-B", self._team_ticket(self.team_de))
        no_ticket = self._shipped_back("KPI-ACC-NT")
        undispatched = self._team_ticket(self.team_de)
        undispatched.team_id = False
        open_ticket = self._shipped_back("KPI-ACC-UD", undispatched)
        own = self._team_ticket(self.team_de)
        own.user_id = self.agent
        own_ticket = self._shipped_back("KPI-ACC-OWN", own)
        responsible = self._shipped_back(
            "KPI-ACC-RESP", self._team_ticket(self.team_de), user_id=self.agent.id
        )
        return team_a, team_b, no_ticket, open_ticket, own_ticket, responsible

    def test_engineer_reads_the_repair_times_of_his_teams(self):
        team_a, team_b, no_ticket, open_ticket, own_ticket, responsible = self._cases()
        every = team_a | team_b | no_ticket | open_ticket | own_ticket | responsible
        domain = [("rma_id", "in", every.ids)]
        # engineer of team A (Shanghai)
        rows = self._rows(MTTR, domain, user=self.agent)
        self.assertEqual(
            rows.rma_id, team_a | no_ticket | open_ticket | own_ticket | responsible
        )
        self.assertNotIn(team_b, rows.rma_id)
        # the rows are those of the RMAs he may read
        self.assertEqual(
            rows.rma_id, every.with_user(self.agent)._filtered_access("read")
        )
        # engineer of team B (Hamburg): not team A's nor his colleague's own
        rows_b = self._rows(MTTR, domain, user=self.agent_de)
        self.assertEqual(
            rows_b.rma_id, team_b | no_ticket | open_ticket | own_ticket | responsible
        )
        self.assertNotIn(team_a, rows_b.rma_id)
        with self.assertRaises(AccessError):
            self._rows(MTTR, [("rma_id", "=", team_b.id)], user=self.manager).with_user(
                self.agent
            ).read(["repair_working_hours"])
        # his MTTR, as the pivot reads it: of his rows only
        [(count, working)] = (
            self.env[MTTR]
            .with_user(self.agent)
            ._read_group(domain, [], ["rma_count:sum", "repair_working_hours:avg"])
        )
        self.assertEqual(count, 5)
        self.assertTrue(working)

    def test_manager_reads_all_another_company_nothing(self):
        cases = self._cases()
        every = self.env["aftersales.rma"].union(*cases)
        domain = [("rma_id", "in", every.ids)]
        self.assertEqual(self._rows(MTTR, domain).rma_id, every)
        self.assertFalse(self._rows(MTTR, domain, user=self.outsider_agent))
        self.assertFalse(self._rows(MTTR, [], user=self.outsider_agent))
        with self.assertRaises(AccessError):
            self._rows(MTTR, domain[:1]).with_user(self.outsider_agent).read(
                ["repair_hours"]
            )

    def test_engineer_reads_the_return_rate_of_his_company(self):
        lots = self._stock_serials(["KPI-ACC-RR-1", "KPI-ACC-RR-2"], self.product_us200)
        order = self._sale(
            self.customer_de, [(self.product_us200, 1, lot) for lot in lots]
        )
        self._deliver(order.picking_ids, lots)
        self._rma([self._line(lots[0])], ticket_id=self._team_ticket(self.team_de).id)
        domain = [("lot_id", "in", lots.ids)]
        every = self._rows(RETURNS, domain)
        self.assertEqual(len(every), 2)
        # not his team's RMA: the return rate has no team nor customer in it
        for user in (self.agent, self.agent_de, self.stock_user):
            rows = self._rows(RETURNS, domain, user=user)
            self.assertEqual(rows, every)
            self.assertEqual(sum(rows.mapped("returned_qty")), 1)
            [(delivered, returned)] = (
                self.env[RETURNS]
                .with_user(user)
                ._read_group(domain, [], ["delivered_qty:sum", "returned_qty:sum"])
            )
            self.assertEqual((delivered, returned), (2, 1))
        self.assertFalse(self._rows(RETURNS, domain, user=self.outsider_agent))
        self.assertFalse(self._rows(RETURNS, [], user=self.outsider_agent))

    def test_users_outside_the_service_are_denied(self):
        for model in (RETURNS, MTTR):
            for user in (self.plain_user, self.finance):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_engineers_find_the_reports_in_the_menu(self):
        menus = self.env.ref("aftersales_rma.aftersales_return_report_menu") | (
            self.env.ref("aftersales_rma.aftersales_rma_mttr_report_menu")
        )
        Menu = self.env["ir.ui.menu"]
        for user in (self.agent, self.manager):
            self.assertEqual(
                Menu.with_user(user).search([("id", "in", menus.ids)]), menus
            )
        self.assertFalse(
            Menu.with_user(self.plain_user).search([("id", "in", menus.ids)])
        )
