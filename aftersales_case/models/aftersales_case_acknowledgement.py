import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import escape_psql

from ..tools import process_in_committed_batches

_logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT_BATCH_SIZE = 50


class AftersalesCase(models.Model):
    """The e-mail telling a customer that their e-mail or form opened a case.

    Rendering and queuing it costs more than opening the case itself, so the
    mail gateway and the contact form only mark the case and wake a
    scheduled action, which sends the acknowledgements moments later, in
    batches that each commit: a busy mailbox is read faster, and each
    sender is still answered once, within the limits per address and domain.
    """
    _inherit = 'aftersales.case'

    date_acknowledged = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False, index='btree_not_null',
        help="When the sender was told by e-mail that their e-mail opened the case.",
    )
    acknowledged_email = fields.Char(
        string="Acknowledged Address", readonly=True, copy=False,
        help="The address the acknowledgement went to.",
    )
    acknowledgement_pending = fields.Boolean(
        string="Acknowledgement to Send", readonly=True, copy=False,
        help="The case was opened by an e-mail or the contact form, and its "
             "sender is about to be told so by e-mail.",
    )

    # The scheduled action only reads the few cases waiting for theirs.
    _acknowledgement_pending_idx = models.Index("(id) WHERE acknowledgement_pending IS TRUE")

    def _queue_acknowledgement(self):
        """Mark the cases for an acknowledgement and wake the scheduled action."""
        self.sudo().acknowledgement_pending = True
        cron = self.env.ref(
            'aftersales_case.ir_cron_aftersales_case_acknowledgement', raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_send_acknowledgements(self, batch_size=ACKNOWLEDGEMENT_BATCH_SIZE):
        """Each batch commits its e-mails together with the cleared marks, so a
        run killed between batches and restarted answers each sender once."""
        process_in_committed_batches(
            self.sudo().with_context(active_test=False), [('acknowledgement_pending', '=', True)],
            lambda cases: cases._send_acknowledgement(), batch_size,
        )

    def _send_acknowledgement(self):
        """Tell the customer that their e-mail opened a case, and its reference.

        Not beyond the limits per address and per domain: the case is kept,
        and a note on it tells why its sender was not answered. A case whose
        acknowledgement cannot be made (a template failing on it) is logged
        and left: the others are still sent, and no run tries it again.
        """
        cases = self.exists()
        cases.acknowledgement_pending = False
        template = self.env.ref(
            'aftersales_case.mail_template_case_acknowledgement', raise_if_not_found=False,
        )
        if not template or not template.active:
            return
        for case in cases.filtered(lambda c: (c.contact_id or c.partner_id).email_normalized):
            try:
                with self.env.cr.savepoint():
                    case._acknowledge(template)
            except Exception:
                _logger.exception("The acknowledgement of case %s could not be sent.", case.name)

    def _acknowledge(self, template):
        self.ensure_one()
        email = (self.contact_id or self.partner_id).email_normalized
        refusal = self._acknowledgement_refusal(email)
        if refusal:
            self._message_log(body=refusal)
            return
        self.message_post_with_source(
            template,
            message_type='auto_comment',
            subtype_xmlid='mail.mt_note',
            email_layout_xmlid='mail.mail_notification_light',
        )
        self.write({'date_acknowledged': fields.Datetime.now(), 'acknowledged_email': email})

    def _acknowledgement_refusal(self, email):
        """Why no acknowledgement may go to ``email`` now, or False.

        The acknowledgements sent to the address and to its domain within the
        window are counted in one query.
        """
        minutes = self._mail_limit('mail_ack_window_minutes')
        domain = email.rpartition('@')[2]
        # sudo: the limits count the whole desk's acknowledgements, whoever may read the cases.
        sent = dict(self.sudo().with_context(active_test=False)._read_group(
            [('date_acknowledged', '>', fields.Datetime.now() - timedelta(minutes=minutes)),
             ('acknowledged_email', '=like', f'%@{escape_psql(domain)}')],
            ['acknowledged_email'], ['__count'],
        ))
        if sent.get(email, 0) >= self._mail_limit('mail_ack_max_per_address'):
            return self.env._(
                "No acknowledgement was sent to %(email)s: %(count)s were sent to this address "
                "in the last %(minutes)s minutes.",
                email=email, count=sent[email], minutes=minutes,
            )
        if sum(sent.values()) >= self._mail_limit('mail_ack_max_per_domain'):
            return self.env._(
                "No acknowledgement was sent to %(email)s: %(count)s were sent to addresses at "
                "%(domain)s in the last %(minutes)s minutes.",
                email=email, count=sum(sent.values()), domain=domain, minutes=minutes,
            )
        return False
