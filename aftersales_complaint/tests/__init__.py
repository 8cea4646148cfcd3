from . import test_complaint_flow
from . import test_complaint_links
from . import test_complaint_access
from . import test_complaint_supplier
