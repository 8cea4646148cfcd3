from . import test_portal_cases, test_portal_returns
