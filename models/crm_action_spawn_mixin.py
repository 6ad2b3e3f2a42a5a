import logging

from psycopg2 import errors as pg_errors

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import SQL, mute_logger, plaintext2html

_logger = logging.getLogger(__name__)

# Keys in the cursor's cache: the (model, id, trigger) of documents saved in a large batch,
# and {(model, id, trigger): [crm.action.spawn ids]} of the rows they had when marked.
BULK_KEY = "crm_action_spawn_bulk"
BULK_SPAWNS_KEY = "crm_action_spawn_bulk_rows"


class CrmActionSpawnMixin(models.AbstractModel):
    """A business document (quotation, order, return) that spawns leads from sequences.

    A model using the mixin implements ``_crm_action_get_sequence(trigger)``,
    ``_crm_action_document_date(trigger)`` and ``_crm_action_prepare_lead_values(trigger)``;
    the automation rules shipped in data call ``_crm_action_spawn_leads(trigger)``.
    """

    _name = "crm.action.spawn.mixin"
    _description = "Document Spawning Leads from CRM Action Sequences"

    crm_action_lead_count = fields.Integer(
        compute="_compute_crm_action_spawn_info",
        string="Spawned Leads",
    )
    crm_action_spawn_failed = fields.Boolean(
        compute="_compute_crm_action_spawn_info",
        string="Lead Creation Failed",
    )
    crm_action_spawn_queued = fields.Boolean(
        compute="_compute_crm_action_spawn_info",
        string="Lead Creation Queued",
    )

    def _compute_crm_action_spawn_info(self):
        ids = [doc.id for doc in self._origin if doc.id]
        # sudo: the counters of this document's module-owned rows show to every user of the
        # document, storekeepers without CRM rights included
        groups = (
            self.env["crm.action.spawn"]
            .sudo()
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", ids)],
                ["res_id", "state"],
                ["__count"],
            )
        )
        leads, failed, queued = {}, set(), set()
        for res_id, state, count in groups:
            if state == "done":
                leads[res_id] = count
            elif state == "queued":
                queued.add(res_id)
            else:
                failed.add(res_id)
        for doc in self:
            doc.crm_action_lead_count = leads.get(doc._origin.id, 0)
            doc.crm_action_spawn_failed = doc._origin.id in failed
            doc.crm_action_spawn_queued = doc._origin.id in queued

    def unlink(self):
        # The leads stay (they hold the customer's history); only the links go.
        self._crm_action_spawns().unlink()
        return super().unlink()

    # ------------------------------------------------------------ buttons
    def action_view_crm_action_leads(self):
        """Open the leads spawned from these documents."""
        spawns = self._crm_action_spawns()
        return self.env["crm.action.spawn"]._action_open_leads(spawns.lead_id.ids)

    def action_crm_action_retry_spawn(self):
        """Try again the lead creation that failed on these documents.

        The user must be allowed to read and change the documents: the retry creates their
        leads. Returns the new lead's form when its sequence says to open it.
        """
        self._crm_action_check_retry_access()
        failed = self._crm_action_spawns().filtered(lambda s: s.state == "failed")
        spawned = self.env["crm.action.spawn"]
        for trigger in set(failed.mapped("trigger")):
            documents = self.browse(failed.filtered(lambda s, t=trigger: s.trigger == t).mapped("res_id"))
            spawned |= documents._crm_action_spawn_leads(trigger)
        return self._crm_action_open_lead_action(spawned) or True

    def _crm_action_check_retry_access(self):
        forbidden = self.filtered(lambda doc: not (doc.has_access("read") and doc.has_access("write")))
        if forbidden:
            raise AccessError(
                self.env._(
                    "You cannot retry the lead creation of %(model)s #%(id)s: you are not allowed to change "
                    "this document. Ask its salesperson or a manager to retry.",
                    model=self._description,
                    id=forbidden[0].id,
                )
            )

    # ------------------------------------------------------------ spawning
    def _crm_action_spawn_leads(self, trigger):
        """Spawn a lead with its planned actions for each document of ``self``.

        ``trigger`` is ``quotation``, ``order`` or ``return``. The sequence comes from
        ``_crm_action_get_sequence``; documents without one, or that already spawned a
        lead for this trigger (or have it queued), are skipped. Each document is spawned
        in its own savepoint: a failure is logged on the document's chatter and
        remembered, so the document is still saved and the user can retry from the form.

        A batch of more documents than the ``crm_action.spawn_sync_limit`` parameter
        (an import, an API call creating many quotations) is queued instead: the rows
        that claim each (document, trigger) are inserted now, in the document's
        transaction, and a background job creates the leads right after. Saving a
        document from its form (a batch of one) always spawns at once.

        Action dates: the document date plus the cumulative postpone days of the lines,
        counted in calendar days (Saturdays and Sundays included, no holidays): the
        sequence author chooses the offsets, so an offset that lands on a weekend is
        what they asked for, and the date stays predictable without a calendar.

        :return: the ``crm.action.spawn`` records of the leads created now
        """
        # sudo: the rows are the module's own; the documents are read as superuser for the
        # sequence a manager configured on their team, operation type or company, which the
        # user who saves the document (a storekeeper, a salesperson) may not read
        Spawn = self.env["crm.action.spawn"].sudo()
        documents = self.sudo().filtered("id")
        if not documents:
            return Spawn
        bulk = self.env.cr.cache.get(BULK_KEY, set())
        known = self.env.cr.cache.get(BULK_SPAWNS_KEY, {})
        keys = {(self._name, doc_id, trigger) for doc_id in documents.ids}
        if keys <= bulk:
            # a large batch: its rows were looked up once for all when it was marked
            existing = Spawn.browse([spawn_id for key in keys for spawn_id in known.get(key, ())]).exists()
        else:
            existing = Spawn.search(
                [("res_model", "=", self._name), ("res_id", "in", documents.ids), ("trigger", "=", trigger)]
            )
        done_ids = set(existing.filtered(lambda s: s.state != "failed").mapped("res_id"))
        sequences = {}
        for document in documents:
            sequence = document._crm_action_get_sequence(trigger)
            if sequence and sequence.active and sequence.line_ids and document.id not in done_ids:
                sequences[document] = sequence
        if not sequences:
            return Spawn
        todo = documents.browse([document.id for document in sequences])
        # A failed attempt leaves a row that blocks the unique index: this run replaces it.
        existing.filtered(lambda s: s.state == "failed" and s.res_id in todo.ids).unlink()
        in_bulk = bool(keys & bulk)
        bulk -= keys
        for key in keys:
            known.pop(key, None)
        sync_limit = self.env["res.config.settings"]._crm_action_spawn_sync_limit()
        if (in_bulk or len(todo) > sync_limit) and not self.env.context.get("crm_action_spawn_now"):
            queued = todo._crm_action_queue_spawns(trigger, sequences)
            if queued and not in_bulk:  # a bulk save woke the job when it marked its documents
                self.env["crm.action.spawn"]._wake_spawn_job()
            return queued
        lines = documents.env["crm.action.sequence"].union(*sequences.values()).line_ids
        planner = lines._crm_action_assignee_planner()
        spawned = Spawn
        for document in todo:
            sequence = sequences[document]
            claimed = False
            try:
                with self.env.cr.savepoint():
                    spawn = document._crm_action_claim_spawn(trigger, sequence)
                    claimed = True
                    spawn.lead_id = document._crm_action_create_lead(trigger, sequence, planner)
                spawned |= spawn
            except Exception as error:
                if not claimed and isinstance(error, (pg_errors.UniqueViolation, pg_errors.SerializationFailure)):
                    _logger.info("%s %s spawned its lead in another transaction", self._name, document.id)
                    continue
                if getattr(error, "pgcode", None) in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    # Odoo retries the whole request: it will see the other transaction's lead.
                    raise
                document._crm_action_log_failure(trigger, sequence, error)
        return spawned

    def _crm_action_mark_bulk(self, trigger):
        """Remember that ``self`` is being saved in one large batch (an import, an API call).

        Automation rules run their action once per record, so the spawning cannot see the
        batch: the mark tells it to queue these documents' leads for ``trigger`` rather
        than create them one by one inside the batch's transaction. The background job is
        woken once for the whole batch (a batch that queues nothing costs it an empty run).
        """
        if len(self) > self.env["res.config.settings"]._crm_action_spawn_sync_limit():
            self.env.cr.cache.setdefault(BULK_KEY, set()).update((self._name, doc_id, trigger) for doc_id in self.ids)
            # the rule then runs once per document: the rows the batch already has are
            # looked up here once for all of them, not once per document
            known = self.env.cr.cache.setdefault(BULK_SPAWNS_KEY, {})
            spawns = (
                self.env["crm.action.spawn"]
                .sudo()
                .search([("res_model", "=", self._name), ("res_id", "in", self.ids), ("trigger", "=", trigger)])
            )
            for spawn in spawns:
                known.setdefault((self._name, spawn.res_id, trigger), []).append(spawn.id)
            self.env["crm.action.spawn"]._wake_spawn_job()

    def _crm_action_queue_spawns(self, trigger, sequences):
        """Claim the (document, trigger) rows of ``self`` as queued, in one INSERT, for the
        background job that creates their leads.

        A row another transaction claimed meanwhile is left to it (``ON CONFLICT DO NOTHING``
        waits for that transaction, as the unique index does). No savepoint is needed, and
        none is taken: an automation rule queues the documents of a large batch one by one,
        and each savepoint would flush the whole batch's pending computations again.

        :param dict sequences: {document: crm.action.sequence}
        :return: the queued ``crm.action.spawn`` rows
        """
        Spawn = self.env["crm.action.spawn"].sudo()  # sudo: module-owned rows, users have no create right
        Spawn.flush_model()
        values_list = [document._crm_action_spawn_values(trigger, sequences[document], "queued") for document in self]
        columns = list(values_list[0])
        rows = [
            SQL(
                "(%s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')",
                SQL(", ").join(values[column] or None for column in columns),
                self.env.uid,
                self.env.uid,
            )
            for values in values_list
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_action_spawn (%s, create_uid, write_uid, create_date, write_date) VALUES %s "
                "ON CONFLICT (res_model, res_id, trigger) DO NOTHING RETURNING id",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(rows),
            )
        )
        queued = Spawn.browse(row[0] for row in self.env.cr.fetchall())
        if len(queued) < len(self):
            claimed = set(queued.mapped("res_id"))
            for document in self.filtered(lambda doc: doc.id not in claimed):
                _logger.info("%s %s spawned its lead in another transaction", self._name, document.id)
        return queued

    def _crm_action_spawn_queued(self, trigger, queued):
        """Background job: create the leads of the ``queued`` rows (``crm.action.spawn``
        of ``self`` for ``trigger``)."""
        queued = queued.filtered(lambda s: s.state == "queued" and s.res_id in self.ids)
        if not queued:
            return
        sequences = {}
        for spawn in queued:
            document = self.browse(spawn.res_id)
            sequence = spawn.sequence_id or document._crm_action_get_sequence(trigger)
            if sequence and sequence.line_ids:
                sequences[spawn] = sequence
        # the sequence was emptied or deleted since the document was saved: nothing to spawn
        queued.filtered(lambda s: s not in sequences).unlink()
        lines = self.env["crm.action.sequence"].union(*sequences.values()).line_ids
        planner = lines._crm_action_assignee_planner()
        spawns = list(sequences)
        documents = self.browse([spawn.res_id for spawn in spawns])
        try:
            # all the documents' leads and actions in a few batched operations...
            with self.env.cr.savepoint():
                leads = documents._crm_action_create_leads(trigger, list(sequences.values()), planner)
                for spawn, lead in zip(spawns, leads, strict=True):
                    spawn.write({"state": "done", "lead_id": lead.id})
            return
        except Exception as error:
            if getattr(error, "pgcode", None) in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise
            _logger.info("Batch of %s spawns failed, retrying one by one: %s", len(spawns), error)
        # ... or, when one of them fails, one by one so that the others still get theirs
        for spawn, sequence in sequences.items():
            document = self.browse(spawn.res_id)
            try:
                with self.env.cr.savepoint():
                    lead = document._crm_action_create_lead(trigger, sequence, planner)
                    spawn.write({"state": "done", "lead_id": lead.id})
            except Exception as error:
                if getattr(error, "pgcode", None) in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                spawn.unlink()
                document._crm_action_log_failure(trigger, sequence, error)

    def _crm_action_claim_spawn(self, trigger, sequence):
        """Insert the (document, trigger) row before anything else.

        The insert runs at once: a concurrent transaction that claimed the same row
        makes it wait, then fail with a unique violation (handled by the caller).
        """
        self.ensure_one()
        with mute_logger("odoo.sql_db"):
            # sudo: module-owned rows, users have no create right
            return self.env["crm.action.spawn"].sudo().create(self._crm_action_spawn_values(trigger, sequence, "done"))

    def _crm_action_spawn_values(self, trigger, sequence, state):
        self.ensure_one()
        return {
            "res_model": self._name,
            "res_id": self.id,
            "trigger": trigger,
            "state": state,
            "sequence_id": sequence.id,
            "company_id": self.company_id.id,
        }

    def _crm_action_create_lead(self, trigger, sequence, planner):
        self.ensure_one()
        return self._crm_action_create_leads(trigger, [sequence], planner)

    def _crm_action_create_leads(self, trigger, sequences, planner):
        """Create the lead of each document of ``self``, with the planned actions of its
        sequence (``sequences``: one per document, in the same order).

        :return: the leads, in the order of ``self``
        """
        # sudo: the lead and its actions are planned for the sequence's assignees, by a user
        # who may have no CRM rights (a storekeeper validating a return)
        leads = self.env["crm.lead"].sudo().create([doc._crm_action_prepare_lead_values(trigger) for doc in self])
        QWeb = self.env["ir.qweb"]
        leads._message_log_batch(
            bodies={
                lead.id: QWeb._render("mail.message_origin_link", {"self": lead, "origin": document})
                for lead, document in zip(leads, self, strict=True)
            }
        )
        values_list, unassigned = [], []
        Action = self.env["crm.action"]
        for document, lead, sequence in zip(self, leads, sequences, strict=True):
            base = fields.Datetime.to_datetime(document._crm_action_document_date(trigger)) or fields.Datetime.now()
            days = 0
            for line in sequence.line_ids:
                days += line.postpone_days
                user = planner(line, document.company_id, lead.team_id)
                # a later day starts at the working hour; the first day not before the document
                date = Action._planned_datetime(base, days, user=user or None, company=document.company_id)
                values_list.append(document._crm_action_prepare_action_values(line, lead, date, user))
                if line.group_id and not user:
                    unassigned.append((lead, line))
        self.env["crm.action"].sudo().create(values_list)  # sudo: see the leads above
        for lead, line in unassigned:
            lead.message_post(
                body=self.env._(
                    "Action '%(type)s' has no responsible: group %(group)s has no active internal user. "
                    "Assign it by hand.",
                    type=line.type_id.name,
                    group=line.group_id.full_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return leads

    def _crm_action_prepare_action_values(self, line, lead, date, user):
        values = self.env["crm.action"]._prepare_next_values(line.type_id, date, duration=line.planned_hours)
        values.update(
            name=self.env._("%(type)s - %(document)s", type=line.type_id.name, document=self.display_name),
            lead_id=lead.id,
            partner_id=lead.partner_id.id,
            company_id=lead.company_id.id or self.company_id.id,
            campaign_id=lead.campaign_id.id,
            medium_id=lead.medium_id.id,
            source_ref=f"{self._name},{self.id}",
            user_id=user.id,
            assignee_group_id=line.group_id.id,
            assignee_missing=bool(line.group_id and not user),
            description=plaintext2html(line.notes) if line.notes else False,
        )
        return values

    def _crm_action_log_failure(self, trigger, sequence, error):
        self.ensure_one()
        _logger.warning("Spawning a lead from %s %s failed", self._name, self.id, exc_info=True)
        message = str(error.args[0]) if getattr(error, "args", None) else str(error)
        try:
            with self.env.cr.savepoint():
                # sudo: a module-owned row and a note on the document, written even for a
                # user (or the background job) who may not post on it
                self.env["crm.action.spawn"].sudo().create(
                    dict(self._crm_action_spawn_values(trigger, sequence, "failed"), error_message=message)
                )
                self.sudo().message_post(
                    body=self.env._(
                        "The lead of sequence %(sequence)s could not be created: %(error)s. "
                        "Fix the cause, then use 'Retry Lead Creation'.",
                        sequence=sequence.display_name,
                        error=message,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        except Exception:
            # Even the record of the failure must not stop the document from being saved.
            _logger.exception("Could not record the failed lead creation of %s %s", self._name, self.id)

    # ------------------------------------------------------------ helpers
    def _crm_action_spawns(self):
        # sudo: the module-owned rows of these documents, for their buttons and counters; the
        # leads they open are read with the user's rights
        return (
            self.env["crm.action.spawn"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self._origin.ids)])
        )

    def _crm_action_open_lead_action(self, spawns):
        """The window action showing the leads of ``spawns`` whose sequence says to open them."""
        # sudo: the sequence's "open the lead" setting is a manager's configuration
        to_open = spawns.sudo().filtered(lambda s: s.state == "done" and s.lead_id and s.sequence_id.open_lead)
        # A storekeeper without CRM rights validates returns: they stay on the transfer.
        if not to_open or not self.env["crm.lead"].has_access("read"):
            return False
        return self.env["crm.action.spawn"]._action_open_leads(to_open.lead_id.ids)

    def _crm_action_open_spawned_since(self, trigger, before, result):
        """After a button: open the leads that the button spawned (not in ``before``).

        ``result`` is what the button returned: a wizard or another action wins.
        """
        if result is not True and result is not None:
            return result
        spawns = self._crm_action_spawns().filtered(lambda s: s.trigger == trigger) - before
        return self._crm_action_open_lead_action(spawns) or result

    def _crm_action_get_sequence(self, trigger):
        """The crm.action.sequence that applies to this document for ``trigger``, or none."""
        return self.env["crm.action.sequence"]

    def _crm_action_document_date(self, trigger):
        """The date the first action is counted from."""
        return fields.Datetime.now()

    def _crm_action_prepare_lead_values(self, trigger):
        """Values of the lead spawned from this document."""
        return {}
