from . import test_portal_cases, test_portal_returns
from . import test_portal_complaints
from . import test_portal_warranties
from . import test_public_contact, test_public_faq
from . import test_portal_repairs
from . import test_portal_case_fields
