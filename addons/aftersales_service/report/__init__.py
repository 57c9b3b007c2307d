from . import aftersales_ticket_report
