from odoo import models


class DigestDigest(models.Model):
    _inherit = 'digest.digest'
