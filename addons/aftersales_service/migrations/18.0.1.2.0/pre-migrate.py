"""18.0.1.2.0: incentive points reverse when their source changes. The ledger
is now unique per (dealer, reason, source, step) instead of (dealer, reason,
source): a source earns again after a reversal. The old constraint would refuse
that, and a renamed constraint is not dropped by the upgrade: drop it here (the
new one and the ``step`` column, 0 for the existing lines, come with the
model)."""

from odoo.tools import SQL

OLD = "aftersales_dealer_points_dealer_rule_source_uniq"


def migrate(cr, version):
    cr.execute(
        SQL(
            "ALTER TABLE aftersales_dealer_points DROP CONSTRAINT IF EXISTS %s",
            SQL.identifier(OLD),
        )
    )
    cr.execute(SQL("DELETE FROM ir_model_constraint WHERE name = %s", OLD))
