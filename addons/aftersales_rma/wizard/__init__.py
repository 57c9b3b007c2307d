from . import aftersales_rma_return_wizard
from . import aftersales_rma_return_wizard_line
from . import aftersales_claim_return_wizard
from . import aftersales_claim_payment_wizard
from . import aftersales_finance_export_wizard
