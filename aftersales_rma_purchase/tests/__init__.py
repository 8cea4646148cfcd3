from . import test_vendor_credit
from . import test_vendor_return
from . import test_vendor_return_access
from . import test_vendor_return_case
from . import test_vendor_return_settlement
from . import test_rma_line_supplier
