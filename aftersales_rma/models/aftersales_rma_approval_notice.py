import logging

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import process_in_committed_batches

_logger = logging.getLogger(__name__)

APPROVAL_NOTICE_BATCH_SIZE = 50


class AftersalesRma(models.Model):
    """The return authorisation the customer receives once a return is approved.

    Rendering its PDF and mail takes longer than the approval itself, so the
    approval only marks the return and wakes a scheduled action, which posts
    the authorisation (mail and PDF) moments later, in batches that each
    commit: the user's click stays fast and the customer still gets it once.
    """
    _inherit = 'aftersales.rma'

    approval_notice_pending = fields.Boolean(
        string="Authorisation to Send", copy=False, readonly=True,
        help="Approved, and the return authorisation is about to be e-mailed to the customer.",
    )
    approval_user_id = fields.Many2one(
        'res.users', string="Approved By", copy=False, readonly=True,
        help="Who approved the return: the authorisation is sent in their name.",
    )

    # The scheduled action only reads the few returns waiting for their notice.
    _approval_notice_pending_idx = models.Index("(id) WHERE approval_notice_pending IS TRUE")

    def _send_approval(self):
        """Queue the return authorisation for the customer (see the class)."""
        if self.env.context.get('install_demo'):
            # Demo returns approved while the database installs: no customer
            # waits for them, and no web server serves the PDF's styles yet.
            return
        self.sudo().write({'approval_notice_pending': True, 'approval_user_id': self.env.uid})
        cron = self.env.ref('aftersales_rma.ir_cron_aftersales_rma_approval_notice', raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    def _post_approval_notice(self):
        """Post the authorisation, mail and PDF, to each return's customer.

        A return whose authorisation cannot be made (a template or report
        that fails on it) is logged and left out, its mark dropped: the
        others are still sent, and the next runs do not stumble on it again.
        """
        template = self.env.ref('aftersales_rma.mail_template_rma_approved', raise_if_not_found=False)
        for rma in self if template else ():
            try:
                with self.env.cr.savepoint():
                    # Queued: the mail queue sends it after this batch commits.
                    rma.message_post_with_source(
                        template, subtype_xmlid='mail.mt_comment', force_send=False,
                        author_id=(rma.approval_user_id or self.env.user).partner_id.id,
                    )
            except Exception:
                _logger.exception("The authorisation of return %s could not be sent.", rma.name)
        self.approval_notice_pending = False

    @api.model
    def _cron_send_approval_notices(self, batch_size=APPROVAL_NOTICE_BATCH_SIZE):
        """Each batch commits its messages together with the cleared flags, so
        a run killed between batches and restarted sends each notice once."""
        process_in_committed_batches(
            self.sudo().with_context(active_test=False), [('approval_notice_pending', '=', True)],
            lambda rmas: rmas._post_approval_notice(), batch_size,
        )
