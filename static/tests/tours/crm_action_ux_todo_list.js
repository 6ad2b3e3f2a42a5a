/** @odoo-module **/

import { registry } from "@web/core/registry";

// My Actions as a to-do list: planned actions, what is due first on top; a row opens
// the action, New opens an empty form.
registry.category("web_tour.tours").add("crm_action_ux_todo_list", {
    steps: () => [
        {
            content: "The list opens on planned actions",
            trigger: ".o_searchview_facet:contains(Planned)",
        },
        {
            content: "The overdue action is first, the undated one last",
            trigger:
                ".o_list_view tbody tr.o_data_row:first-child:contains(UX overdue call)" +
                ":not(:contains(UX undated call))",
        },
        {
            trigger: ".o_list_view tbody tr.o_data_row:nth-child(3):contains(UX undated call)",
        },
        {
            content: "Clicking a row opens the action",
            trigger: ".o_list_view tr.o_data_row:contains(UX later call) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input:value(UX later call)",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            content: "New opens the form",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "An empty action form, not a new row",
            trigger: ".o_form_view .o_form_editable .o_field_widget[name=name] input",
        },
        {
            trigger: ".o_breadcrumb .active:contains(New)",
        },
    ],
});
