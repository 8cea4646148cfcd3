from . import test_repair_from_return
from . import test_repair_unrepairable
from . import test_repair_intake
from . import test_repair_access
from . import test_repair_concurrency
