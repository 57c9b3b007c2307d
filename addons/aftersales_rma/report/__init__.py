from . import aftersales_ticket_report
from . import aftersales_dealer_report
from . import aftersales_claim_aging_report
from . import aftersales_finance_report
from . import aftersales_ticket_report_cost
from . import aftersales_dealer_report_cost
from . import aftersales_return_report
from . import aftersales_rma_mttr_report
