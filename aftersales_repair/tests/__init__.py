from . import test_repair_from_return
from . import test_repair_unrepairable
from . import test_repair_intake
from . import test_repair_access
from . import test_repair_concurrency
from . import test_repair_operations
from . import test_repair_performance
from . import test_repair_parts
