from . import crm_action_next_wizard
from . import crm_action_notify_wizard
from . import crm_action_notify_wizard_line
from . import crm_action_register_wizard
from . import crm_action_register_wizard_expense
