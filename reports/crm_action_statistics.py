import os
import tempfile
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from itertools import repeat

import psycopg2
import pytz
import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, date_utils, float_round
from odoo.tools.misc import format_date

from .xlsx_rows import BOOLEAN, DATETIME, NUMBER, STRING, RowWriter, repack_with_rows

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Field types the export query reads from the table; other columns go through the ORM.
SQL_COLUMN_TYPES = {
    "boolean",
    "integer",
    "float",
    "monetary",
    "char",
    "text",
    "html",
    "selection",
    "date",
    "datetime",
    "many2one",
}


# Period presets: (first day, last day) around today, and the options of the list's
# "Start" date filter that show the same period as a facet.
PERIOD_PRESETS = [
    ("this_month", "This Month"),
    ("last_month", "Last Month"),
    ("this_quarter", "This Quarter"),
    ("this_year", "This Year"),
    ("custom", "Custom"),
]
QUARTER_FILTER_OPTIONS = {1: "first_quarter", 2: "second_quarter", 3: "third_quarter", 4: "fourth_quarter"}


def _preset_dates(preset, today):
    if preset == "this_month":
        return date_utils.start_of(today, "month"), date_utils.end_of(today, "month")
    if preset == "last_month":
        last_month = date_utils.subtract(today, months=1)
        return date_utils.start_of(last_month, "month"), date_utils.end_of(last_month, "month")
    if preset == "this_quarter":
        return date_utils.start_of(today, "quarter"), date_utils.end_of(today, "quarter")
    if preset == "this_year":
        return date_utils.start_of(today, "year"), date_utils.end_of(today, "year")
    return None


def _preset_filter_options(preset, today):
    """Options of the search view's date filter (its generator ids) for ``preset``."""
    if preset == "this_month":
        return "month"
    if preset == "last_month":
        return "month-1"
    if preset == "this_quarter":
        return f"{QUARTER_FILTER_OPTIONS[(today.month - 1) // 3 + 1]},year"
    if preset == "this_year":
        return "year"
    return None


# Rows the database renders as XML (see _export_sql_plan) carry this character where
# the row number goes; Python puts the number in. A text holding it is written by
# xlsxwriter (a control character), so it is never in a rendered row otherwise.
ROW_MARK = "\x01"
# A cell Python renders (a display name) that xlsxwriter must write: the row goes to
# Python. NUL is in no text of the database.
SLOW_CELL = "\x00"
# What RowWriter leaves to xlsxwriter in a text (control characters, _xHHHH_ sequences,
# the two non-characters, a text looking like a rich string): the query sends such rows
# to Python. It looks at the texts of a row joined by newlines, at the cost of a few
# rows sent to Python for nothing. NUL cannot be in a text.
SQL_SPECIAL_TEXT = "[\x01-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|(^|\n)<r>.*</r>(\n|$)"
# The characters Python's \s matches: RowWriter keeps the leading or trailing ones with
# xml:space="preserve", the query does the same.
SQL_WHITESPACE = "".join(chr(code) for code in range(1, 0x3001) if chr(code).isspace())
# Longest text the query renders (RowWriter's limit, see xlsx_rows._STRING_FAST_MAX).
SQL_TEXT_MAX = 16383


def _sql_xml_text(expression_):
    """SQL: the text escaped as RowWriter escapes it in an inline string."""
    return SQL("replace(replace(replace(%s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')", expression_)


def _convert_boolean(value, _cache):
    return bool(value)


def _convert_integer(value, _cache):
    return value or 0


def _convert_float(value, _cache):
    return float(value or 0.0)


def _convert_text(value, _cache):
    return value or None


def _convert_many2one(value, cache):
    return None if value is None else cache[value]


