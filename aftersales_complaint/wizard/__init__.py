from . import aftersales_complaint_iso_report
from . import aftersales_complaint_hold_release
