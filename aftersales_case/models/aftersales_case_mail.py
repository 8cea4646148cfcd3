from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize, human_size
from odoo.tools.mail import email_split_and_format

# A case subject is a title, not a payload: long enough for any real subject,
# short enough for a notification's Subject header and the kanban card.
SUBJECT_MAX_LENGTH = 250
# What one e-mail may put on a case; each ``aftersales_case.<key>`` system
# parameter overrides its default. Attachments over a limit and Cc addresses
# beyond it are dropped, with a note in the message.
MAIL_LIMITS = {
    'mail_attachment_max_size': 25 * 1024 * 1024,  # bytes, each
    'mail_attachment_max_count': 50,
    'mail_attachment_max_total_size': 50 * 1024 * 1024,  # bytes, all together
    'mail_cc_max_count': 50,  # addresses kept in the case's Cc
    # Acknowledgements sent within the window, to one address and to one
    # domain: anyone can put any address in From, and the acknowledgement
    # repeats their subject, so the desk must not become a relay.
    'mail_ack_max_per_address': 5,
    'mail_ack_max_per_domain': 20,
    'mail_ack_window_minutes': 60,
}
# Attachments named in a note about those dropped; the others are counted.
NAMES_SHOWN = 20
# Key carried in a route's creation values from ``_routing_check_route``,
# which sees the e-mail's headers, to ``message_new``, which does not.
NO_ACKNOWLEDGEMENT = '_aftersales_no_acknowledgement'


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    email_message_id = fields.Char(
        string="Opening E-mail", readonly=True, copy=False,
        help="The Message-Id of the e-mail that opened the case.",
    )

    # The same e-mail delivered twice at once (a mail server's retry, two
    # fetchmail runs) passes core's check for a known Message-Id in both
    # transactions: the second case is refused here, and the retried
    # delivery is then ignored as already processed. Per team: one e-mail
    # sent to two teams' aliases opens a case for each.
    _email_message_uniq = models.UniqueIndex(
        "(email_message_id, COALESCE(team_id, 0)) WHERE email_message_id IS NOT NULL",
        "This e-mail has already opened a case.",
    )

    # Constraints

    @api.constrains('subject')
    def _check_subject_length(self):
        # An error rather than a silent cut for what users and API clients
        # type: they learn their subject was refused. The e-mail gateway and
        # the mail plugin cut the subjects others wrote before creating.
        for case in self:
            if len(case.subject or '') > SUBJECT_MAX_LENGTH:
                raise ValidationError(self.env._(
                    "The subject of a case holds at most %(max)s characters; this one has %(length)s.",
                    max=SUBJECT_MAX_LENGTH, length=len(case.subject),
                ))

    # Mail gateway

    @api.model
    def _routing_route_automatic_email(self, message_dict, route):
        """The route of a robot's e-mail (see ``_is_automatic_email``) to a case.

        A new case is opened without acknowledgement. On an existing case the
        e-mail (an out-of-office, a delivery report) is no word from the
        customer: it is logged as an internal note, which neither reopens the
        case nor flags a customer response.
        """
        model, thread_id, custom_values, user_id, alias = route
        if thread_id:
            message_dict['is_internal'] = True
            return route
        custom_values = {**(custom_values or {}), NO_ACKNOWLEDGEMENT: True}
        return (model, thread_id, custom_values, user_id, alias)

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
            case._queue_acknowledgement()
        return case

    def message_update(self, msg_dict, update_vals=None):
        self._mail_bound_incoming(msg_dict)
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if not msg_dict.get('is_internal'):
            # The customer writing again means the case is not solved for
            # them. Agents, strangers and robots leave a closed case closed.
            self.filtered(
                lambda case: case.is_closed and case._mail_speaks_for_customer(author)
            ).action_reopen()
        return super().message_update(msg_dict, update_vals=update_vals)

    def _mail_speaks_for_customer(self, author):
        """Whether ``author`` may reopen the case by e-mail.

        The customer, its contact person, a person of the customer's company,
        or an outside follower; never an agent or an unknown sender.
        """
        self.ensure_one()
        if not author or not author.partner_share:
            return False
        if author in (self.partner_id | self.contact_id | self.message_partner_ids):
            return True
        return bool(self.commercial_partner_id) and author.commercial_partner_id == self.commercial_partner_id

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
            'email_message_id': msg_dict.get('message_id') or False,
        }
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if author and _is_customer(author):
            values['partner_id'] = author.commercial_partner_id.id
            if author != author.commercial_partner_id:
                values['contact_id'] = author.id
        return values

    # Bounds on incoming e-mails

    def _mail_bound_incoming(self, msg_dict):
        """Cut what one e-mail may put on the case (or a new one), in place.

        The subject is truncated, for the case and for the notifications
        that repeat it; attachments over the limits and Cc addresses beyond
        the case's limit are dropped and told of at the end of the body.
        """
        if msg_dict.get('subject'):
            msg_dict['subject'] = msg_dict['subject'][:SUBJECT_MAX_LENGTH]
        notes = self._mail_bound_attachments(msg_dict) + self._mail_bound_cc(msg_dict)
        if notes:
            msg_dict['body'] = Markup(msg_dict.get('body') or '') + Markup().join(
                Markup('<p><em>%s</em></p>') % note for note in notes
            )

    @api.model
    def _mail_bound_attachments(self, msg_dict):
        """Drop the attachments over the size limit, then those beyond the
        count or the total size; return the notes telling which."""
        max_size = self._mail_limit('mail_attachment_max_size')
        max_count = self._mail_limit('mail_attachment_max_count')
        max_total = self._mail_limit('mail_attachment_max_total_size')
        kept, too_large, too_many = [], [], []
        total = 0
        for attachment in msg_dict.get('attachments') or []:
            size = len(attachment[1] or b'')
            if size > max_size:
                too_large.append(attachment)
            elif len(kept) >= max_count or total + size > max_total:
                too_many.append(attachment)
            else:
                kept.append(attachment)
                total += size
        notes = []
        if too_large:
            notes.append(self.env._(
                "Attachments larger than %(size)s were not kept: %(names)s",
                size=human_size(max_size), names=self._mail_attachment_names(too_large),
            ))
        if too_many:
            notes.append(self.env._(
                "Attachments beyond %(count)s files or %(size)s in all were not kept: %(names)s",
                count=max_count, size=human_size(max_total),
                names=self._mail_attachment_names(too_many),
            ))
        if notes:
            msg_dict['attachments'] = kept
        return notes

    @api.model
    def _mail_attachment_names(self, attachments):
        names = ", ".join(attachment[0] or "?" for attachment in attachments[:NAMES_SHOWN])
        if len(attachments) <= NAMES_SHOWN:
            return names
        return self.env._(
            "%(names)s and %(count)s more", names=names, count=len(attachments) - NAMES_SHOWN,
        )

    def _mail_bound_cc(self, msg_dict):
        """Keep the case's Cc (``email_cc``, fed by each e-mail) within its
        limit: no e-mail's Cc turns into thousands of addresses every answer
        is suggested to. Return the notes telling how many were dropped."""
        addresses = email_split_and_format(msg_dict.get('cc') or '')
        known = {email_normalize(address) for address in email_split_and_format(
            ",".join(self.filtered('email_cc').mapped('email_cc')),
        )}
        room = self._mail_limit('mail_cc_max_count') - len(known)
        kept, dropped = set(), 0
        for address in addresses:
            normalized = email_normalize(address)
            if normalized in known or normalized in kept:
                kept.add(normalized)
            elif room > 0:
                kept.add(normalized)
                room -= 1
            else:
                dropped += 1
        if not dropped:
            return []
        for key in ('cc', 'cc_filtered'):
            msg_dict[key] = ",".join(
                address for address in email_split_and_format(msg_dict.get(key) or '')
                if email_normalize(address) in kept
            )
        return [self.env._("%(count)s more Cc addresses were not kept.", count=dropped)]

    @api.model
    def _mail_limit(self, key):
        """The limit ``key`` of ``MAIL_LIMITS``, or its system parameter."""
        value = self.env['ir.config_parameter'].sudo().get_param(f'aftersales_case.{key}')
        try:
            return int(value) if value else MAIL_LIMITS[key]
        except ValueError:
            return MAIL_LIMITS[key]

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
            if _is_agent_answer(message, msg_vals):
                self._register_agent_answer()
            elif _is_customer(message.author_id) and message.subtype_id != self._creation_subtype() \
                    and not self.new_customer_response:
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


def _is_agent_answer(message, msg_vals):
    """Whether ``message`` is an agent's answer: posted in Odoo by an internal user.

    An incoming e-mail is never one, whatever its From: anyone can write an
    agent's address there, and the gateway then names the agent as author.
    """
    return msg_vals.get('message_type') == 'comment' and bool(message.author_id) \
        and not message.author_id.partner_share

