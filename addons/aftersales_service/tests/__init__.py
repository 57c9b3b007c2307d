from . import test_sla
from . import test_performance
