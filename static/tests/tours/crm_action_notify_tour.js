/** @odoo-module **/

import { registry } from "@web/core/registry";

// Notify from the action form (seed 000): the dialog suggests the people involved; the
// salesperson filters them, ticks the account, adds an address and sends.
registry.category("web_tour.tours").add("crm_action_notify", {
    steps: () => [
        {
            content: "Open the Notify dialog",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_notify_wizard]",
            run: "click",
        },
        {
            content: "The people involved are suggested, with their roles",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Ana Azure):contains(Contact Person)",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Sally Sales):contains(Responsible)",
        },
        {
            content: "Filter the suggestions",
            trigger: ".modal .o_field_widget[name=filter_text] input",
            run: "edit azure",
        },
        {
            trigger: ".modal .modal-title",
            run: "click",
        },
        {
            content: "Only the matching people are listed",
            trigger: ".modal .o_field_widget[name=line_ids]:not(:has(.o_data_row:contains(Sally Sales)))",
        },
        {
            content: "Tick the account",
            trigger: ".modal .o_data_row:contains(office@azure.example.com) .o_field_boolean_toggle input",
            run: "click",
        },
        {
            content: "The account is among the recipients",
            trigger: ".modal .o_field_widget[name=partner_ids] .o_tag:contains(Azure Tiles)",
        },
        {
            content: "Add an address",
            trigger: ".modal .o_field_widget[name=email_extra] input",
            run: "edit guest@example.com",
        },
        {
            trigger: ".modal .modal-title",
            run: "click",
        },
        {
            content: "Send",
            trigger: ".modal footer button[name=action_send]",
            run: "click",
        },
        {
            content: "The user is told the e-mail is queued",
            trigger: ".o_notification:contains(queued for)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
