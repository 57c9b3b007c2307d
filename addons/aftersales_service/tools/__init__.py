from . import matching
from . import warranty
