from . import test_skeleton
from . import test_tracking
from . import test_tracking_webhook
