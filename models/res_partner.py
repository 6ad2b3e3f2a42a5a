from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    class_id = fields.Many2one(
        "res.partner.class",
        string="Account Class",
        index=True,
        tracking=True,
        help="Where the account stands (e.g. Suspect, Prospect, Customer); "
        "class transition rules move it after a number of done actions.",
    )
    crm_action_count = fields.Integer(
        string="Actions",
        compute="_compute_crm_action_count",
        groups="crm_action.crm_action_group_user",
        help="Actions on this partner, or with it as contact person; a company counts its contacts' actions too.",
    )

    # Counts show what the user may see: record rules depend on the user and companies.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_crm_action_count(self):
        self.crm_action_count = 0
        partners = self._origin.filtered("id")
        if not partners:
            return
        # All the children, parents prefetched, so that an action on a contact counts for its company.
        all_partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", partners.ids)], ["parent_id"]
        )
        partner_ids = set(partners.ids)
        action_ids = defaultdict(set)
        Action = self.env["crm.action"]
        # Ids rather than counts: an action whose partner and contact are both counted counts once.
        for fname in ("partner_id", "contact_ids"):
            for partner, ids in Action._read_group([(fname, "in", all_partners.ids)], [fname], ["id:array_agg"]):
                while partner:
                    if partner.id in partner_ids:
                        action_ids[partner.id].update(ids)
                    partner = partner.parent_id
        for partner in self:
            partner.crm_action_count = len(action_ids[partner._origin.id])

    def _crm_action_domain(self):
        self.ensure_one()
        return ["|", ("partner_id", "child_of", self.id), ("contact_ids", "child_of", self.id)]

    def action_view_crm_actions(self):
        """The actions on this partner and its contacts."""
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            self._crm_action_domain(),
            name=self.env._("Actions: %(partner)s", partner=self.display_name),
            context={"default_partner_id": self.id},
        )

    def action_log_crm_action(self):
        """A new action form on this partner."""
        self.ensure_one()
        return self.env["crm.action"]._action_log(partner=self)

    def _crm_action_main_contact(self):
        """The contact person an action on this partner defaults to: the partner itself
        for a person, the company's first contact-type child (the earliest added) for a company,
        nobody without a partner."""
        if len(self) != 1:
            return self.browse()
        if not self.is_company:
            return self
        return self.child_ids.filtered(lambda c: c.type == "contact").sorted("id")[:1]

    def _crm_action_phone_options(self):
        """The numbers an action's phone is picked among (seed 000 "Telefone"): the phones
        and mobiles of these partners, in their order, each number once, saying whose it is.

        :return: list of {"number", "kind" (the field's label), "name"}
        """
        kinds = [(fname, self._fields[fname]._description_string(self.env)) for fname in ("phone", "mobile")]
        options, seen = [], set()
        for person in self:
            for fname, kind in kinds:
                number = person[fname]
                if number and number not in seen:
                    seen.add(number)
                    options.append({"number": number, "kind": kind, "name": person.name})
        return options

    def _crm_action_move_class(self, new_class, rule, count):
        """Move these partners to ``new_class`` because ``rule`` matched ``count`` done
        actions, and log the move in each partner's chatter: one note with the reason and
        the tracked change, where tracking would log the change and the reason another."""
        previous = {partner.id: partner.class_id for partner in self}
        # written with the user's rights, which is what logging the note (as superuser)
        # needs; untracked, as the note carries the change (tracking a partner also
        # renders its address and reads its other tracked fields)
        self.with_context(mail_notrack=True).class_id = new_class
        tracked = self.fields_get(["class_id"], attributes=("string", "type", "selection", "currency_field"))
        for partner in self:
            body = Markup("%s") % self.env._(
                "Class changed from %(old)s to %(new)s by rule '%(rule)s' after %(count)s done actions.",
                old=previous[partner.id].name or self.env._("no class"),
                new=new_class.name,
                rule=rule.name,
                count=count,
            )
            _changes, tracking_values = partner._mail_track(tracked, {"class_id": previous[partner.id]})
            # a note nobody is notified of: logged, without computing recipients
            partner._message_log(body=body, tracking_value_ids=tracking_values)
