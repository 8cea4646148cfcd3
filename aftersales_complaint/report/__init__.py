from . import aftersales_complaint_iso_report
