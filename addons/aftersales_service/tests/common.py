from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesCase(TransactionCase):
    """Two teams in two timezones, their engineers and customers on three continents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False)
        )
        cls.company = cls.env.company
        cls.company.aftersales_stale_days = 5
        # the acknowledgements of the demo tickets are not the tests' business
        cls.env.cr.execute(
            "UPDATE aftersales_ticket SET ack_pending = false WHERE ack_pending"
        )
        cls.calendar_sh = cls._make_calendar(
            "Shanghai 9-18", "Asia/Shanghai", [(9, 12), (13, 18)]
        )
        cls.calendar_de = cls._make_calendar(
            "Hamburg 8-17", "Europe/Berlin", [(8, 12), (13, 17)]
        )
        cls.stage_new = cls.env.ref("aftersales_service.stage_new")
        cls.stage_accepted = cls.env.ref("aftersales_service.stage_accepted")
        cls.stage_waiting = cls.env.ref("aftersales_service.stage_waiting_customer")
        cls.stage_resolved = cls.env.ref("aftersales_service.stage_resolved")
        cls.stage_closed = cls.env.ref("aftersales_service.stage_closed")
        cls.type_repair = cls.env.ref("aftersales_service.ticket_type_repair")
        cls.type_question = cls.env.ref("aftersales_service.ticket_type_question")
        cls.skill_electronics = cls.env.ref("aftersales_service.skill_electronics")
        cls.team_sh = cls.env["aftersales.team"].create(
            {"name": "Shanghai Service", "resource_calendar_id": cls.calendar_sh.id}
        )
        cls.team_de = cls.env["aftersales.team"].create(
            {"name": "Hamburg Hub", "resource_calendar_id": cls.calendar_de.id}
        )
        group_user = "aftersales_service.aftersales_group_user"
        cls.agent = new_test_user(
            cls.env, login="as_agent", groups=group_user, name="Agent Li"
        )
        cls.agent2 = new_test_user(
            cls.env, login="as_agent2", groups=group_user, name="Agent Wang"
        )
        cls.agent_de = new_test_user(
            cls.env, login="as_agent_de", groups=group_user, name="Agent Braun"
        )
        cls.manager = new_test_user(
            cls.env,
            login="as_manager",
            groups="aftersales_service.aftersales_group_manager",
            name="Manager Zhao",
        )
        cls.team_sh.write(
            {
                "member_ids": [Command.set((cls.agent | cls.agent2).ids)],
                "user_id": cls.manager.id,
            }
        )
        cls.team_de.write(
            {"member_ids": [Command.set(cls.agent_de.ids)], "user_id": cls.manager.id}
        )
        cls.env["aftersales.sla.policy"].search([]).active = False
        cls.policy = cls.env["aftersales.sla.policy"].create(
            {"name": "Test standard", "response_hours": 8, "resolution_hours": 24}
        )
        country = cls.env.ref
        cls.customer_de = cls.env["res.partner"].create(
            {
                "name": "Klinikum Hamburg",
                "email": "service@klinikum.example",
                "country_id": country("base.de").id,
            }
        )
        cls.customer_ae = cls.env["res.partner"].create(
            {
                "name": "Dubai Care Clinic",
                "email": "it@dubaicare.example",
                "country_id": country("base.ae").id,
                "aftersales_tier": "gold",
            }
        )
        cls.customer_ng = cls.env["res.partner"].create(
            {
                "name": "Lagos General Hospital",
                "email": "biomed@lagosgh.example",
                "country_id": country("base.ng").id,
            }
        )

    @classmethod
    def _make_calendar(cls, name, tz, periods):
        attendances = [
            Command.create(
                {
                    "name": f"{day}-{start}",
                    "dayofweek": str(day),
                    "hour_from": start,
                    "hour_to": end,
                }
            )
            for day in range(5)
            for start, end in periods
        ]
        return cls.env["resource.calendar"].create(
            {"name": name, "tz": tz, "attendance_ids": [Command.clear()] + attendances}
        )

    def _send_acknowledgements(self, batch_size=1000):
        """What a commit runs (tracking messages, stage emails), then the
        acknowledgement cron it triggers."""
        self.env.cr.flush()
        tickets = self.env["aftersales.ticket"]._cron_send_acknowledgements(
            batch_size=batch_size
        )
        self.env.cr.flush()
        return tickets

    def _ticket(self, **values):
        vals = {
            "subject": "Screen flickers",
            "partner_id": self.customer_ae.id,
            "team_id": self.team_sh.id,
        }
        vals.update(values)
        return self.env["aftersales.ticket"].create(vals)
