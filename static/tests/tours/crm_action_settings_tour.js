/** @odoo-module **/

import { registry } from "@web/core/registry";

// An admin opens Settings > CRM: the CRM Actions block is there, the default reminder
// interval is saved, and a "Configure" link opens the action types.
registry.category("web_tour.tours").add("crm_action_settings_tour", {
    steps: () => [
        {
            content: "The CRM Actions block is in the CRM settings",
            trigger: ".app_settings_block[data-key=crm] h2:contains(CRM Actions)",
        },
        {
            content: "The export row limit shows its default",
            trigger: "#crm_action_statistics_settings .o_field_widget[name=crm_action_export_row_limit] input",
        },
        {
            content: "The company's default sequences are there",
            trigger: "#crm_action_spawn_settings .o_field_widget[name=crm_action_quotation_sequence_id]",
        },
        {
            content: "The trigger switches show their active automation rules",
            trigger: "#crm_action_trigger_settings .o_field_widget[name=crm_action_trigger_order] input:checked",
        },
        {
            content: "Every feature is on",
            trigger: "#crm_action_expenses_settings .o_field_widget[name=group_crm_action_expenses] input:checked",
        },
        {
            content: "Change the default reminder interval",
            trigger: "#crm_action_reminder_settings .o_field_widget[name=crm_action_reminder_interval] input",
            run: "edit 45",
        },
        {
            content: "Save the settings (the page reloads)",
            trigger: ".o_form_button_save",
            async run(helpers) {
                document.body.classList.add("o_crm_action_settings_unsaved");
                await helpers.click();
            },
        },
        {
            content: "After the reload the interval is the saved one",
            trigger:
                "body:not(.o_crm_action_settings_unsaved) #crm_action_reminder_settings " +
                ".o_field_widget[name=crm_action_reminder_interval] input:value(45)",
        },
        {
            content: "Configure the action types",
            trigger: "#crm_action_register_settings button[name='crm_action.crm_action_type_action']",
            run: "click",
        },
        {
            content: "The action types open",
            trigger: ".o_list_view .o_data_row:contains(Phone Call)",
        },
    ],
});
