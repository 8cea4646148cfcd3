from . import test_rma_pos_access
from . import test_rma_pos_create
from . import test_rma_pos_refund
from . import test_rma_pos_stock
