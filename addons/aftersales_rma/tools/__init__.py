from . import coverage
from . import track17_client
from . import claim_math
