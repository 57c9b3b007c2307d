from collections import defaultdict

from odoo import api, fields, models

# the legs between which the repair time runs: the first done receipt and the
# last done delivery back to the customer (as aftersales.rma.mttr.report)
REPAIR_TIME_LEGS = ("receipt", "return_customer")


class AftersalesRma(models.Model):
    """The RMA's repair time in working hours, stored when it happens: when a
    transfer back to the customer is validated (or the date of a done receipt or
    return is corrected), from the first done *Return from Customer* transfer to
    the last done *Return to Customer* transfer, in the working hours of the
    ticket's team calendar (else the company's), as the SLA and the ticket's
    response and resolution times count them. The MTTR report averages it beside
    the calendar hours."""

    _inherit = "aftersales.rma"

    repair_working_hours = fields.Float(
        string="Repair Time (working h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours of the ticket's team calendar (else the company's) "
        "from the receipt of the returned unit to its shipping back to the "
        "customer; empty until it is shipped back.",
    )

    def _aftersales_repair_periods(self):
        """``{rma: (receipt, ship back)}`` of these RMAs received and shipped
        back, naive UTC datetimes, read in one grouped query."""
        Picking = self.env["stock.picking"].sudo()
        Picking.flush_model(
            ["aftersales_rma_id", "aftersales_rma_kind", "state", "date_done"]
        )
        groups = Picking._read_group(
            [
                ("aftersales_rma_id", "in", self.ids),
                ("state", "=", "done"),
                ("aftersales_rma_kind", "in", REPAIR_TIME_LEGS),
            ],
            ["aftersales_rma_id", "aftersales_rma_kind"],
            ["date_done:min", "date_done:max"],
        )
        dates = defaultdict(dict)
        for rma, kind, first, last in groups:
            dates[rma][kind] = first if kind == "receipt" else last
        return {
            rma: (legs["receipt"], legs["return_customer"])
            for rma, legs in dates.items()
            if legs.get("receipt") and legs.get("return_customer")
        }

    def _aftersales_calendar(self):
        """The calendar the RMA's durations count in: its ticket's team's, else
        its company's (as the ticket's SLA)."""
        self.ensure_one()
        return (
            self.ticket_id.team_id.resource_calendar_id
            or self.company_id.resource_calendar_id
        )

    def _aftersales_store_repair_hours(self):
        """Store the repair time in working hours of these RMAs, reading each
        calendar once for all of them; an RMA not shipped back keeps none."""
        periods = self._aftersales_repair_periods()
        values = dict.fromkeys(self, False)
        by_calendar = defaultdict(list)
        for rma, (start, end) in periods.items():
            if end > start:
                by_calendar[rma._aftersales_calendar()].append((rma, (start, end)))
            else:
                values[rma] = 0.0
        for calendar, entries in by_calendar.items():
            spans = [span for _rma, span in entries]
            can_plan, version = calendar._aftersales_state() if calendar else (0, 0)
            if can_plan:
                hours = calendar._aftersales_work_hours_batch(spans, version)
            else:
                # no working time: the continuous clock, as the SLA does
                hours = [(end - start).total_seconds() / 3600 for start, end in spans]
            for (rma, _span), value in zip(entries, hours, strict=True):
                values[rma] = value
        for rma, value in values.items():
            if rma.repair_working_hours != (value or 0.0):
                rma.repair_working_hours = value

    @api.model
    def _aftersales_fill_repair_hours(self, batch_size=1000):
        """Store the repair time of every RMA already shipped back (the
        18.0.1.1.0 migration), a batch at a time; the number of RMAs done."""
        rmas = self.with_context(active_test=False).search(
            [
                (
                    "picking_ids",
                    "any",
                    [
                        ("aftersales_rma_kind", "=", "return_customer"),
                        ("state", "=", "done"),
                    ],
                )
            ],
            order="id",
        )
        for start in range(0, len(rmas), batch_size):
            batch = rmas[start : start + batch_size]
            batch._aftersales_store_repair_hours()
            batch.flush_recordset(["repair_working_hours"])
            batch.invalidate_recordset()
        return len(rmas)
