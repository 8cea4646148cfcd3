from . import account_move
from . import aftersales_complaint_hold
