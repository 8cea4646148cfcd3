from . import aftersales_rma_product_report
