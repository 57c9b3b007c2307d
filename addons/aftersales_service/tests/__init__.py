from . import test_sla
