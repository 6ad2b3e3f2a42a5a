/** @odoo-module **/

import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

const XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FILENAME = "crm_actions_2026-03-01_2026-03-31.xlsx";

// The web client downloads the workbook with browser.location.assign(url) (an
// ir.actions.act_url, target "self"); the headless browser of the tests denies
// downloads. The tour catches that call, keeps the URL, and marks the body so that
// the next step waits for it; every other use of the location is left as it is.
let downloadUrl = null;
let restoreLocation = null;

function catchDownload() {
    const descriptor = Object.getOwnPropertyDescriptor(browser, "location");
    const location = new Proxy(
        {},
        {
            get(target, property) {
                if (property === "assign") {
                    return (url) => {
                        downloadUrl = String(url);
                        document.body.classList.add("o_crm_action_tour_downloaded");
                    };
                }
                const value = window.location[property];
                return typeof value === "function" ? value.bind(window.location) : value;
            },
        }
    );
    Object.defineProperty(browser, "location", {
        get: () => location,
        set: (value) => {
            window.location = value;
        },
        configurable: true,
    });
    restoreLocation = () => Object.defineProperty(browser, "location", descriptor);
}

// A salesperson opens CRM > CRM Actions > Statistics, chooses March 2026 and their team,
// and downloads the workbook: the browser asks for the XLSX file of that period. The
// same filters then show the actions of the period on screen.
registry.category("web_tour.tours").add("crm_action_statistics_download_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_main_navbar .o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open CRM",
            trigger: ".o-dropdown--menu .dropdown-item[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the CRM Actions menu",
            trigger: ".o_main_navbar .o_menu_sections button[data-menu-xmlid='crm_action.crm_action_menu_root']",
            run: "click",
        },
        {
            content: "Open Reporting > Statistics",
            trigger: ".o-dropdown--menu .dropdown-item[data-menu-xmlid='crm_action.crm_action_statistics_menu']",
            run: "click",
        },
        {
            content: "The statistics wizard opens",
            trigger: ".modal .modal-title:contains(Action Statistics)",
        },
        {
            content: "Its period starts on the first day of the current month",
            trigger: ".modal .o_field_widget[name=date_from] input:value(/^\\d\\d\\/01\\/\\d{4}$/)",
        },
        {
            content: "Choose the start of the period",
            trigger: ".modal .o_field_widget[name=date_from] input",
            run: "edit 03/01/2026 && press Enter",
        },
        {
            content: "Choose its end",
            trigger: ".modal .o_field_widget[name=date_to] input",
            run: "edit 03/31/2026 && press Enter",
        },
        {
            content: "Only the actions of the salesperson's team",
            trigger: ".modal .o_field_widget[name=team_ids] input",
            run: "edit Tour Statistics Team",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Statistics Team)",
            run: "click",
        },
        {
            content: "The team is a filter",
            trigger: ".modal .o_field_widget[name=team_ids] .o_tag:contains(Tour Statistics Team)",
        },
        {
            content: "The period is the one chosen",
            trigger: ".modal .o_field_widget[name=date_from] input:value(03/01/2026)",
        },
        {
            trigger: ".modal .o_field_widget[name=date_to] input:value(03/31/2026)",
        },
        {
            content: "Download the workbook",
            trigger: ".modal footer button[name=action_download_xlsx]:contains(Download XLSX)",
            async run(helpers) {
                catchDownload();
                await helpers.click();
            },
        },
        {
            content: "The browser asks for the file of the period",
            trigger: "body.o_crm_action_tour_downloaded .modal .modal-title:contains(Action Statistics)",
            async run() {
                restoreLocation();
                if (!/^\/web\/content\/\d+\?download=true$/.test(downloadUrl)) {
                    throw new Error(`The download went to an unexpected URL: ${downloadUrl}`);
                }
                const response = await browser.fetch(downloadUrl);
                if (response.status !== 200) {
                    throw new Error(`The download answered ${response.status}`);
                }
                const type = response.headers.get("Content-Type") || "";
                if (!type.startsWith(XLSX_MIMETYPE)) {
                    throw new Error(`The download is not an XLSX file: ${type}`);
                }
                const disposition = response.headers.get("Content-Disposition") || "";
                if (!disposition.startsWith("attachment") || !disposition.includes(FILENAME)) {
                    throw new Error(`The download is not the file ${FILENAME}: ${disposition}`);
                }
                const bytes = new Uint8Array(await response.arrayBuffer());
                // An XLSX file is a zip archive: it starts with "PK".
                if (bytes.length < 100 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
                    throw new Error(`The download is not a workbook (${bytes.length} bytes)`);
                }
            },
        },
        {
            content: "The wizard keeps the filters: show the same actions on screen",
            trigger: ".modal footer button[name=action_show]",
            run: "click",
        },
        {
            content: "The list is titled with the period",
            trigger: ".o_breadcrumb:contains(Actions from 03/01/2026 to 03/31/2026)",
        },
        {
            content: "The team's call of March is listed",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(Stats tour call)",
        },
        {
            content: "and its visit",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(Stats tour visit)",
        },
        {
            content: "but not the other team's action, nor April's",
            trigger:
                ".o_list_view .o_list_table:not(:has(.o_data_row:nth-child(3)))" +
                ":not(:contains(Stats tour other team)):not(:contains(Stats tour April))",
        },
    ],
});
