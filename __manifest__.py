{
    "name": "CRM Actions",
    "summary": "Log every customer interaction as a structured action; "
    "result-driven next actions, rules on save, automatic action sequences "
    "and statistics",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-action/crm_action",
    "author": "crm_action developers",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "sale_management",
        "sale_crm",
        "stock",
        "sale_stock",
        "calendar",
        "base_automation",
        "analytic",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/crm_action_security.xml",
        "security/ir.model.access.csv",
        "data/crm_action_data.xml",
        "views/crm_action_views.xml",
        "views/crm_action_config_views.xml",
        "views/menus.xml",
        "security/crm_action_sequence_security.xml",
        "data/crm_action_sequence_data.xml",
        "views/crm_action_sequence_views.xml",
        "views/crm_action_sequence_link_views.xml",
    ],
    "demo": [
        "demo/crm_action_sequence_demo.xml",
    ],
    "application": False,
    "installable": True,
}
