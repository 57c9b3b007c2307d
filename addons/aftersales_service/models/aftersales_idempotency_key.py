import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class AftersalesIdempotencyKey(models.Model):
    """Keys of requests that must have one effect however often, and however
    concurrently, they arrive: a ticket's ``external_ref``, an email's
    Message-Id, a carrier event.

    ``_claim`` inserts the keys with ``ON CONFLICT DO NOTHING`` before the
    caller creates anything. A second transaction claiming the same key waits
    until the first one ends; if the first one committed, PostgreSQL answers
    the second with a serialization failure (the row is not visible in its
    repeatable-read snapshot), and Odoo's RPC and HTTP layers run the losing
    request again from the start: on its second try it finds what the first
    one created and returns it, without an error. Keys are forgotten after a
    day (the documents they protect keep their own unique constraints)."""

    _name = "aftersales.idempotency.key"
    _description = "After-Sales Idempotency Key"
    _log_access = False

    scope = fields.Char(required=True, readonly=True)
    key = fields.Char(required=True, readonly=True, help="SHA-256 of the key.")
    create_date = fields.Datetime(readonly=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("scope_key_uniq", "unique(scope, key)", "This key was already used."),
    ]

    @api.model
    def _claim(self, scope, keys):
        """Claim ``keys`` (strings) of ``scope`` for the current transaction.

        Returns nothing: either the keys are claimed (new, or claimed by a
        transaction committed before this one started, whose documents this
        transaction sees), or PostgreSQL raises a serialization failure that
        Odoo retries. Keys are claimed in a fixed order, so that two
        transactions claiming overlapping keys do not deadlock."""
        digests = sorted({hashlib.sha256(key.encode()).hexdigest() for key in keys})
        if not digests:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO aftersales_idempotency_key (scope, key, create_date)
                   SELECT %s, digest, now() AT TIME ZONE 'UTC'
                     FROM unnest(%s::varchar[]) AS digest
                    ORDER BY digest
                   ON CONFLICT (scope, key) DO NOTHING""",
                scope,
                digests,
            ),
            # the serialization failure of a concurrent claim is expected and
            # retried by Odoo: not an error to log
            log_exceptions=False,
        )

    @api.autovacuum
    def _gc_old_keys(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM aftersales_idempotency_key WHERE create_date < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
