from . import test_supplier_report
from . import test_supplier_assessment
