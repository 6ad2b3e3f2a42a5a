from . import crm_action_category
from . import crm_action_type
from . import crm_action_result
from . import crm_action_result_detail
from . import crm_action
from . import res_partner
