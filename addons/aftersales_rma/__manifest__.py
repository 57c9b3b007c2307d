{
    "name": "After-Sales RMA and Shipments",
    "summary": "Return authorizations with repair, replacement, refund and advance "
    "replacement; every cross-border shipment leg tracked, with customs papers",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "Aftersales Team",
    "website": "https://example.com/aftersales",
    "license": "LGPL-3",
    "depends": [
        "aftersales_service",
        "repair",
        "stock_account",
        "purchase_stock",
        "stock_delivery",
    ],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/aftersales_rma_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/aftersales_rma_views.xml",
        "views/aftersales_shipment_views.xml",
        "views/aftersales_tracking_provider_views.xml",
        "views/aftersales_rma_menus.xml",
    ],
    "demo": [
        "demo/aftersales_tracking_demo.xml",
    ],
    "application": False,
    "installable": True,
}
