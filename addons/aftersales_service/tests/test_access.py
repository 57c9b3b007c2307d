from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase

CONFIG_MODELS = {
    "aftersales.team": {"name": "Rogue team"},
    "aftersales.stage": {"name": "Rogue stage"},
    "aftersales.ticket.type": {"name": "Rogue type"},
    "aftersales.sla.policy": {"name": "Rogue policy"},
    "aftersales.skill": {"name": "Rogue skill"},
}


@tagged("post_install", "-at_install")
class TestTicketAccess(AftersalesCase):
    """agent: member of team_sh; agent_de: member of team_de."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["aftersales.ticket"]
        cls.own_team = cls._ticket_cls(subject="Shanghai queue", team_id=cls.team_sh.id)
        cls.own_team_other_user = cls._ticket_cls(
            subject="Shanghai, Wang's", team_id=cls.team_sh.id, user_id=cls.agent2.id
        )
        cls.assigned_elsewhere = cls._ticket_cls(
            subject="Hamburg, given to Li", team_id=cls.team_de.id, user_id=cls.agent.id
        )
        cls.undispatched = Ticket.create(
            {"subject": "Not dispatched", "team_id": False}
        )
        cls.hidden = cls._ticket_cls(
            subject="Hamburg, Braun's", team_id=cls.team_de.id, user_id=cls.agent_de.id
        )
        cls.hidden_unassigned = cls._ticket_cls(
            subject="Hamburg queue", team_id=cls.team_de.id
        )
        cls.all_tickets = (
            cls.own_team
            | cls.own_team_other_user
            | cls.assigned_elsewhere
            | cls.undispatched
            | cls.hidden
            | cls.hidden_unassigned
        )
        cls.employee = new_test_user(
            cls.env, login="as_employee", groups="base.group_user", name="Employee"
        )
        cls.portal = new_test_user(
            cls.env, login="as_portal", groups="base.group_portal", name="Portal"
        )

    @classmethod
    def _ticket_cls(cls, **values):
        return cls.env["aftersales.ticket"].create(
            dict({"partner_id": cls.customer_ae.id}, **values)
        )

    def _search(self, user, domain=None):
        return (
            self.env["aftersales.ticket"]
            .with_user(user)
            .search([("id", "in", self.all_tickets.ids)] + (domain or []))
        )

    # users ---------------------------------------------------------------

    def test_user_sees_own_team_and_undispatched(self):
        self.assertEqual(self.undispatched.team_id.id, False)
        visible = self._search(self.agent)
        self.assertEqual(
            visible,
            self.own_team
            | self.own_team_other_user
            | self.assigned_elsewhere
            | self.undispatched,
        )
        self.assertEqual(
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .search_count([("id", "in", self.all_tickets.ids)]),
            4,
        )
        # the Hamburg engineer sees the other half
        self.assertEqual(
            self._search(self.agent_de),
            self.assigned_elsewhere
            | self.undispatched
            | self.hidden
            | self.hidden_unassigned,
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_user_cannot_read_or_write_other_team_ticket(self):
        for ticket in self.hidden | self.hidden_unassigned:
            self.assertFalse(self._search(self.agent, [("id", "=", ticket.id)]))
            with self.assertRaises(AccessError):
                ticket.with_user(self.agent).read(["subject"])
            with self.assertRaises(AccessError):
                ticket.with_user(self.agent).write({"priority": "3"})
        # but works the visible ones
        self.own_team.with_user(self.agent).write(
            {"priority": "3", "stage_id": self.stage_accepted.id}
        )
        self.assertEqual(self.own_team.stage_id, self.stage_accepted)
        self.assigned_elsewhere.with_user(self.agent).message_post(
            body="On my way", subtype_xmlid="mail.mt_note"
        )

    def test_user_creates_ticket_in_own_team(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .create({"subject": "Phone call", "partner_id": self.customer_ng.id})
        )
        self.assertEqual(ticket.team_id, self.team_sh, "the user's team is the default")
        self.assertTrue(ticket.name.startswith("SV"))
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertEqual(ticket.stage_id, self.stage_new)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_user_cannot_delete_tickets(self):
        for ticket in self.own_team | self.assigned_elsewhere | self.undispatched:
            with self.assertRaises(AccessError):
                ticket.with_user(self.agent).unlink()
        self.assertTrue(self.own_team.exists())

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_user_cannot_configure(self):
        existing = {
            "aftersales.team": self.team_sh,
            "aftersales.stage": self.stage_new,
            "aftersales.ticket.type": self.type_repair,
            "aftersales.sla.policy": self.policy,
            "aftersales.skill": self.skill_electronics,
        }
        for model, values in CONFIG_MODELS.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.agent)
                self.assertTrue(
                    Model.search([("id", "=", existing[model].id)]),
                    "configuration is readable",
                )
                with self.assertRaises(AccessError):
                    Model.create(values)
                with self.assertRaises(AccessError):
                    existing[model].with_user(self.agent).write({"name": "Renamed"})
                with self.assertRaises(AccessError):
                    existing[model].with_user(self.agent).unlink()

    # managers --------------------------------------------------------------

    def test_manager_sees_all_and_configures(self):
        self.assertEqual(self._search(self.manager), self.all_tickets)
        for model, values in CONFIG_MODELS.items():
            with self.subTest(model=model):
                record = self.env[model].with_user(self.manager).create(values)
                record.write({"name": f"{values['name']} (renamed)"})
                record.unlink()
        self.hidden.with_user(self.manager).write({"user_id": self.agent.id})
        self.hidden_unassigned.with_user(self.manager).unlink()
        self.assertFalse(self.hidden_unassigned.exists())

    # no after-sales group ---------------------------------------------------

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_internal_user_without_group_has_no_access(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.employee)
        with self.assertRaises(AccessError):
            Ticket.search([])
        with self.assertRaises(AccessError):
            self.undispatched.with_user(self.employee).read(["subject"])
        with self.assertRaises(AccessError):
            Ticket.create({"subject": "Sneaky"})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_portal_user_has_no_access(self):
        """A portal user who is no customer and no dealer sees no ticket: no
        access at all with this addon alone; with aftersales_portal installed,
        read access whose record rules leave nothing to see."""
        Ticket = self.env["aftersales.ticket"].with_user(self.portal)
        portal = self.env["ir.module.module"]._get("aftersales_portal")
        if portal.state == "installed":
            # the portal addon lets portal users read their own tickets (record
            # rules): this one has none
            self.assertFalse(Ticket.search([]))
        else:
            with self.assertRaises(AccessError):
                Ticket.search([])
        with self.assertRaises(AccessError):
            self.undispatched.with_user(self.portal).read(["subject"])
        with self.assertRaises(AccessError):
            self.env["aftersales.team"].with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestTicketMultiCompany(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "MedEquip Brasil Ltda."})
        cls.calendar_br = cls._make_calendar(
            "São Paulo 8-17", "America/Sao_Paulo", [(8, 12), (13, 17)]
        )
        cls.calendar_br.company_id = cls.company_b
        cls.team_b = cls.env["aftersales.team"].create(
            {
                "name": "São Paulo",
                "company_id": cls.company_b.id,
                "resource_calendar_id": cls.calendar_br.id,
            }
        )
        cls.policy_b = cls.env["aftersales.sla.policy"].create(
            {"name": "Brasil standard", "company_id": cls.company_b.id}
        )
        cls.ticket_b = cls.env["aftersales.ticket"].create(
            {
                "subject": "Brazil",
                "company_id": cls.company_b.id,
                "team_id": cls.team_b.id,
            }
        )
        cls.ticket_a = cls.env["aftersales.ticket"].create(
            {
                "subject": "Shanghai",
                "team_id": cls.team_sh.id,
                "partner_id": cls.customer_ae.id,
            }
        )
        manager_group = "aftersales_service.aftersales_group_manager"
        cls.manager_a = new_test_user(
            cls.env,
            login="as_manager_a",
            groups=manager_group,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.manager_ab = new_test_user(
            cls.env,
            login="as_manager_ab",
            groups=manager_group,
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )

    def test_setup(self):
        self.assertEqual(self.ticket_b.company_id, self.company_b)
        self.assertEqual(
            self.ticket_b.sla_policy_id,
            self.policy_b,
            "a company's tickets use its own policies",
        )
        self.assertEqual(self.ticket_a.sla_policy_id, self.policy)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_manager_of_one_company_sees_nothing_of_the_other(self):
        env = self.env(user=self.manager_a)
        records_b = {
            "aftersales.ticket": self.ticket_b,
            "aftersales.team": self.team_b,
            "aftersales.sla.policy": self.policy_b,
        }
        for model, record in records_b.items():
            with self.subTest(model=model):
                self.assertFalse(env[model].search([("id", "=", record.id)]))
                self.assertNotIn(record, env[model].search([]))
                with self.assertRaises(AccessError):
                    record.with_env(env).read(["name"])
        self.assertEqual(
            env["aftersales.ticket"].search(
                [("id", "in", (self.ticket_a | self.ticket_b).ids)]
            ),
            self.ticket_a,
        )

    def test_manager_of_both_companies_sees_the_allowed_ones(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.manager_ab)
        both = (self.ticket_a | self.ticket_b).ids
        self.assertEqual(
            Ticket.with_context(allowed_company_ids=[self.company.id]).search(
                [("id", "in", both)]
            ),
            self.ticket_a,
        )
        self.assertEqual(
            Ticket.with_context(
                allowed_company_ids=[self.company.id, self.company_b.id]
            ).search([("id", "in", both)]),
            self.ticket_a | self.ticket_b,
        )
        self.assertEqual(
            Ticket.with_context(allowed_company_ids=[self.company_b.id]).search(
                [("id", "in", both)]
            ),
            self.ticket_b,
        )

    def test_team_of_another_company_refused(self):
        Ticket = self.env["aftersales.ticket"]
        with self.assertRaises(UserError):
            Ticket.create(
                {
                    "subject": "Mixed",
                    "company_id": self.company.id,
                    "team_id": self.team_b.id,
                }
            )
        with self.assertRaises(UserError):
            self.ticket_a.write({"team_id": self.team_b.id})
        with self.assertRaises(UserError):
            self.ticket_a.write({"sla_policy_id": self.policy_b.id})
        with self.assertRaises(UserError):
            self.env["aftersales.team"].create(
                {
                    "name": "Mixed escalation",
                    "escalation_team_id": self.team_b.id,
                    "company_id": self.company.id,
                }
            )
