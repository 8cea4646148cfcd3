from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# How many cases the public contact form opens within the window, for one
# e-mail address and for one IP address; each ``aftersales_portal.<key>``
# system parameter overrides its default.
CONTACT_LIMITS = {
    'contact_max_per_email': 5,
    'contact_max_per_ip': 5,
    'contact_window_minutes': 60,
    # Bytes of the one file the form takes.
    'contact_attachment_max_size': 10 * 1024 * 1024,
}
# Rows older than this are no longer counted by any reasonable window.
KEEP_DAYS = 7


class AftersalesContactRequest(models.Model):
    """One case opened by the public contact form: the rows the form's rate
    limits count, in the database so that every worker sees them."""

    _name = 'aftersales.contact.request'
    _description = "After-Sales Contact Form Request"
    _order = 'create_date desc, id desc'

    email = fields.Char(string="E-mail", required=True, index=True, readonly=True)
    ip_address = fields.Char(string="IP Address", required=True, index=True, readonly=True)
    case_id = fields.Many2one('aftersales.case', readonly=True, ondelete='cascade', index='btree_not_null')

    _recent_idx = models.Index("(create_date)")

    # Business methods

    @api.model
    def _contact_limit(self, key):
        """The limit ``key`` of ``CONTACT_LIMITS``, or its system parameter."""
        value = self.env['ir.config_parameter'].sudo().get_param(f'aftersales_portal.{key}')
        try:
            return int(value) if value else CONTACT_LIMITS[key]
        except ValueError:
            return CONTACT_LIMITS[key]

    @api.model
    def _is_over_limit(self, email, ip_address):
        """Whether ``email`` or ``ip_address`` opened as many cases as allowed
        within the window.

        The two addresses are locked until the end of the transaction first:
        two workers serving the same sender count one after the other, and
        the second sees the first one's row. The e-mail is always locked
        before the IP, so two requests never wait for each other in a cycle.
        """
        self.env.execute_query(SQL(
            "SELECT pg_advisory_xact_lock(hashtext(%s)), pg_advisory_xact_lock(hashtext(%s))",
            f'aftersales.contact.email:{email}', f'aftersales.contact.ip:{ip_address}',
        ))
        self.flush_model()
        since = fields.Datetime.now() - timedelta(minutes=self._contact_limit('contact_window_minutes'))
        [(by_email, by_ip)] = self.env.execute_query(SQL(
            """SELECT count(*) FILTER (WHERE email = %(email)s),
                      count(*) FILTER (WHERE ip_address = %(ip)s)
                 FROM %(table)s
                WHERE create_date > %(since)s AND (email = %(email)s OR ip_address = %(ip)s)""",
            email=email, ip=ip_address, since=since, table=SQL.identifier(self._table),
        ))
        return by_email >= self._contact_limit('contact_max_per_email') \
            or by_ip >= self._contact_limit('contact_max_per_ip')

    @api.autovacuum
    def _gc_old_requests(self):
        self.search([('create_date', '<', fields.Datetime.now() - timedelta(days=KEEP_DAYS))]).unlink()
