/** @odoo-module **/

import { registry } from "@web/core/registry";

const TIMER = ".o_crm_action_timer";

// A salesperson logs a call from a customer as it happens: the timer counts from the
// opening of the form, the phone is picked among the customer's and its contact's
// numbers, and pausing saves the action with the time spent so far.
registry.category("web_tour.tours").add("crm_action_timer_phone", {
    steps: () => [
        {
            content: "Log an action from the partner form",
            trigger: ".o_form_view button[name=action_log_crm_action]",
            run: "click",
        },
        {
            content: "The new action's timer runs from the opening of the form",
            trigger: `.o_form_view .alert-warning:contains(Timer running) ${TIMER}[data-running=running]`,
            run() {
                window.crmActionTimerSeen = document.querySelector(TIMER).textContent;
            },
        },
        {
            content: "The counter ticks every second, before the action is saved",
            trigger: TIMER,
            async run() {
                const seen = window.crmActionTimerSeen;
                for (let wait = 0; wait < 30; wait++) {
                    const shown = document.querySelector(TIMER).textContent;
                    if (shown !== seen && /^\d{2}:\d{2}:\d{2}$/.test(shown)) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error(`The timer still shows ${seen} after 3 seconds`);
            },
        },
        {
            content: "Write the summary",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Call Jane about the tiles",
        },
        {
            content: "The phone is the contact's",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(+32 2 222 22 22)",
        },
        {
            content: "Open the numbers of the partner and its contacts",
            trigger: ".o_form_view .o_field_widget[name=phone] .o_crm_action_phone_options",
            run: "click",
        },
        {
            content: "Each number says whose it is",
            trigger: ".o_crm_action_phone_option:contains(+32 2 111 11 11):contains(Phone, Widget Tiles)",
        },
        {
            content: "Pick Jane's mobile",
            trigger: ".o_crm_action_phone_option:contains(+32 470 33 33 33):contains(Mobile, Jane Doe)",
            run: "click",
        },
        {
            content: "The phone is the number picked",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(+32 470 33 33 33)",
        },
        {
            content: "Pause the timer: the action is saved with the time spent",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_pause]",
            run: "click",
        },
        {
            content: "The timer is paused",
            trigger: ".o_form_view .alert-secondary:contains(Timer paused at)",
        },
        {
            content: "Resume is offered",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_timer_resume]",
        },
    ],
});
