from odoo import api, models
from odoo.tools import email_split


class MailThread(models.AbstractModel):
    _inherit = 'mail.thread'

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        # Replies are routed on mail.thread itself, not on the model they
        # reach: only here are a reply's headers seen next to its case.
        route = super()._routing_check_route(
            message, message_dict, route, raise_exception=raise_exception,
        )
        if route and route[0] == 'aftersales.case' and _is_automatic_email(message):
            route = self.env['aftersales.case']._routing_route_automatic_email(message_dict, route)
        return route


def _is_automatic_email(message):
    """Whether an e-mail comes from a robot (RFC 3834 and de facto headers).

    Delivery reports and auto-replies are sent with an empty return path
    (RFC 5321 4.5.5); bounces core does not recognise come from a
    postmaster or name their failed recipients.
    """
    auto_submitted = str(message.get('Auto-Submitted') or 'no').split(';')[0]
    if auto_submitted.strip().lower() != 'no':
        return True
    if str(message.get('Return-Path') or '').strip() == '<>':
        return True
    senders = email_split(str(message.get('From') or ''))
    if senders and senders[0].partition('@')[0].lower() in ('mailer-daemon', 'postmaster'):
        return True
    precedence = str(message.get('Precedence') or '').strip().lower()
    return precedence in ('bulk', 'junk', 'list', 'auto_reply') \
        or bool(message.get('X-Autoreply') or message.get('X-Autorespond')
                or message.get('X-Failed-Recipients'))
