/** @odoo-module **/

import { Component, onMounted, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

/** hh:mm:ss of a number of seconds (hours beyond 99 keep all their digits). */
export function formatElapsed(seconds) {
    const total = Math.max(Math.floor(seconds), 0);
    const parts = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    return parts.map((part) => String(part).padStart(2, "0")).join(":");
}

/**
 * The time spent on an action, ticking every second while its timer runs (seed 003:
 * the time of a contact runs from opening its window until it is saved).
 *
 * Put on ``timer_opened_at``, the moment the form of a new action was opened; the form
 * also holds ``timer_start``, ``timer_state`` and ``duration``. It shows the duration
 * recorded so far plus the running time: since ``timer_start`` on a saved action, since
 * the opening on a new one (the server starts that timer when the action is created).
 * The time is read from the clock on every tick, so a sleeping laptop loses nothing.
 */
export class CrmActionTimerField extends Component {
    static template = "crm_action.TimerField";
    static props = standardFieldProps;

    setup() {
        this.state = useState({ now: DateTime.now() });
        onMounted(() => {
            this.interval = setInterval(() => {
                this.state.now = DateTime.now();
            }, 1000);
        });
        onWillUnmount(() => clearInterval(this.interval));
    }

    get since() {
        const { data, isNew } = this.props.record;
        if (data.timer_state !== "running") {
            return null;
        }
        return data.timer_start || (isNew && data[this.props.name]) || null;
    }

    get seconds() {
        const data = this.props.record.data;
        let seconds = (data.duration || 0) * 3600;
        if (this.since) {
            // the browser's clock may be a little behind the server's: never count back
            seconds += Math.max(this.state.now.diff(this.since, "seconds").seconds, 0);
        }
        return seconds;
    }

    get formatted() {
        return formatElapsed(this.seconds);
    }
}

export const crmActionTimerField = {
    component: CrmActionTimerField,
    supportedTypes: ["datetime"],
};

registry.category("fields").add("crm_action_timer", crmActionTimerField);
