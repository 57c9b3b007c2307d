from . import test_sla
from . import test_performance
from . import test_warranty_policy
from . import test_warranty
from . import test_warranty_flow
from . import test_warranty_import
from . import test_dealer_network
from . import test_ticket_flows
