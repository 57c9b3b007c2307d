from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class AftersalesPortalRateHit(models.Model):
    """One answer of a rate-limited public page (the warranty check) to one
    address. Kept in the database, so that every server process (workers,
    several machines behind a proxy) counts the same hits; only the hits of the
    current window are kept."""

    _name = "aftersales.portal.rate.hit"
    _description = "Portal Rate Limit Hit"
    _log_access = False
    _order = "hit_at desc, id desc"

    key = fields.Char(required=True, index=True)
    hit_at = fields.Datetime(required=True, index=True)

    @api.model
    def _allow(self, key, limit, window):
        """Whether ``key`` (e.g. an IP address) may have one more answer: True,
        and the hit counted, when it got fewer than ``limit`` answers in the last
        ``window`` seconds. In a transaction of its own (the hit counts even when
        the request fails, and a retried request does not count twice), the
        addresses' hits serialized per key by an advisory lock."""
        now = fields.Datetime.now()
        since = now - timedelta(seconds=window)
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", key))
            # this key's hits out of the window, and anybody's of another day
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE (key = %s AND hit_at <= %s) OR hit_at <= %s",
                    SQL.identifier(self._table),
                    key,
                    since,
                    now - timedelta(days=1),
                )
            )
            cr.execute(
                SQL(
                    "SELECT count(*) FROM %s WHERE key = %s AND hit_at > %s",
                    SQL.identifier(self._table),
                    key,
                    since,
                )
            )
            if cr.fetchone()[0] >= limit:
                return False
            cr.execute(
                SQL(
                    "INSERT INTO %s (key, hit_at) VALUES (%s, %s)",
                    SQL.identifier(self._table),
                    key,
                    now,
                )
            )
        return True
