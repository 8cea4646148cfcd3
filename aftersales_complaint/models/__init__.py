from . import aftersales_complaint_reason
from . import aftersales_complaint
from . import aftersales_case
from . import res_partner
from . import aftersales_complaint_review
from . import aftersales_complaint_iso
from . import res_company
from . import res_config_settings
