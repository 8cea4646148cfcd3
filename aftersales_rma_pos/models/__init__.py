from . import aftersales_rma_line_mixin
from . import aftersales_rma
from . import aftersales_rma_line
from . import aftersales_rma_pos_refund
from . import pos_order
from . import pos_order_line
from . import stock_picking
