from . import test_install
from . import test_crm_action_statistics
from . import test_crm_action_report
from . import test_crm_action_reporting_ui
