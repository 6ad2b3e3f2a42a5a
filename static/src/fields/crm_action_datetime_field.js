import { registry } from "@web/core/registry";
import { formatDate } from "@web/views/fields/formatters";
import { DateTimeField, dateTimeField } from "@web/views/fields/datetime/datetime_field";

/**
 * The start of an action: its date and hour, or only its date when the action is for
 * "some time that day" (all_day), in lists, kanban cards and the form.
 */
export class CrmActionDateTimeField extends DateTimeField {
    getFormattedValue(valueIndex) {
        const value = this.values[valueIndex];
        if (value && this.props.record.data.all_day) {
            return formatDate(value, { condensed: this.props.condensed });
        }
        return super.getFormattedValue(valueIndex);
    }
}

export const crmActionDateTimeField = {
    ...dateTimeField,
    component: CrmActionDateTimeField,
    fieldDependencies: [{ name: "all_day", type: "boolean" }],
};

registry.category("fields").add("crm_action_datetime", crmActionDateTimeField);
