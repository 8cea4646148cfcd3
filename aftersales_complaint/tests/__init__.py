from . import test_complaint_flow
from . import test_complaint_links
from . import test_complaint_access
from . import test_reminders
from . import test_reminder_cron
from . import test_complaint_adjustment
from . import test_complaint_invoice_link
