from . import crm_action_next_wizard
from . import crm_action_register_wizard
