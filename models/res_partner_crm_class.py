from markupsafe import Markup

from odoo import fields, models


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

    def _crm_action_move_class(self, new_class, rule, count):
        """Move these partners to ``new_class`` because ``rule`` matched ``count`` done
        actions, and log the move in each partner's chatter."""
        for partner in self:
            old_class = partner.class_id
            partner.class_id = new_class
            partner.message_post(
                body=Markup("%s")
                % self.env._(
                    "Class changed from %(old)s to %(new)s by rule '%(rule)s' after %(count)s done actions.",
                    old=old_class.name or self.env._("no class"),
                    new=new_class.name,
                    rule=rule.name,
                    count=count,
                ),
                subtype_xmlid="mail.mt_note",
            )
