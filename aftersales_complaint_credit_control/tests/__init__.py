from . import test_complaint_credit_control
