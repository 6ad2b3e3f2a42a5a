from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_action_sequence import SPAWN_TRIGGERS


class CrmActionSpawn(models.Model):
    """One row per (document, trigger): the lead a sequence spawned from it.

    The unique index is what keeps a document from spawning two leads for the same
    trigger, even when two transactions spawn at the same moment: the second insert
    waits for the first and then fails, and the spawner takes that as "already done".
    """

    _name = "crm.action.spawn"
    _description = "Lead Spawned by a CRM Action Sequence"
    _order = "id desc"
    _rec_name = "lead_id"

    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", required=True, index=True)
    trigger = fields.Selection(SPAWN_TRIGGERS, required=True)
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Lead Created"), ("failed", "Failed")],
        required=True,
        default="done",
        index=True,
        help="Queued: a large batch of documents was saved at once; a background job "
        "creates their leads within a minute.",
    )
    lead_id = fields.Many2one("crm.lead", string="Lead", index=True, ondelete="cascade")
    sequence_id = fields.Many2one("crm.action.sequence", string="Sequence", index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", index=True)
    error_message = fields.Text(string="Error", readonly=True)
    document_name = fields.Char(compute="_compute_document_name", string="Source Document")

    _sql_constraints = [
        (
            "document_trigger_uniq",
            "unique(res_model, res_id, trigger)",
            "A document spawns one lead per trigger.",
        ),
    ]

    @api.depends("res_model", "res_id")
    def _compute_document_name(self):
        for spawn in self:
            document = spawn._get_document()
            if document and not document.has_access("read"):
                # a row the user sees (their lead) of a document they may not read: its
                # name stays hidden, the list still opens
                spawn.document_name = self.env._("%(model)s #%(id)s", model=document._description, id=document.id)
            else:
                spawn.document_name = document.display_name if document else False

    @api.model
    def _cron_spawn_queued(self, batch_size=100):
        """Create the leads of the queued rows, oldest first, ``batch_size`` per run; the
        cron runs again at once while rows remain."""
        # the e-mails of the new leads and actions go through the mail queue, not one by
        # one at the end of this job's transaction
        self = self.with_context(mail_notify_force_send=False)
        # sudo: the job's rows and documents belong to every team and company
        queued = self.sudo().search([("state", "=", "queued")], order="id", limit=batch_size)
        # leads and actions get what they would have had spawned at once: names in the
        # language of the user who saved the documents, defaults of the documents' company
        groups = queued.grouped(lambda s: (s.res_model, s.trigger, s.create_uid.lang or self.env.lang, s.company_id))
        for (model, trigger, lang, company), spawns in groups.items():
            if model not in self.env:
                spawns.unlink()
                continue
            # sudo: the job spawns for the users who saved the documents, whatever their rights
            documents = self.env[model].sudo().with_company(company).with_context(lang=lang)
            documents = documents.browse(spawns.mapped("res_id")).exists()
            # a document deleted meanwhile has nothing left to follow up
            spawns.filtered(lambda s, ids=set(documents.ids): s.res_id not in ids).unlink()
            documents._crm_action_spawn_queued(trigger, spawns.exists())
        remaining = self.sudo().search_count([("state", "=", "queued")])  # sudo: every queued row, as above
        self.env["ir.cron"]._notify_progress(done=len(queued), remaining=remaining)
        return len(queued)

    @api.model
    def _wake_spawn_job(self):
        self.env.ref("crm_action.ir_cron_crm_action_spawn_queued")._trigger()

    def _get_document(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return False
        return self.env[self.res_model].browse(self.res_id).exists()

    def action_open_document(self):
        self.ensure_one()
        document = self._get_document()
        if not document:
            raise UserError(self.env._("The document of this row was deleted: nothing to open."))
        document.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _action_open_leads(self, lead_ids):
        """Window action on the given leads: their form when there is one."""
        # the list shows only the leads the user may read; a user without CRM rights is told at once
        self.env["crm.lead"].check_access("read")
        action = {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "name": self.env._("Leads"),
            "domain": [("id", "in", lead_ids)],
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "context": {"create": False},
            "target": "current",
        }
        if len(lead_ids) == 1:
            action.update(res_id=lead_ids[0], views=[(False, "form")])
        return action
