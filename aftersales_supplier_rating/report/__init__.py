from . import aftersales_supplier_report
from . import aftersales_supplier_assessment
