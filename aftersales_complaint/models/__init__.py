from . import aftersales_complaint_reason
from . import aftersales_complaint
from . import aftersales_case
from . import res_partner
