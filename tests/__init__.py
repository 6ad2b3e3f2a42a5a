from . import test_install
from . import test_campaign_flow
from . import test_action_rules
from . import test_register_wizard
from . import test_expenses
from . import test_flow_performance
from . import test_flow_tour
from . import test_flow_access
