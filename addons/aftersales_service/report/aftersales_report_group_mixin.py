from odoo import models


class AftersalesReportGroupMixin(models.AbstractModel):
    """Report models on SQL views, grouped by a pivot's rows: a pivot (and the
    spreadsheet dashboard) asks for the groups of one many2one in that field's
    order, which the ORM turns into a join of the comodel's table and a group
    by of its order columns: over a million rows PostgreSQL then sorts every
    row before aggregating (docs/benchmarks.md, "The product pivot's rows").
    Here such a query groups by the id alone and orders the few groups
    afterwards by the comodel's order, the empty group last: the same groups,
    in the same order."""

    _name = "aftersales.report.group.mixin"
    _description = "After-Sales Report Grouping"

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        groupby = tuple(groupby)
        field = self._fields.get(groupby[0]) if len(groupby) == 1 else None
        if (
            field is None
            or field.type != "many2one"
            or (order or "").strip() not in (groupby[0], f"{groupby[0]} asc")
            or offset
            or limit
            or self.env[field.comodel_name]._order == "id"
        ):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        # no order: grouped and ordered by the column itself, no join
        rows = super()._read_group(domain, groupby, aggregates, having)
        records = self.env[field.comodel_name].browse(
            row[0].id for row in rows if row[0]
        )
        # one query for the groups' order, archived records included; sudo: the
        # order only, as the ORM's join would read it
        ordered = records.sudo().with_context(active_test=False).sorted()
        rank = {record_id: index for index, record_id in enumerate(ordered.ids)}
        return sorted(rows, key=lambda row: rank.get(row[0].id, len(rank)))
