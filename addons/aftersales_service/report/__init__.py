from . import aftersales_report_group_mixin
from . import aftersales_ticket_report
from . import aftersales_dealer_report
