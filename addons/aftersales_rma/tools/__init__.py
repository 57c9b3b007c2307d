from . import coverage
from . import track17_client
from . import failure_rate
from . import claim_math
from . import part_sourcing
from . import recovery_ratio
from . import rates
