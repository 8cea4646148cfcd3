from . import aftersales_case, aftersales_case_type, aftersales_case_type_field, aftersales_rma_create
from . import aftersales_complaint
from . import aftersales_warranty, aftersales_warranty_claim
from . import aftersales_contact_request, aftersales_solution
from . import repair_order
