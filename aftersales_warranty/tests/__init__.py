from . import test_warranty_registration
from . import test_warranty_import
from . import test_warranty_access
