from . import aftersales_case_escalate
