/** @odoo-module **/

import { registry } from "@web/core/registry";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { formPhoneField } from "@web/views/fields/phone/phone_field";

/**
 * The action's phone (seed 000 "Telefone"): typed as in any phone field, or picked among
 * the numbers of the partner, its company and the contact persons that the server lists
 * in ``phone_options`` ([{number, kind, name}], kind being "Phone" or "Mobile").
 */
export class CrmActionPhoneField extends formPhoneField.component {
    static template = "crm_action.PhoneField";
    // read when rendering, so that patches of the phone field (e.g. sms's button) apply
    // whatever the order in which the modules' assets load
    static get components() {
        return { ...super.components, Dropdown, DropdownItem };
    }

    get phoneOptions() {
        return this.props.record.data.phone_options || [];
    }

    optionLabel(option) {
        return `${option.kind}, ${option.name}`;
    }

    isCurrent(option) {
        return option.number === this.props.record.data[this.props.name];
    }

    async choose(option) {
        await this.props.record.update({ [this.props.name]: option.number });
    }
}

export const crmActionPhoneField = {
    ...formPhoneField,
    component: CrmActionPhoneField,
    fieldDependencies: [{ name: "phone_options", type: "json" }],
};

registry.category("fields").add("crm_action_phone", crmActionPhoneField);
