from . import aftersales_rma
from . import aftersales_rma_line
from . import aftersales_case
from . import account_move
from . import purchase_order
from . import purchase_order_line
from . import stock_move
from . import stock_picking
