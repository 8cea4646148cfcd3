from . import mail_plugin
