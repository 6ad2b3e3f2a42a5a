import os
import tempfile
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import date_utils

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmActionStatistics(models.TransientModel):
    _name = "crm.action.statistics"
    _description = "CRM Action Statistics"

    # How many actions are read per query when writing the workbook: memory stays
    # flat whatever the size of the period.
    _export_batch_size = 2000

    # Period
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: date_utils.end_of(fields.Date.context_today(self), "month"),
    )

    # Optional filters; an empty filter means "all".
    user_ids = fields.Many2many(
        "res.users",
        "crm_action_statistics_user_rel",
        "statistics_id",
        "user_id",
        string="Responsible",
        domain="[('share', '=', False)]",
    )
    team_ids = fields.Many2many(
        "crm.team",
        "crm_action_statistics_team_rel",
        "statistics_id",
        "team_id",
        string="Sales Teams",
    )
    campaign_ids = fields.Many2many(
        "utm.campaign",
        "crm_action_statistics_campaign_rel",
        "statistics_id",
        "campaign_id",
        string="Campaigns",
    )
    type_ids = fields.Many2many(
        "crm.action.type",
        "crm_action_statistics_type_rel",
        "statistics_id",
        "type_id",
        string="Action Types",
    )
    result_ids = fields.Many2many(
        "crm.action.result",
        "crm_action_statistics_result_rel",
        "statistics_id",
        "result_id",
        string="Results",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "crm_action_statistics_partner_rel",
        "statistics_id",
        "partner_id",
        string="Partners",
        help="Actions of these partners and of their contacts.",
    )
    partner_class_ids = fields.Many2many(
        "res.partner.class",
        "crm_action_statistics_partner_class_rel",
        "statistics_id",
        "class_id",
        string="Partner Classes",
        help="Actions of partners now in these classes.",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        help="Leave empty for actions in any state.",
    )

    # ------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The period ends (%(date_to)s) before it starts (%(date_from)s): "
                        "set a 'To' date on or after the 'From' date.",
                        date_from=wizard.date_from,
                        date_to=wizard.date_to,
                    )
                )

    # ------------------------------------------------------------ buttons
    def action_show(self):
        """Open the list of actions of the period that match the filters."""
        self.ensure_one()
        self._check_period()
        return self.env["crm.action"]._action_open_actions(
            self._get_action_domain(),
            name=self.env._(
                "Actions from %(date_from)s to %(date_to)s",
                date_from=self.date_from,
                date_to=self.date_to,
            ),
            context={},
        )

    def action_download_xlsx(self):
        """Build the workbook and return an action that downloads it."""
        self.ensure_one()
        filename, content = self._export_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": content,
                "mimetype": XLSX_MIMETYPE,
                # Linked to the wizard, the file goes away with it.
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------ domain
    def _get_period_domain(self):
        """Actions starting in the period, the days taken in the user's time zone."""
        self.ensure_one()
        tz = self._get_tz()
        start = tz.localize(datetime.combine(self.date_from, time.min)).astimezone(pytz.utc)
        stop = tz.localize(datetime.combine(self.date_to + timedelta(days=1), time.min)).astimezone(pytz.utc)
        return [
            ("date_start", ">=", fields.Datetime.to_string(start.replace(tzinfo=None))),
            ("date_start", "<", fields.Datetime.to_string(stop.replace(tzinfo=None))),
        ]

    def _get_filter_domains(self):
        """Domains of the optional filters, one per filled-in filter.

        Extension point: a module adding a filter overrides this method and
        appends its own domain to the list returned by super().
        """
        self.ensure_one()
        domains = []
        if self.user_ids:
            domains.append([("user_id", "in", self.user_ids.ids)])
        if self.team_ids:
            domains.append([("team_id", "in", self.team_ids.ids)])
        if self.campaign_ids:
            domains.append([("campaign_id", "in", self.campaign_ids.ids)])
        if self.type_ids:
            domains.append([("type_id", "in", self.type_ids.ids)])
        if self.result_ids:
            domains.append([("result_id", "in", self.result_ids.ids)])
        if self.partner_ids:
            domains.append([("partner_id", "child_of", self.partner_ids.ids)])
        if self.partner_class_ids:
            domains.append([("commercial_partner_id.class_id", "in", self.partner_class_ids.ids)])
        if self.state:
            domains.append([("state", "=", self.state)])
        return domains

    def _get_action_domain(self):
        """The crm.action domain of the period and the filters."""
        self.ensure_one()
        return expression.AND([self._get_period_domain(), *self._get_filter_domains()])

    # ------------------------------------------------------------ export
    def _get_export_row_limit(self):
        # Settings > CRM > CRM Actions > Statistics Export (parameter crm_action.export_row_limit)
        return self.env["res.config.settings"]._crm_action_export_row_limit()

    def _get_export_columns(self):
        """Fields of crm.action written on the sheet Actions, with their column width.

        Extension point: a module adding fields (e.g. planned and actual costs)
        appends (field name, width) pairs to the list returned by super().
        """
        return [
            ("id", 8),
            ("date_start", 17),
            ("date_end", 17),
            ("name", 40),
            ("state", 11),
            ("type_id", 14),
            ("category_id", 18),
            ("priority", 10),
            ("partner_id", 30),
            ("commercial_partner_id", 30),
            ("contact_ids", 30),
            ("phone", 16),
            ("place", 20),
            ("lead_id", 30),
            ("campaign_id", 20),
            ("medium_id", 14),
            ("result_id", 16),
            ("result_outcome", 10),
            ("result_detail_id", 20),
            ("result_detail", 40),
            ("user_id", 20),
            ("requester_id", 20),
            ("team_id", 18),
            ("duration", 10),
            ("all_day", 10),
            ("date_deadline", 12),
            ("date_done", 17),
            ("analytic_account_id", 20),
            ("company_id", 20),
            ("expected_cost", 12),
            ("expected_currency_id", 10),
            ("actual_cost", 12),
            ("actual_currency_id", 10),
            ("expense_planned", 12),
            ("expense_actual", 12),
            ("expense_currency_id", 10),
        ]

    def _get_summary_aggregates(self):
        """Totals of the sheet Summary, as (_read_group aggregate, column title).

        Meeting costs are summed as entered: a company logging meetings in several
        currencies reads the per-action currencies on the sheet Actions.
        """
        return [
            ("duration:sum", self.env._("Duration (hours)")),
            ("expected_cost:sum", self.env._("Expected Meeting Cost")),
            ("actual_cost:sum", self.env._("Actual Meeting Cost")),
        ]

    def _get_summary_groupings(self):
        """Breakdowns of the sheet Summary, as (crm.action field, section title)."""
        return [
            ("result_outcome", self.env._("By Result Outcome")),
            ("type_id", self.env._("By Action Type")),
            ("user_id", self.env._("By Responsible")),
            ("campaign_id", self.env._("By Campaign")),
        ]

    def _get_export_filename(self):
        self.ensure_one()
        return self.env._(
            "crm_actions_%(date_from)s_%(date_to)s.xlsx",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _export_xlsx(self):
        """Write the workbook of the period; return (file name, content as bytes).

        Reads only what the current user may read (the ORM applies the record rules)
        and refuses, before writing anything, a period with more actions than the
        system parameter crm_action.export_row_limit allows.
        """
        self.ensure_one()
        self._check_period()
        domain = self._get_action_domain()
        actions = self.env["crm.action"]
        count = actions.search_count(domain)
        limit = self._get_export_row_limit()
        if count > limit:
            raise UserError(
                self.env._(
                    "The period holds %(count)s actions, more than the %(limit)s rows an export may have. "
                    "Choose a shorter period or more filters (the limit is set in Settings > CRM > "
                    "CRM Actions > Statistics Export).",
                    count=count,
                    limit=limit,
                )
            )
        # constant_memory streams each row to a temporary file; it does not work with
        # in_memory, so the workbook is written to a private temporary directory.
        with tempfile.TemporaryDirectory(prefix="crm_action_xlsx_") as tmpdir:
            path = os.path.join(tmpdir, "export.xlsx")
            workbook = xlsxwriter.Workbook(
                path,
                {"constant_memory": True, "tmpdir": tmpdir},
            )
            styles = self._xlsx_styles(workbook)
            self._write_actions_sheet(workbook, styles, domain)
            self._write_summary_sheet(workbook, styles, domain, count)
            workbook.close()
            with open(path, "rb") as xlsx_file:
                content = xlsx_file.read()
        return self._get_export_filename(), content

    # ------------------------------------------------------------ workbook helpers
    def _get_tz(self):
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _xlsx_styles(self, workbook):
        return {
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "title": workbook.add_format({"bold": True, "font_size": 12}),
            "bold": workbook.add_format({"bold": True}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "float": workbook.add_format({"num_format": "#,##0.00"}),
            "float_bold": workbook.add_format({"num_format": "#,##0.00", "bold": True}),
            "integer": workbook.add_format({"num_format": "0"}),
        }

    def _write_actions_sheet(self, workbook, styles, domain):
        Action = self.env["crm.action"]
        sheet = workbook.add_worksheet(self.env._("Actions"))
        columns = [(Action._fields[fname], width) for fname, width in self._get_export_columns()]
        for col, (field, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, field._description_string(self.env), styles["header"])
        sheet.freeze_panes(1, 0)

        tz = self._get_tz()
        selections = {
            field.name: dict(field._description_selection(self.env))
            for field, _width in columns
            if field.type == "selection"
        }
        fnames = [field.name for field, _width in columns if field.name != "id"]
        ids = Action._search(domain, order="date_start, id").get_result_ids()
        row = 0
        for start in range(0, len(ids), self._export_batch_size):
            batch = Action.browse(ids[start : start + self._export_batch_size])
            values_list = batch.read(fnames)
            # Names of the contact persons of the whole batch in one query; shown
            # like read() shows many2one values, whatever the partner's own rules.
            contact_ids = {pid for vals in values_list for pid in vals.get("contact_ids") or ()}
            contact_names = {
                partner.id: partner.display_name
                for partner in self.env["res.partner"].sudo().browse(contact_ids).with_context(active_test=False)
            }
            for vals in values_list:
                row += 1
                for col, (field, _width) in enumerate(columns):
                    self._write_cell(sheet, row, col, field, vals[field.name], styles, tz, selections, contact_names)
            # Forget what was read: memory stays that of one batch.
            self.env.invalidate_all()
        last_col = len(columns) - 1
        sheet.autofilter(0, 0, row, last_col)
        return row

    def _write_cell(self, sheet, row, col, field, value, styles, tz, selections, names):
        ftype = field.type
        if ftype == "boolean":
            sheet.write_boolean(row, col, bool(value))
        elif value is False or value is None or value == "":
            return
        elif ftype == "datetime":
            local = pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)
            sheet.write_datetime(row, col, local, styles["datetime"])
        elif ftype == "date":
            sheet.write_datetime(row, col, datetime.combine(value, time.min), styles["date"])
        elif ftype in ("float", "monetary"):
            sheet.write_number(row, col, value, styles["float"])
        elif ftype == "integer":
            sheet.write_number(row, col, value, styles["integer"])
        elif ftype == "selection":
            sheet.write_string(row, col, str(selections[field.name].get(value, value)))
        elif ftype == "many2one":
            sheet.write_string(row, col, value[1] or "")
        elif ftype in ("many2many", "one2many"):
            sheet.write_string(row, col, ", ".join(names.get(rid, str(rid)) for rid in value))
        else:
            # write_string, never write(): a text starting with '=' stays text.
            sheet.write_string(row, col, str(value))

    def _write_summary_sheet(self, workbook, styles, domain, count):
        Action = self.env["crm.action"]
        sheet = workbook.add_worksheet(self.env._("Summary"))
        aggregates = self._get_summary_aggregates()
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1 + len(aggregates), 16)

        sheet.write_string(0, 0, self.env._("CRM Action Statistics"), styles["title"])
        sheet.write_string(1, 0, self.env._("From"), styles["bold"])
        sheet.write_datetime(1, 1, datetime.combine(self.date_from, time.min), styles["date"])
        sheet.write_string(2, 0, self.env._("To"), styles["bold"])
        sheet.write_datetime(2, 1, datetime.combine(self.date_to, time.min), styles["date"])
        sheet.write_string(3, 0, self.env._("Actions"), styles["bold"])
        sheet.write_number(3, 1, count, styles["integer"])
        totals = Action._read_group(domain, [], [agg for agg, _title in aggregates])[0]
        row = 4
        for (_agg, title), total in zip(aggregates, totals, strict=True):
            sheet.write_string(row, 0, title, styles["bold"])
            sheet.write_number(row, 1, total or 0.0, styles["float"])
            row += 1

        for fname, section in self._get_summary_groupings():
            row += 1
            sheet.write_string(row, 0, section, styles["title"])
            row += 1
            field = Action._fields[fname]
            headers = [field._description_string(self.env), self.env._("Actions")]
            headers += [title for _agg, title in aggregates]
            for col, header in enumerate(headers):
                sheet.write_string(row, col, header, styles["header"])
            groups = Action._read_group(
                domain, [fname], ["__count", *(agg for agg, _title in aggregates)], order=f"{fname} asc"
            )
            labels = dict(field._description_selection(self.env)) if field.type == "selection" else {}
            for group_value, group_count, *group_totals in groups:
                row += 1
                if field.type == "many2one":
                    label = group_value.sudo().display_name if group_value else ""
                else:
                    label = labels.get(group_value, group_value) or ""
                sheet.write_string(row, 0, label or self.env._("None"))
                sheet.write_number(row, 1, group_count, styles["integer"])
                for col, total in enumerate(group_totals, start=2):
                    sheet.write_number(row, col, total or 0.0, styles["float"])
            row += 1
            sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
            sheet.write_number(row, 1, count, styles["integer"])
            for col, total in enumerate(totals, start=2):
                sheet.write_number(row, col, total or 0.0, styles["float_bold"])
            row += 1
