from . import matching
from . import warranty
from . import working_hours
from . import cron_trigger
from . import dealer_grade
from . import dealer_points
