from . import test_install
from . import test_crm_action_sequence
from . import test_crm_action_sequence_concurrency
from . import test_crm_action_sequence_performance
