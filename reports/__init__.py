from . import crm_action_statistics
from . import crm_action_report
