from . import aftersales_complaint_reason
from . import aftersales_complaint
from . import aftersales_case
from . import res_partner
from . import aftersales_reminder_level
from . import aftersales_reminder
from . import account_move_reminder
