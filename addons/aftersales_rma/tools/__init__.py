from . import coverage
from . import track17_client
