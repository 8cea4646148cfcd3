from odoo.tests import tagged
from odoo.tools import mute_logger

from .mail_common import AftersalesMailCommon


@tagged('post_install', '-at_install')
class TestMailAcknowledgementQueue(AftersalesMailCommon):
    """The gateway opens the case; a scheduled action, woken at once, sends
    the acknowledgement: a busy mailbox is read faster, each sender answered once."""

    def _process_and_flush(self, **kwargs):
        case = self.env['aftersales.case'].browse(self._process(self._email(**kwargs)))
        self.env.cr.flush()
        return case

    def test_gateway_leaves_the_acknowledgement_to_the_scheduled_action(self):
        cron = self.env.ref('aftersales_case.ir_cron_aftersales_case_acknowledgement')
        triggers_before = self.env['ir.cron.trigger'].search([('cron_id', '=', cron.id)])
        case = self._process_and_flush()
        self.assertTrue(case.acknowledgement_pending)
        self.assertFalse(self._mails_to(self.contact), "no e-mail rendered while reading the mailbox")
        self.assertTrue(self.env['ir.cron.trigger'].search([('cron_id', '=', cron.id)]) - triggers_before)

        self._send_acknowledgements()
        self._send_acknowledgements()  # a second run sends nothing more
        self.assertEqual(len(self._mails_to(self.contact)), 1)
        self.assertFalse(case.acknowledgement_pending)
        self.assertEqual(case.acknowledged_email, 'carla@customer.example')
        # Still an answer in the customer's thread: after their e-mail.
        self.assertEqual(case.message_ids[0].message_type, 'auto_comment')
        self.assertEqual(case.message_ids[0].parent_id, self._emails(case))

    def test_acknowledgements_go_out_in_committed_batches(self):
        cases = self.env['aftersales.case']
        for index in range(3):
            cases |= self._process_and_flush(
                subject=f"Request {index}", email_from=f'"Sender {index}" <sender{index}@new.example>',
            )
        self.assertEqual(self._send_acknowledgements(batch_size=2), 2, "each batch commits its e-mails")
        self.assertFalse(cases.filtered('acknowledgement_pending'))
        self.assertEqual(len(cases.mapped('date_acknowledged')), 3)

    def test_no_acknowledgement_without_the_template_but_the_case_is_done(self):
        case = self._process_and_flush()
        self.template_ack.active = False
        self._send_acknowledgements()
        self.assertFalse(case.acknowledgement_pending)
        self.assertFalse(case.date_acknowledged)
        self.assertFalse(self._mails_to(self.contact))

    def test_unreplied_senders_are_not_queued(self):
        case = self._process_and_flush(extra="Auto-Submitted: auto-replied\n")
        self.assertFalse(case.acknowledgement_pending)

    def test_a_deleted_case_is_skipped(self):
        first = self._process_and_flush()
        second = self._process_and_flush(subject="The screen flickers")
        first.unlink()
        self._send_acknowledgements()
        self.assertEqual(self._mails_to(self.contact).res_id, second.id)

    @mute_logger('odoo.addons.aftersales_case.models.aftersales_case_acknowledgement')
    def test_a_case_that_cannot_be_acknowledged_does_not_stop_the_others(self):
        self.template_ack.subject = "{{ 1 / 0 if object.subject == 'Poison' else object.name }}"
        poison = self._process_and_flush(subject="Poison")
        other = self._process_and_flush(
            subject="The screen flickers", email_from='"Nina New" <nina@new.example>',
        )
        self._send_acknowledgements()
        self.assertFalse((poison | other).filtered('acknowledgement_pending'), "neither is tried again")
        self.assertFalse(poison.date_acknowledged)
        self.assertEqual(other.acknowledged_email, 'nina@new.example')
        self.assertEqual(self._mails_to(other.partner_id).subject, other.name)
