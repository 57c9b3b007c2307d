from . import models
from . import wizard
from . import tools
from . import report