class CrmActionStatistics(models.TransientModel):
    _name = "crm.action.statistics"
    _description = "CRM Action Statistics"

    # How many actions are read per query when writing the workbook: memory stays
    # flat whatever the size of the period.
    _export_batch_size = 2000
    # The same when the database renders the rows (_export_action_xml_rows): a row is
    # then one text, and each batch costs queries of its own (names, many2many).
    _export_xml_batch_size = 5000
    # Display names of related records kept between batches, per model; the cache is
    # emptied when it would grow beyond this size.
    _export_name_cache_size = 20000

    # Period: a preset fills in the dates; dates typed by hand make it a custom period
    period = fields.Selection(
        PERIOD_PRESETS,
        required=True,
        default="this_month",
    )
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

    # ------------------------------------------------------------ onchanges
    @api.onchange("period")
    def _onchange_period(self):
        for wizard in self:
            dates = _preset_dates(wizard.period, fields.Date.context_today(wizard))
            if dates:
                wizard.date_from, wizard.date_to = dates

    @api.onchange("date_from", "date_to")
    def _onchange_period_dates(self):
        for wizard in self:
            wizard.period = wizard._get_period_preset()

    def _get_period_preset(self):
        """The preset whose dates are the wizard's, or ``custom``."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        for preset, _label in PERIOD_PRESETS:
            if _preset_dates(preset, today) == (self.date_from, self.date_to):
                return preset
        return "custom"

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
        domain, context = self._get_action_domain(), {}
        # A preset period is shown as the list's "Start" filter, which the user sees and
        # can change; a custom one stays in the action's domain (the title names it).
        options = _preset_filter_options(self._get_period_preset(), fields.Date.context_today(self))
        if options:
            domain = expression.AND([[], *self._get_filter_domains()])
            context["search_default_filter_date_start"] = options
        return self.env["crm.action"]._action_open_actions(
            domain,
            name=self.env._(
                "Actions from %(date_from)s to %(date_to)s",
                date_from=format_date(self.env, self.date_from),
                date_to=format_date(self.env, self.date_to),
            ),
            context=context,
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
                # Linked to the wizard, the file goes away with it, and only who may read
                # the wizard (its maker, managers: security/crm_action_report_security.xml)
                # may read the file; never public.
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
            with self._export_without_jit():
                writer = self._write_actions_sheet(workbook, styles, domain)
                # The rows of the sheet Actions are put in the file apart, deflated
                # faster than xlsxwriter would (see RowWriter.detach_rows).
                rows_path = os.path.join(tmpdir, "actions_rows.xml")
                detached = writer.detach_rows(rows_path)
                self._write_summary_sheet(workbook, styles, domain, count)
            workbook.close()
            if detached:
                packed_path = os.path.join(tmpdir, "export_packed.xlsx")
                repack_with_rows(path, packed_path, writer.sheet, rows_path)
                path = packed_path
            with open(path, "rb") as xlsx_file:
                content = xlsx_file.read()
        return self._get_export_filename(), content

    @contextmanager
    def _export_without_jit(self):
        """PostgreSQL's JIT compilation off while the export queries run: the query of
        the rows (a long list of expressions) would be compiled for seconds, longer than
        it runs, and the summary's aggregates over many rows for a second each."""
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit')")
        jit = cr.fetchone()[0]
        cr.execute("SET LOCAL jit = off")
        yield
        # Not after an error: the transaction may be aborted (and SET LOCAL ends with it).
        cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))

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

        fields_ = [field for field, _width in columns]
        kinds, formats = zip(*(self._export_cell_kind(field, styles) for field in fields_), strict=True)
        writer = RowWriter(sheet, kinds, formats)
        row = 0
        if writer.fast:
            for xmls, values in self._export_action_xml_rows(fields_, domain, writer):
                writer.write_xml_rows(row + 1, xmls, values)
                row += len(xmls)
        else:
            for values in self._export_action_rows(fields_, domain):
                row += 1
                writer.write_row(row, values)
        writer.close()
        last_col = len(columns) - 1
        sheet.autofilter(0, 0, row, last_col)
        return writer

    @api.model
    def _export_cell_kind(self, field, styles):
        """How the cells of a column are written: (kind, xlsxwriter format)."""
        if field.type == "boolean":
            return BOOLEAN, None
        if field.type == "datetime":
            return DATETIME, styles["datetime"]
        if field.type == "date":
            return DATETIME, styles["date"]
        if field.type in ("float", "monetary"):
            return NUMBER, styles["float"]
        if field.type == "integer":
            return NUMBER, styles["integer"]
        # Texts, selections and the names of related records; write_string keeps a
        # text starting with '=' a text.
        return STRING, None

    # ------------------------------------------------------------ export rows
    def _export_query(self, fields_, domain):
        """The query of the actions the user may read in ``domain``, in the order of the
        period, after checking they may read ``fields_``; with the time zone of the cells
        and its name for PostgreSQL (None when Python converts)."""
        Action = self.env["crm.action"]
        Action.check_field_access_rights("read", [field.name for field in fields_])
        # The queries read the tables: what the ORM still holds goes there first.
        self.env.flush_all()
        tz = self._get_tz()
        return Action._search(domain, order="date_start, id"), tz, self._export_sql_timezone(tz)

    def _export_action_rows(self, fields_, domain):
        """The cell values of the sheet Actions, a list per action, in the order of the
        period (start, then id); None for an empty cell.

        One query reads the stored columns (and the related ones reached through
        many2ones) of the actions the current user may read: the ORM's own query, with
        its record rules, streamed through a server-side cursor in batches of
        _export_batch_size, so memory stays that of one batch. Many2one values are shown
        by the display name of the record (as read() shows them, whatever the record
        rules of the related model), many-to-many values by the names joined; columns
        that are not in the table (computed fields) are read through the ORM per batch.
        """
        Action = self.env["crm.action"]
        query, tz, sql_tz = self._export_query(fields_, domain)
        selects = [SQL.identifier(Action._table, "id")]
        plan = []  # per column: (index in the row of values, converter or None)
        many2one_keys = {}  # index in the row: key of the name cache
        many2many_fields = []
        orm_fields = []
        for field in fields_:
            if self._export_in_sql(field):
                expression_ = Action._field_to_sql(Action._table, field.name, query)
                if field.type == "datetime" and sql_tz:
                    expression_ = SQL("timezone(%s, timezone('UTC', %s))", sql_tz, expression_)
                selects.append(expression_)
                index = len(selects) - 1
                if field.type == "many2one":
                    many2one_keys[index] = (field.comodel_name, "many2one")
                plan.append((index, self._export_converter(field, tz, sql_tz)))
            elif field.type == "many2many" and field.store:
                many2many_fields.append(field)
                plan.append((("many2many", field.name), None))
            else:
                orm_fields.append(field)
                plan.append((("orm", field.name), None))
        extras = [("many2many", field.name) for field in many2many_fields]
        extras += [("orm", field.name) for field in orm_fields]
        width = len(selects)
        plan = [(width + extras.index(index) if isinstance(index, tuple) else index, conv) for index, conv in plan]

        names = {}  # name cache: {(model, kind): {id: display name}}
        cr = self.env.cr
        cursor_name = SQL.identifier(f"crm_action_export_{uuid.uuid4().hex[:16]}")
        sql = query.select(*selects)
        self.env.flush_query(sql)
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor_name, sql))
        while True:
            cr.execute(SQL("FETCH FORWARD %s FROM %s", self._export_batch_size, cursor_name))
            rows = cr.fetchall()
            if not rows:
                break
            ids = [row[0] for row in rows]
            wanted = defaultdict(set)  # {name cache key: ids}
            for index, key in many2one_keys.items():
                wanted[key].update(row[index] for row in rows)
            for key, record_ids in wanted.items():
                record_ids.discard(None)
                self._export_fill_names(names.setdefault(key, {}), key[0], record_ids)
            if extras:
                extra_values = [self._export_many2many_names(field, ids, names) for field in many2many_fields]
                extra_values += self._export_orm_values(orm_fields, ids, tz)
                rows = [row + tuple(column[i] for column in extra_values) for i, row in enumerate(rows)]
            converters = [
                (index, conv, names[many2one_keys[index]] if index in many2one_keys else None) for index, conv in plan
            ]
            for row in rows:
                yield [row[index] if conv is None else conv(row[index], cache) for index, conv, cache in converters]
            # Forget what the ORM read for the names: memory stays that of one batch.
            self.env.invalidate_all()
        cr.execute(SQL("CLOSE %s", cursor_name))

    def _export_action_xml_rows(self, fields_, domain, writer):
        """The rows of the sheet Actions as _export_action_rows() gives them, a batch
        at a time, as pairs (xmls, values) for RowWriter.write_xml_rows(): ``xmls`` holds
        per row its <row> element as RowWriter.write_row() would write it, or None for a
        row the database does not render (see _export_sql_plan), whose cell values are
        the next list of ``values``.

        At 100 microseconds a row, converting each value in Python then writing it cell
        by cell cost most of a large export. Here the query renders the cells itself, as
        one text per run of columns, in PostgreSQL's process; Python adds only the
        display names of the related records (as _export_action_rows computes them) and
        joins. Rows holding what RowWriter leaves to xlsxwriter (control characters,
        very long texts, dates before March 1900...) or values only the ORM computes are
        read again through _export_action_rows() and written value by value.
        """
        query, tz, sql_tz = self._export_query(fields_, domain)
        plan = self._export_sql_plan(fields_, writer, query, tz, sql_tz)
        if plan is None:
            for values in self._export_action_rows(fields_, domain):
                yield [None], [values]
            return
        selects, python_columns = plan
        names = {}  # name cache, as in _export_action_rows: {(model, kind): {id: name}}
        # {index in the row: {key: cell}}; a many2one without record has no cell
        cells = {index: {None: ""} for index, _column in python_columns}
        cr = self.env.cr
        cursor_name = SQL.identifier(f"crm_action_export_{uuid.uuid4().hex[:16]}")
        sql = query.select(*selects)
        self.env.flush_query(sql)
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor_name, sql))
        number = 2  # of the first row, after the header
        for rows in self._export_fetch_ahead(cursor_name):
            ids = [row[0] for row in rows]
            for index, (col, (kind, field)) in python_columns:
                if kind == "many2many":
                    # The action's own names: computed for each batch.
                    related_ids = [row[index] for row in rows if row[index]]
                    joined = self._export_many2many_names(field, related_ids, names) if related_ids else []
                    values = dict(zip(related_ids, joined, strict=True))
                    values[0] = ""
                    cells[index] = self._export_python_cells(writer, col, values)
            slow_cells = any(SLOW_CELL in column_cells.values() for column_cells in cells.values())
            try:
                xmls = self._export_join_cells(rows, cells, number, slow_cells)
            except KeyError:
                # Related records not named yet: name those of the batch, then again.
                for index, (col, (kind, field)) in python_columns:
                    if kind == "many2one":
                        self._export_fill_cells(cells[index], writer, col, field, {row[index] for row in rows}, names)
                slow_cells = any(SLOW_CELL in column_cells.values() for column_cells in cells.values())
                xmls = self._export_join_cells(rows, cells, number, slow_cells)
            number += len(rows)
            slow_ids = [action_id for action_id, xml in zip(ids, xmls, strict=True) if xml is None]
            slow_values = list(self._export_action_rows(fields_, [("id", "in", slow_ids)])) if slow_ids else []
            yield xmls, slow_values
            # Forget what the ORM read for the names: memory stays that of one batch.
            self.env.invalidate_all()
        cr.execute(SQL("CLOSE %s", cursor_name))

    def _export_fetch_ahead(self, cursor_name):
        """The batches of the server-side cursor ``cursor_name``, each fetched while
        the previous one is being written.

        PostgreSQL renders a batch in about the time Python takes to write one: the
        next batch is fetched by a thread, through a cursor of its own on the
        transaction's connection (psycopg2 serializes the queries of one connection;
        the thread runs only the FETCH and the main thread goes on with the names).
        Without access to the connection, batches are fetched one after the other."""
        fetch = SQL("FETCH FORWARD %s FROM %s", self._export_xml_batch_size, cursor_name)
        connection = getattr(self.env.cr, "_cnx", None)
        if connection is None:
            while rows := self.env.execute_query(fetch):
                yield rows
            return

        def fetch_batch(cursor):
            cursor.execute(fetch.code, fetch.params)
            return cursor.fetchall()

        with connection.cursor() as cursor, ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(fetch_batch, cursor)
            while rows := pending.result():
                pending = pool.submit(fetch_batch, cursor)
                yield rows

    @staticmethod
    def _export_join_cells(rows, cells, first_number, slow_cells):
        """The XML of each row of the batch (see _export_sql_plan), numbered from
        ``first_number`` on, None for a row Python writes; KeyError when a cell of
        ``cells`` is missing. ``slow_cells``: whether some cell is SLOW_CELL.

        Column by column rather than row by row: a million rows of some thirty
        pieces each, joined by Python's loops in C."""
        columns = list(zip(*rows, strict=True))
        parts = [columns[2]]
        for index, column_cells in cells.items():
            parts.append(list(map(column_cells.__getitem__, columns[index])))
            parts.append(columns[index + 1])
        xmls = map("".join, zip(*parts, strict=True))
        numbers = map(str, range(first_number, first_number + len(rows)))
        xmls = list(map(str.replace, xmls, repeat(ROW_MARK), numbers))
        if slow_cells or any(columns[1]):
            for position, (xml, slow) in enumerate(zip(xmls, columns[1], strict=True)):
                if slow or SLOW_CELL in xml:
                    xmls[position] = None
        return xmls

    def _export_fill_cells(self, cells, writer, col, field, ids, names):
        """Put in ``cells`` ({id: cell}) the cells of the many2one ``field`` in column
        ``col`` for the records ``ids`` it lacks; emptied beyond the name cache's size."""
        ids.discard(None)
        missing = ids - cells.keys()
        if len(cells) + len(missing) > self._export_name_cache_size:
            cells.clear()
            cells[None] = ""  # no related record: no cell
            missing = ids
        cache = names.setdefault((field.comodel_name, "many2one"), {})
        self._export_fill_names(cache, field.comodel_name, missing)
        cells.update(self._export_python_cells(writer, col, {key: cache[key] for key in missing}))

    @staticmethod
    def _export_python_cells(writer, col, values):
        """{key: cell XML of the text ``values[key]`` in column ``col``, or SLOW_CELL
        when xlsxwriter must write it}."""
        ref = f'<c r="{writer.letters[col]}{ROW_MARK}"'
        cells = {}
        for key, value in values.items():
            end = writer.cell_end(col, value)
            cells[key] = SLOW_CELL if end is None else ref + end
        return cells

    def _export_sql_plan(self, fields_, writer, query, tz, sql_tz):
        """What the query of _export_action_xml_rows selects, or None when it cannot
        render the rows (then _export_action_rows gives every row).

        Returns (selects, python columns): the selects are the action's id, whether the
        row goes through Python (a boolean), then texts of rendered cells alternating
        with the keys of the cells Python renders (a many2one's id for its display
        name, the action's id for a many2many); the python columns are, per key, (its
        index among the selects, (column, (kind, field))).
        """
        Action = self.env["crm.action"]
        if tz.zone not in ("UTC", "Etc/UTC") and not sql_tz:
            return None
        table_id = SQL.identifier(Action._table, "id")
        texts = [[]]  # SQL texts of the rendered cells, one list per run of columns
        keys = []  # SQL keys of the cells Python renders, between the runs
        python_columns = []
        slow = []  # conditions sending the row to Python
        checked_texts = []  # texts Python would escape in a way the query does not
        for col, field in enumerate(fields_):
            # The cell's reference; RowWriter.cell_end() gives what follows it (the style
            # included), the cells rendered by the query add the style themselves.
            bare_ref = f'<c r="{writer.letters[col]}{ROW_MARK}"'
            ref = bare_ref + writer.style_attribute(col)
            if self._export_in_sql(field):
                expression_ = Action._field_to_sql(Action._table, field.name, query)
                if field.type == "datetime" and sql_tz:
                    expression_ = SQL("timezone(%s, timezone('UTC', %s))", sql_tz, expression_)
                if field.type == "many2one":
                    python_columns.append((col, ("many2one", field)))
                    keys.append(expression_)
                    texts.append([])
                    continue
                cell = self._export_sql_cell(field, expression_, bare_ref, ref, writer, col, slow, checked_texts)
                if cell is None:
                    return None
                texts[-1].append(cell)
            elif field.type == "many2many" and field.store:
                # Python names the related records of the actions that have some; the
                # others (key 0) get the empty cell _export_action_rows writes for them.
                python_columns.append((col, ("many2many", field)))
                keys.append(
                    SQL(
                        "CASE WHEN EXISTS(SELECT 1 FROM %s WHERE %s = %s) THEN %s ELSE 0 END",
                        SQL.identifier(field.relation),
                        SQL.identifier(field.relation, field.column1),
                        table_id,
                        table_id,
                    )
                )
                texts.append([])
            else:
                condition = self._export_orm_sql_condition(field, table_id)
                if condition is None:
                    return None
                slow.append(condition)
                value = self._export_read_value(field, self._export_orm_missing_value(field), tz, {})
                if value is not None:
                    end = writer.cell_end(col, value)
                    if end is None:
                        return None
                    texts[-1].append(SQL("%s", bare_ref + end))
        if checked_texts:
            # One match per row; the newline keeps a sequence from spanning two texts.
            # Texts longer than RowWriter writes itself: their whole, to be cheap.
            joined = SQL("concat_ws(%s, %s)", "\n", SQL(", ").join(checked_texts))
            slow.append(SQL("%s ~ %s OR octet_length(%s) > %s", joined, SQL_SPECIAL_TEXT, joined, SQL_TEXT_MAX))
        texts[0].insert(0, SQL("%s", f'<row r="{ROW_MARK}">'))
        texts[-1].append(SQL("%s", "</row>"))
        selects = [
            table_id,
            SQL("COALESCE(%s, FALSE)", SQL(" OR ").join(slow)) if slow else SQL("FALSE"),
        ]
        indexed = []
        for position, run in enumerate(texts):
            if position:
                indexed.append((len(selects), python_columns[position - 1]))
                selects.append(keys[position - 1])
            selects.append(SQL("concat(%s)", SQL(", ").join(run)) if run else SQL("''"))
        return selects, indexed

    def _export_sql_cell(self, field, expression_, bare_ref, ref, writer, col, slow, checked_texts):
        """SQL giving the cell of the column as RowWriter writes it (NULL for no cell),
        or None when the query cannot render the column. Appends to ``slow`` the
        conditions under which Python must write the row, and to ``checked_texts`` the
        texts to look for characters xlsxwriter escapes."""
        ftype = field.type
        if ftype == "boolean":
            return SQL(
                "CASE WHEN %s THEN %s ELSE %s END",
                expression_,
                f'{ref} t="b"><v>1</v></c>',
                f'{ref} t="b"><v>0</v></c>',
            )
        if ftype in ("integer", "float", "monetary"):
            if ftype == "integer":
                number = SQL("COALESCE(%s, 0)", expression_)
            else:
                number = SQL("COALESCE(%s, 0)::float8", expression_)
                digits = field.get_digits(self.env) if ftype == "float" else None
                if digits:
                    # float_round() of _export_converter, on the stored value
                    number = SQL("round(%s::numeric, %s)::float8", number, digits[1])
                slow.append(SQL("COALESCE(%s, 0)::float8 IN ('NaN', 'Infinity', '-Infinity')", expression_))
            return SQL("concat(%s, %s, '</v></c>')", f"{ref}><v>", number)
        if ftype in ("date", "datetime"):
            # The Excel serial number as RowWriter computes it: days since 1899-12-31,
            # plus one for Excel's 29 February 1900; earlier dates go through xlsxwriter.
            if ftype == "date":
                number = SQL("(%s - DATE '1899-12-31') + 1", expression_)
            else:
                number = SQL(
                    "(%s::date - DATE '1899-12-31') + date_part('epoch', %s::time) / 86400 + 1",
                    expression_,
                    expression_,
                )
            slow.append(SQL("%s < DATE '1900-03-01'", expression_))
            return SQL(
                "CASE WHEN %s IS NOT NULL THEN concat(%s, %s, '</v></c>') END", expression_, f"{ref}><v>", number
            )
        if ftype == "selection":
            labels = dict(field._description_selection(self.env))
            cases = []
            for value, label in labels.items():
                end = writer.cell_end(col, str(label))
                if end is None:
                    return None
                cases.append(SQL("WHEN %s = %s THEN %s", expression_, value, bare_ref + end))
            # A value without label is shown as it is, like a text.
            other = self._export_sql_text_cell(expression_, ref, slow, checked_texts)
            return SQL(
                "CASE WHEN %s IS NULL OR %s = '' THEN NULL %s ELSE %s END",
                expression_,
                expression_,
                SQL(" ").join(cases),
                other,
            )
        if ftype in ("char", "text", "html"):
            size = getattr(field, "size", None)
            if size:
                expression_ = SQL("left(%s, %s)", expression_, size)
            return self._export_sql_text_cell(expression_, ref, slow, checked_texts)
        return None

    def _export_sql_text_cell(self, expression_, ref, slow, checked_texts):
        """SQL giving the inline string cell of a text, none for an empty text."""
        checked_texts.append(expression_)
        return SQL(
            "CASE WHEN %s <> '' THEN concat(%s, CASE WHEN strpos(%s, left(%s, 1)) > 0 OR strpos(%s, right(%s, 1)) > 0 "
            "THEN ' xml:space=\"preserve\"' END, '>', %s, '</t></is></c>') END",
            expression_,
            f'{ref} t="inlineStr"><is><t',
            SQL_WHITESPACE,
            expression_,
            SQL_WHITESPACE,
            expression_,
            _sql_xml_text(expression_),
        )

    def _export_orm_sql_condition(self, field, action_id):
        """SQL condition on the action (``action_id``: its id) under which the ORM
        computes the column ``field`` the query does not read, or None when it always
        does. The others get _export_orm_missing_value(), as in _export_orm_ids()."""
        if field.name != "expense_actual":
            return None
        Expense = self.env["crm.action.expense"]
        Expense.flush_model(["action_id"])
        return SQL(
            "EXISTS(SELECT 1 FROM %s WHERE %s = %s)",
            SQL.identifier(Expense._table),
            SQL.identifier(Expense._table, "action_id"),
            action_id,
        )

    @api.model
    def _export_in_sql(self, field):
        """Whether the column is read by the query: stored in crm_action, or related
        through many2ones to a stored field."""
        Action = self.env["crm.action"]
        if field.company_dependent:
            return False
        target, model = field, Action
        if field.related and not field.store:
            if not field.compute_sudo:
                return False
            *path, last = field.related.split(".")
            for fname in path:
                step = model._fields[fname]
                if step.type != "many2one" or not step.store:
                    return False
                model = self.env[step.comodel_name]
            target = model._fields[last]
        return bool(
            target.store and target.column_type and not target.company_dependent and target.type in SQL_COLUMN_TYPES
        )

    def _export_sql_timezone(self, tz):
        """The time zone name the query converts datetimes with, or None when the
        datetimes are in UTC or the database does not know the zone (then Python
        converts them)."""
        if tz.zone in ("UTC", "Etc/UTC"):
            return None
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT timezone(%s, now())", tz.zone))
        except psycopg2.Error:
            return None
        return tz.zone

    @api.model
    def _export_converter(self, field, tz, sql_tz):
        """A function (value from the query, name cache) -> cell value, or None when
        the value goes to the cell as it is."""
        ftype = field.type
        if ftype == "boolean":
            return _convert_boolean
        if ftype == "integer":
            return _convert_integer
        if ftype in ("float", "monetary"):
            digits = field.get_digits(self.env) if ftype == "float" else None
            if digits:
                precision = digits[1]
                return lambda value, _cache: float_round(float(value or 0.0), precision_digits=precision)
            return _convert_float
        if ftype == "datetime":
            if sql_tz or tz.zone in ("UTC", "Etc/UTC"):
                return None
            return lambda value, _cache: pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None) if value else None
        if ftype == "date":
            return None
        if ftype == "selection":
            labels = dict(field._description_selection(self.env))
            return lambda value, _cache: str(labels.get(value, value)) if value else None
        if ftype == "many2one":
            return _convert_many2one
        size = getattr(field, "size", None)
        if size:
            return lambda value, _cache: (value[:size] or None) if value else None
        return _convert_text

    def _export_fill_names(self, cache, model_name, ids, active_test=None):
        """Put in ``cache`` the display names of the records ``ids`` of ``model_name``
        it lacks, computed as read() does (as superuser, in the user's language)."""
        missing = ids - cache.keys()
        if not missing:
            return
        if len(cache) + len(missing) > self._export_name_cache_size:
            cache.clear()
            missing = ids
        # sudo: names of the records the readable actions point to, as read() gives them
        records = self.env[model_name].sudo()
        if active_test is not None:
            records = records.with_context(active_test=active_test)
        for record in records.browse(missing):
            cache[record.id] = record.display_name or ""

    def _export_many2many_names(self, field, ids, names):
        """Per action of ``ids``, the names of its ``field`` records joined by commas:
        the records read() gives (their model's record rules and order), named as superuser."""
        comodel = self.env[field.comodel_name].with_context(active_test=False, **field.context)
        query = comodel._where_calc(field.get_domain_list(self.env["crm.action"]))
        comodel._apply_ir_rules(query, "read")
        query.order = comodel._order_to_sql(comodel._order, query)
        sql_id1 = SQL.identifier(field.relation, field.column1)
        sql_id2 = SQL.identifier(field.relation, field.column2)
        query.add_join("JOIN", field.relation, None, SQL("%s = %s", sql_id2, SQL.identifier(comodel._table, "id")))
        query.add_where(SQL("%s IN %s", sql_id1, tuple(ids)))
        related = defaultdict(list)
        for id1, id2 in self.env.execute_query(query.select(sql_id1, sql_id2)):
            related[id1].append(id2)
        cache = names.setdefault((field.comodel_name, "many2many"), {})
        self._export_fill_names(
            cache, field.comodel_name, {rid for rids in related.values() for rid in rids}, active_test=False
        )
        return [", ".join(cache[rid] for rid in related[action_id]) for action_id in ids]

    def _export_orm_values(self, fields_, ids, tz):
        """Cell values of the columns the query does not read (computed fields), a
        list per field, a value per action of ``ids``, read through the ORM."""
        Action = self.env["crm.action"]
        columns = []
        for field in fields_:
            read_ids = self._export_orm_ids(field, ids)
            values = {vals["id"]: vals[field.name] for vals in Action.browse(read_ids).read([field.name])}
            missing = self._export_orm_missing_value(field)
            names = {}
            if field.type in ("many2many", "one2many"):
                related_ids = {rid for value in values.values() for rid in value}
                self._export_fill_names(names, field.comodel_name, related_ids, active_test=False)
            columns.append([self._export_read_value(field, values.get(i, missing), tz, names) for i in ids])
        return columns

    def _export_orm_ids(self, field, ids):
        """The actions of ``ids`` whose ``field`` the ORM computes; the others get
        _export_orm_missing_value(). The actual expenses are computed only for the
        actions with expense lines: the others have none."""
        if field.name != "expense_actual":
            return ids
        Expense = self.env["crm.action.expense"]
        Expense.flush_model(["action_id"])
        return [
            action_id
            for (action_id,) in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT action_id FROM %s WHERE action_id IN %s",
                    SQL.identifier(Expense._table),
                    tuple(ids),
                )
            )
        ]

    def _export_orm_missing_value(self, field):
        """The value, as read() gives it, of the actions _export_orm_ids() leaves out."""
        return 0.0 if field.name == "expense_actual" else False

    def _export_read_value(self, field, value, tz, names):
        """The cell value of a value as read() gives it; None for an empty cell."""
        ftype = field.type
        if ftype == "boolean":
            return bool(value)
        if value is False or value is None or value == "":
            return None
        if ftype == "datetime":
            return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)
        if ftype in ("date", "float", "monetary", "integer"):
            return value
        if ftype == "selection":
            return str(dict(field._description_selection(self.env)).get(value, value))
        if ftype == "many2one":
            return value[1] or ""
        if ftype in ("many2many", "one2many"):
            return ", ".join(names.get(rid, str(rid)) for rid in value)
        return str(value)

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
                    # sudo: the group's name, as read() names the actions' many2one values
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
