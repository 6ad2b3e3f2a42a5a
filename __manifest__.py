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
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "data/crm_action_todo_data.xml",
        "views/crm_action_todo_views.xml",
        "views/crm_action_template_views.xml",
        "views/res_users_views.xml",
        "security/crm_action_template_security.xml",
    ],
    "demo": [
        "demo/crm_action_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_action/static/tests/tours/**/*",
        ],
    },
    "application": False,
    "installable": True,
}
