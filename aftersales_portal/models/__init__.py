from . import aftersales_case, aftersales_case_type, aftersales_rma_create
from . import aftersales_contact_request, aftersales_solution
