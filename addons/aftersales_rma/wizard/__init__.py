from . import aftersales_rma_return_wizard
from . import aftersales_rma_return_wizard_line
