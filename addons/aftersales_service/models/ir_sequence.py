from collections import defaultdict

from odoo import api, models, tools


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
            data = self._aftersales_sequence_data(code, company_id)
            if not data:
                unnumbered += company_vals
                continue
            sequence_id, standard, padding, prefix, suffix, name = data
            if not standard:
                sequence = self.sudo().browse(sequence_id)
                for vals in company_vals:
                    vals["name"] = sequence.next_by_id()
                continue
            self.env.cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                [f"ir_sequence_{sequence_id:03d}", len(company_vals)],
            )
            # the cached prefix and suffix interpolated as Odoo does, on a record
            # in memory (no query)
            prefix, suffix = (
                self.sudo()
                .new({"prefix": prefix, "suffix": suffix, "name": name})
                ._get_prefix_suffix()
            )
            for vals, (number,) in zip(
                company_vals, self.env.cr.fetchall(), strict=True
            ):
                vals["name"] = f"{prefix}{number:0{padding}d}{suffix}"
        return unnumbered

    @api.model
    @tools.ormcache("code", "company_id")
    def _aftersales_sequence_data(self, code, company_id):
        """``(id, plain nextval, padding, prefix, suffix, name)`` of the sequence
        ``code`` of ``company_id`` (or the shared one), ``None`` without one;
        "plain nextval" is false for a no-gap or date-range sequence, which is
        numbered by Odoo's own next_by_id(). Read once per registry and kept until
        a sequence is created, changed or deleted, so that numbering a ticket costs
        only its ``nextval``."""
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company_id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            return None
        return (
            sequence.id,
            sequence.implementation == "standard" and not sequence.use_date_range,
            sequence.padding,
            sequence.prefix,
            sequence.suffix,
            sequence.name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _aftersales_sequence_data()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _aftersales_sequence_data()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _aftersales_sequence_data()
        return super().unlink()
