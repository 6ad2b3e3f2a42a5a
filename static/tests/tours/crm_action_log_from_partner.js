/** @odoo-module **/

import { registry } from "@web/core/registry";

// A salesperson opens a customer, logs a phone call from the "Log Action" button,
// records its result and marks it done: the status bar shows Done and the summary locks.
registry.category("web_tour.tours").add("crm_action_log_from_partner", {
    steps: () => [
        {
            content: "The partner form shows the actions smart button, empty so far",
            trigger: ".o_form_view button[name=action_view_crm_actions] .o_stat_value:contains(0)",
        },
        {
            content: "Log an action from the partner form",
            trigger: ".o_form_view button[name=action_log_crm_action]",
            run: "click",
        },
        {
            content: "The new action is on the partner, with its main contact",
            trigger: ".o_form_view .o_field_widget[name=contact_ids] .o_tag:contains(Tina Tour)",
        },
        {
            content: "The action starts planned",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Planned)",
        },
        {
            content: "Write the summary",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Call about the new tiles",
        },
        {
            content: "Choose the action type",
            trigger: ".o_form_view .o_field_widget[name=type_id] input",
            run: "edit Phone",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Phone Call)",
            run: "click",
        },
        {
            content: "Record the result",
            trigger: ".o_form_view .o_field_widget[name=result_id] input",
            run: "edit Positive",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Positive)",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_form_view .o_field_widget[name=result_detail] textarea",
            run: "edit Wants 200 m2 of blue tiles",
        },
        {
            content: "Mark the action done",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "The status bar shows Done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
        {
            content: "The done date is shown",
            trigger: ".o_form_view .o_field_widget[name=date_done]:contains(20)",
        },
        {
            content: "The summary is locked for a salesperson",
            trigger: ".o_form_view .o_field_widget[name=name]:not(:has(input)):contains(Call about the new tiles)",
        },
        {
            content: "Mark Done is gone",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_done]))",
        },
    ],
});
