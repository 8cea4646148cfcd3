from . import account_move_reversal
from . import aftersales_rma_create
from . import aftersales_rma_create_line
from . import stock_picking_return
