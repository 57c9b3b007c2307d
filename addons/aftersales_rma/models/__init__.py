from . import aftersales_rma_template
from . import aftersales_rma
from . import aftersales_rma_line
from . import aftersales_tracking_provider
from . import aftersales_shipment
from . import aftersales_shipment_event
from . import aftersales_ticket
from . import stock_picking
