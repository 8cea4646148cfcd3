from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import human_size

# A case subject is a title, not a payload: long enough for any real subject,
# short enough for a notification's Subject header and the kanban card.
SUBJECT_MAX_LENGTH = 250
# Incoming attachments above this size (bytes) are dropped with a note;
# ``aftersales_case.mail_attachment_max_size`` overrides it.
ATTACHMENT_MAX_SIZE = 25 * 1024 * 1024
# Key carried in a route's creation values from ``_routing_check_route``,
# which sees the e-mail's headers, to ``message_new``, which does not.
NO_ACKNOWLEDGEMENT = '_aftersales_no_acknowledgement'


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    # Mail gateway

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        route = super()._routing_check_route(
            message, message_dict, route, raise_exception=raise_exception,
        )
        if route and not route[1] and _is_automatic_email(message):
            model, thread_id, custom_values, user_id, alias = route
            custom_values = {**(custom_values or {}), NO_ACKNOWLEDGEMENT: True}
            route = (model, thread_id, custom_values, user_id, alias)
        return route

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        custom_values = dict(custom_values or {})
        acknowledge = not custom_values.pop(NO_ACKNOWLEDGEMENT, False)
        self._mail_bound_incoming(msg_dict)
        if not msg_dict.get('author_id') and msg_dict.get('email_from'):
            # An unknown sender becomes a contact, so that the case has a
            # customer and the replies and the portal find them again.
            author = self.env['mail.thread']._partner_find_from_emails_single(
                [msg_dict['email_from']],
            )
            msg_dict['author_id'] = author[:1].id
        case = super().message_new(
            msg_dict, {**self._prepare_email_case_vals(msg_dict), **custom_values},
        )
        if acknowledge:
            # At the end of the transaction, once the customer's e-mail is
            # posted: the acknowledgement then answers it in their thread.
            self.env.cr.precommit.add(case._send_acknowledgement)
        return case

    def message_update(self, msg_dict, update_vals=None):
        self._mail_bound_incoming(msg_dict)
        if _is_customer(self.env['res.partner'].browse(msg_dict.get('author_id'))):
            # The customer writing again means the case is not solved for
            # them; an agent's e-mail leaves a closed case closed.
            self.filtered('is_closed').action_reopen()
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _prepare_email_case_vals(self, msg_dict):
        """Values of a case opened by the e-mail ``msg_dict``.

        The alias's defaults (team, company) are applied over them. The sender
        is the contact and their company the customer; an agent forwarding an
        e-mail is neither.
        """
        origin = self.env.ref('aftersales_case.origin_email', raise_if_not_found=False)
        values = {
            # Core's message_new puts the subject in ``name``: keep the sequence.
            'name': self.env._("New"),
            'subject': msg_dict.get('subject') or self.env._("No Subject"),
            'description': msg_dict.get('body'),
            'origin_id': origin.id if origin else False,
        }
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if author and _is_customer(author):
            values['partner_id'] = author.commercial_partner_id.id
            if author != author.commercial_partner_id:
                values['contact_id'] = author.id
        return values

    @api.model
    def _mail_bound_incoming(self, msg_dict):
        """Cut what one e-mail may put on a case, in place.

        The subject is truncated, for the case and for the notifications
        that repeat it; attachments over the size limit are dropped and
        named at the end of the body.
        """
        if msg_dict.get('subject'):
            msg_dict['subject'] = msg_dict['subject'][:SUBJECT_MAX_LENGTH]
        max_size = self._mail_attachment_max_size()
        kept, dropped = [], []
        for attachment in msg_dict.get('attachments') or []:
            (dropped if len(attachment[1] or b'') > max_size else kept).append(attachment)
        if dropped:
            msg_dict['attachments'] = kept
            note = Markup('<p><em>%s</em></p>') % self.env._(
                "Attachments larger than %(size)s were not kept: %(names)s",
                size=human_size(max_size),
                names=", ".join(attachment[0] or "?" for attachment in dropped),
            )
            msg_dict['body'] = Markup(msg_dict.get('body') or '') + note

    @api.model
    def _mail_attachment_max_size(self):
        value = self.env['ir.config_parameter'].sudo().get_param(
            'aftersales_case.mail_attachment_max_size',
        )
        try:
            return int(value) if value else ATTACHMENT_MAX_SIZE
        except ValueError:
            return ATTACHMENT_MAX_SIZE

    def _send_acknowledgement(self):
        """Tell the customer that their e-mail opened a case, and its reference."""
        template = self.env.ref(
            'aftersales_case.mail_template_case_acknowledgement', raise_if_not_found=False,
        )
        if not template or not template.active:
            return
        for case in self.exists().filtered(lambda c: c.contact_id or c.partner_id):
            case.message_post_with_source(
                template,
                message_type='auto_comment',
                subtype_xmlid='mail.mt_note',
                email_layout_xmlid='mail.mail_notification_light',
            )

    # Chatter

    def _creation_subtype(self):
        return self.env.ref('aftersales_case.mt_case_new')

    def _track_template(self, changes):
        res = super()._track_template(changes)
        case = self[0]
        if 'stage_id' in changes and case.stage_id.template_id:
            res['stage_id'] = (case.stage_id.template_id, {
                'auto_delete_keep_log': False,
                'subtype_id': self.env['ir.model.data']._xmlid_to_res_id('mail.mt_note'),
                'email_layout_xmlid': 'mail.mail_notification_light',
            })
        return res

    def _notify_get_reply_to(self, default=None, author_id=False):
        # Answers go to the team's alias: a reply that lost its references
        # still reaches the desk instead of bouncing on the catchall.
        aliases = self.team_id.sudo()._notify_get_reply_to(default=default, author_id=author_id)
        res = {case.id: aliases.get(case.team_id.id) for case in self}
        leftover = self.filtered(lambda case: not case.team_id)
        if leftover:
            res.update(super(AftersalesCase, leftover)._notify_get_reply_to(
                default=default, author_id=author_id,
            ))
        return res

    def _message_post_after_hook(self, message, msg_vals):
        if msg_vals.get('message_type') in ('comment', 'email') \
                and not (message.is_internal or message.subtype_id.internal):
            if not _is_customer(message.author_id):
                self._register_agent_answer()
            elif message.subtype_id != self._creation_subtype() and not self.new_customer_response:
                # sudo: message_post checked the author's access to the case;
                # the flag is the desk's bookkeeping, which a customer cannot write.
                self.sudo().new_customer_response = True
        return super()._message_post_after_hook(message, msg_vals)

    def _register_agent_answer(self):
        """An agent answered the customer: clear the flag, date the first answer."""
        values = {}
        if self.new_customer_response:
            values['new_customer_response'] = False
        if not self.date_first_response:
            values['date_first_response'] = fields.Datetime.now()
        if values:
            # sudo: message_post checked the agent's access to the case, and
            # answering needs only read access (``_mail_post_access``).
            self.sudo().write(values)


def _is_customer(partner):
    """Whether ``partner`` (maybe empty: an unknown sender) is outside the company."""
    return not partner or partner.partner_share


def _is_automatic_email(message):
    """Whether an e-mail comes from a robot (RFC 3834 and de facto headers)."""
    auto_submitted = str(message.get('Auto-Submitted') or 'no').split(';')[0]
    if auto_submitted.strip().lower() != 'no':
        return True
    precedence = str(message.get('Precedence') or '').strip().lower()
    return precedence in ('bulk', 'junk', 'list', 'auto_reply') \
        or bool(message.get('X-Autoreply') or message.get('X-Autorespond'))
