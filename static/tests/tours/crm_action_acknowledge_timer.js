/** @odoo-module **/

import { registry } from "@web/core/registry";

// The responsible of an action assigned by someone else acknowledges it, then
// times the work with start / pause / resume / stop.
registry.category("web_tour.tours").add("crm_action_acknowledge_timer", {
    steps: () => [
        {
            content: "The form says the action waits for an acknowledgement",
            trigger: ".o_form_view .alert-info:contains(acknowledge it to stop the reminders)",
        },
        {
            content: "Acknowledge it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_acknowledge]",
            run: "click",
        },
        {
            content: "Who acknowledged is shown, and the button is gone",
            trigger: ".o_form_view .o_field_widget[name=acknowledged_by_id]:contains(Ada Acknowledger)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_acknowledge]))",
        },
        {
            content: "Start the timer",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_start]",
            run: "click",
        },
        {
            content: "The timer runs",
            trigger: ".o_form_view .alert-warning:contains(Timer running) .o_crm_action_timer[data-running=running]",
        },
        {
            content: "Pause it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_pause]",
            run: "click",
        },
        {
            content: "Resume it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_resume]",
            run: "click",
        },
        {
            content: "Stop it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_stop]",
            run: "click",
        },
        {
            content: "Stopped: it can be started again",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_start]",
        },
    ],
});
