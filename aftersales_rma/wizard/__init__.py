from . import account_move_reversal
from . import aftersales_rma_create
from . import stock_picking_return
