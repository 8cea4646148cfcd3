from . import aftersales_rma_vendor_return
from . import aftersales_rma_vendor_return_line
from . import stock_return_picking
from . import stock_return_picking_line
