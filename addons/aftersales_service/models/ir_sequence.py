from collections import defaultdict

from odoo import api, models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _aftersales_number_vals(self, code, vals_list):
        """Give the values of a batch without a number (``name`` missing or
        "New") the next numbers of the sequence ``code`` of their company (or the
        shared one): one ``nextval`` round trip per company instead of one
        ``next_by_code`` per record. Returns the values left without a number,
        whose company has no such sequence."""
        todo = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                # the same company as the records' field default
                company_id = (
                    vals.get("company_id")
                    or self.env.context.get("default_company_id")
                    or self.env.company.id
                )
                todo[company_id].append(vals)
        unnumbered = []
        for company_id, company_vals in todo.items():
            sequence = self.sudo().search(
                [("code", "=", code), ("company_id", "in", [company_id, False])],
                order="company_id",
                limit=1,
            )
            if not sequence:
                unnumbered += company_vals
                continue
            if sequence.implementation != "standard" or sequence.use_date_range:
                for vals in company_vals:
                    vals["name"] = sequence.next_by_id()
                continue
            self.env.cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                [f"ir_sequence_{sequence.id:03d}", len(company_vals)],
            )
            prefix, suffix = sequence._get_prefix_suffix()
            for vals, (number,) in zip(
                company_vals, self.env.cr.fetchall(), strict=True
            ):
                vals["name"] = f"{prefix}{number:0{sequence.padding}d}{suffix}"
        return unnumbered
