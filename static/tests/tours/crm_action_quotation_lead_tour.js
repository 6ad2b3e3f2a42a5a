/** @odoo-module **/

import { registry } from "@web/core/registry";

// A salesperson of a team whose quotations follow an action sequence creates a
// quotation: once saved, the quotation shows the lead it spawned; the lead opens from
// there, names the quotation and holds the three actions of the sequence, planned.
// The Python test names the quotation TOURQ-007 (its ir.sequence) to check the names.
registry.category("web_tour.tours").add("crm_action_quotation_lead_tour", {
    steps: () => [
        {
            content: "Open Sales > Orders",
            trigger: ".o_main_navbar .o_menu_sections button[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open Quotations",
            trigger: ".o-dropdown--menu .dropdown-item[data-menu-xmlid='sale.menu_sale_quotations']",
            run: "click",
        },
        {
            content: "Create a new quotation",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Tour Ceramics",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Ceramics)",
            run: "click",
        },
        {
            content: "Add a product",
            trigger: ".o_field_widget[name=order_line] a:contains(Add a product)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=order_line] .o_selected_row [name=product_template_id] input",
            run: "edit Tour Tile Box",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Tile Box)",
            run: "click",
        },
        {
            content: "The line takes the product's price",
            trigger: ".o_field_widget[name=order_line] .o_selected_row [name=price_unit] input:value(120.00)",
        },
        {
            content: "No lead before the quotation is saved",
            trigger: ".o_form_view:not(:has(button[name=action_view_crm_action_leads]))",
        },
        {
            content: "Save the quotation",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the quotation has its number",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name=name]:contains(TOURQ-007)",
        },
        {
            content: "The quotation shows the lead it spawned",
            trigger: ".o_form_view button[name=action_view_crm_action_leads] .o_stat_value:contains(1)",
        },
        {
            content: "and the three actions planned about it",
            trigger: ".o_form_view button[name=action_view_crm_actions] .o_stat_value:contains(3)",
        },
        {
            content: "Open the spawned lead",
            trigger: ".o_form_view button[name=action_view_crm_action_leads]",
            run: "click",
        },
        {
            content: "The lead is named after the quotation and its customer",
            trigger: ".o_form_view .o_field_widget[name=name] textarea:value(Quotation TOURQ-007 - Tour Ceramics)",
        },
        {
            content: "The lead is the customer's",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Ceramics)",
        },
        {
            content: "The lead's Source button names the quotation",
            trigger: ".o_form_view button[name=action_open_crm_action_source]:contains(TOURQ-007)",
        },
        {
            content: "The lead's Actions button counts the three planned actions",
            trigger: ".o_form_view button[name=action_view_crm_actions] .o_stat_value:contains(3)",
        },
        {
            content: "Open the lead's actions",
            trigger: ".o_form_view button[name=action_view_crm_actions]",
            run: "click",
        },
        {
            content: "The call of the sequence is planned for the salesperson",
            trigger:
                ".o_list_view .o_data_row:has(.o_data_cell[name=name]:contains(Phone Call - TOURQ-007))" +
                ":has(.o_data_cell[name=type_id]:contains(Phone Call))" +
                ":has(.o_data_cell[name=user_id]:contains(Quinn Quote))" +
                ":has(.o_data_cell[name=state]:contains(Planned))",
        },
        {
            content: "then the offer",
            trigger:
                ".o_list_view .o_data_row:has(.o_data_cell[name=name]:contains(Offer Drafting - TOURQ-007))" +
                ":has(.o_data_cell[name=type_id]:contains(Offer Drafting))" +
                ":has(.o_data_cell[name=state]:contains(Planned))",
        },
        {
            content: "then the visit",
            trigger:
                ".o_list_view .o_data_row:has(.o_data_cell[name=name]:contains(Visit - TOURQ-007))" +
                ":has(.o_data_cell[name=type_id]:contains(Visit))" +
                ":has(.o_data_cell[name=state]:contains(Planned))",
        },
        {
            content: "and nothing else",
            trigger: ".o_list_view .o_list_table:not(:has(.o_data_row:nth-child(4)))",
        },
        {
            content: "The breadcrumb leads back to the quotation through the lead",
            trigger: ".o_breadcrumb .breadcrumb-item:contains(TOURQ-007)",
        },
    ],
});
