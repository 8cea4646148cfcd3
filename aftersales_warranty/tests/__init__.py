from . import test_warranty_registration
from . import test_warranty_import
from . import test_warranty_access
from . import test_warranty_claim
from . import test_warranty_performance
from . import test_warranty_contract
from . import test_warranty_contract_renewal
from . import test_warranty_maintenance
