from . import aftersales_case_tag
from . import aftersales_case_origin
from . import aftersales_case_stage
from . import aftersales_case_type
from . import aftersales_case_type_field
from . import aftersales_team
from . import aftersales_case
from . import res_partner
