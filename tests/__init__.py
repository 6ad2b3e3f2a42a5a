from . import test_install
from . import test_action_todo
from . import test_action_acknowledge
from . import test_action_meeting_timer
from . import test_action_followup_template
