from . import aftersales_warranty_void
from . import aftersales_warranty_transfer
from . import aftersales_warranty_import
