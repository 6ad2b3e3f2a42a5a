/** @odoo-module **/

import { registry } from "@web/core/registry";

function assertNoHour(cell, what) {
    const text = cell.textContent.trim();
    if (!text || text.includes(":")) {
        throw new Error(`${what} should show a day without an hour, not "${text}"`);
    }
}

// An action for "some time that day" shows its day without an hour in the list and the
// kanban, and as an all-day event in the calendar; a timed action keeps its hour.
registry.category("web_tour.tours").add("crm_action_all_day", {
    steps: () => [
        {
            content: "List: the timed action shows its hour",
            trigger: ".o_list_view tr.o_data_row:contains(Timed showroom visit) td[name=date_start]:contains(10:00)",
        },
        {
            content: "List: the all-day action shows only its day",
            trigger: ".o_list_view tr.o_data_row:contains(All-day sample drop) td[name=date_start]",
            run() {
                assertNoHour(this.anchor, "The list's start");
            },
        },
        {
            content: "Switch to kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Kanban: the all-day card says so",
            trigger: ".o_kanban_record:contains(All-day sample drop) .badge:contains(All day)",
        },
        {
            trigger: ".o_kanban_record:contains(All-day sample drop) div[name=date_start]",
            run() {
                assertNoHour(this.anchor, "The card's start");
            },
        },
        {
            content: "Switch to calendar",
            trigger: ".o_switch_view.o_calendar",
            run: "click",
        },
        {
            content: "Calendar: the all-day action is in the day's all-day row",
            trigger: ".o_calendar_view .fc-daygrid-event:contains(All-day sample drop)",
        },
        {
            content: "Calendar: the timed action is in the hours",
            trigger: ".o_calendar_view .fc-timegrid-event:contains(Timed showroom visit)",
        },
    ],
});
