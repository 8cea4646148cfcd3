from . import aftersales_repair_problem_report
