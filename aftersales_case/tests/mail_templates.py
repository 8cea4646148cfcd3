"""RFC 822 e-mails for the gateway tests, formatted by ``MockEmail.format``.

Placeholders: ``to``, ``cc``, ``email_from``, ``subject``, ``date``,
``msg_id``, ``references``, ``return_path``, ``extra`` (more headers, each
ending with a newline), ``body`` (HTML) and ``attachments`` (parts made by
:func:`attachment_part`, or an empty string).
"""

import base64

BOUNDARY = '===============aftersales-case=='

MAIL_TEMPLATE = f"""Return-Path: {{return_path}}
To: {{to}}
Cc: {{cc}}
From: {{email_from}}
Subject: {{subject}}
Date: {{date}}
Message-ID: {{msg_id}}
References: {{references}}
{{extra}}MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="{BOUNDARY}"

--{BOUNDARY}
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

{{body}}
{{attachments}}--{BOUNDARY}--
"""

BODY = "<p>Hello, the printer jams on every second page.</p><p>--<br/>Carla</p>"


def attachment_part(name, content):
    """A base64 MIME part for :data:`MAIL_TEMPLATE`'s ``attachments``."""
    data = base64.b64encode(content).decode()
    encoded = "\n".join(data[start:start + 76] for start in range(0, len(data), 76))
    return f"""--{BOUNDARY}
Content-Type: application/octet-stream; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{encoded}
"""
