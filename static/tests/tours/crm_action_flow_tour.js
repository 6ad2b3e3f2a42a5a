import { registry } from "@web/core/registry";

// Positive path of the seed's example: on an opportunity, register a visit of the
// campaign (its default result is Positive), then plan the offer the result asks for.
registry.category("web_tour.tours").add("crm_action_flow_tour", {
    steps: () => [
        {
            content: "Open the Register Action dialog from the opportunity",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Register Action)",
            run: "click",
        },
        {
            content: "The campaign's first action is proposed",
            trigger: ".modal .o_field_widget[name=type_id] input:value(Visit)",
        },
        {
            content: "with its default result",
            trigger: ".modal .o_field_widget[name=result_id] input:value(Positive)",
        },
        {
            content: "Register the visit",
            trigger: ".modal button[name=action_register]",
            run: "click",
        },
        {
            content: "The result asks for the next action: an offer",
            trigger: ".modal .o_field_widget[name=type_id] input:value(Offer Drafting)",
        },
        {
            content: "Describe the next action",
            trigger: ".modal .o_field_widget[name=objective] textarea",
            run: "edit Send the priced offer by Friday",
        },
        {
            content: "Plan it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Back on the opportunity",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button:contains(Register Action)",
        },
    ],
});
