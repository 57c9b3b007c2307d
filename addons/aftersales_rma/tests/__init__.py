from . import test_rma_flow
from . import test_rma_dispositions
from . import test_rma_approval
from . import test_rma_access
from . import test_rma_crons
from . import test_rma_demo
from . import test_rma_tour
from . import test_rma_performance
