/** @odoo-module **/

import { registry } from "@web/core/registry";

// Overdue planned actions show red, those due today or tomorrow yellow,
// in the list, the kanban and the calendar.
registry.category("web_tour.tours").add("crm_action_due_colours", {
    steps: () => [
        {
            content: "List: the overdue action is red",
            trigger: ".o_list_view tr.o_data_row.text-danger:contains(Colour overdue call)",
        },
        {
            content: "List: the action due tomorrow is yellow",
            trigger: ".o_list_view tr.o_data_row.text-warning:contains(Colour soon call)",
        },
        {
            content: "List: the later action is neither",
            trigger:
                ".o_list_view tr.o_data_row:not(.text-danger):not(.text-warning):contains(Colour later call)",
        },
        {
            content: "List: select the planned action, its notes are then edited in place",
            trigger: ".o_list_view tr.o_data_row:contains(Colour later call) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_list_view tr.o_data_row.o_data_row_selected:contains(Colour later call) td[name=result_detail]",
            run: "click",
        },
        {
            trigger: ".o_list_view tr.o_selected_row .o_field_widget[name=result_detail] textarea",
            run: "edit Bring the samples",
        },
        {
            content: "Save the line",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            trigger: ".o_list_view tr.o_data_row:not(.o_selected_row):contains(Bring the samples)",
        },
        {
            content: "Switch to kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Kanban: the overdue card is highlighted red",
            trigger: ".o_kanban_record.o_kanban_color_1:contains(Colour overdue call)",
        },
        {
            content: "Kanban: the card due tomorrow is highlighted yellow",
            trigger: ".o_kanban_record.o_kanban_color_3:contains(Colour soon call)",
        },
        {
            content: "Switch to calendar",
            trigger: ".o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "Calendar: the overdue event is red",
            trigger: ".o_calendar_view .fc-event.o_calendar_color_1:contains(Colour overdue call)",
        },
        {
            content: "Calendar: the event due tomorrow is yellow",
            trigger: ".o_calendar_view .fc-event.o_calendar_color_3:contains(Colour soon call)",
        },
        {
            content: "Switch to pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Pivot: the table of actions renders",
            trigger: ".o_pivot table th:contains(Total)",
        },
        {
            content: "Switch to graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
    ],
});
