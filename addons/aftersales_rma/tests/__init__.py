from . import test_skeleton
from . import test_customs
from . import test_customs_report
from . import test_customs_pdf
from . import test_customs_access
