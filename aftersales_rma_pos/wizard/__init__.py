from . import aftersales_rma_create
from . import aftersales_rma_create_line
from . import stock_picking_return
