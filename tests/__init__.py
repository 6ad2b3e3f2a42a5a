from . import test_install
from . import test_crm_action
from . import test_crm_action_access
from . import test_crm_action_buttons
from . import test_crm_action_tour
from . import test_crm_action_demo
