from . import test_spreadsheet_queries
from . import test_dashboard
from . import test_dashboard_tour
