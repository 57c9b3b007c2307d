from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAftersalesDashboardTour(HttpCase):
    def test_manager_opens_the_dashboard(self):
        new_test_user(
            self.env,
            login="dash_manager",
            groups="aftersales_service.aftersales_group_manager",
            name="Dashboard Manager",
        )
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "aftersales_dashboard_tour",
            login="dash_manager",
        )
