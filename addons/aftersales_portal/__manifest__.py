{
    "name": "After-Sales Dealer and Customer Portal",
    "summary": "The portal of the dealer network and the end customers: tickets, "
    "warranties and RMAs of each dealer, distributor and customer, by record rules "
    "on the network path",
    "version": "18.0.1.1.0",
    "category": "Services/After-Sales",
    "author": "Aftersales Team",
    "website": "https://example.com/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_rma", "base_import", "website"],
    "data": [
        "security/aftersales_portal_security.xml",
        "security/ir.model.access.csv",
        "views/aftersales_article_views.xml",
        "views/res_partner_views.xml",
        "views/res_country_views.xml",
        "views/aftersales_portal_templates.xml",
        "views/aftersales_portal_rma_templates.xml",
        "views/aftersales_portal_claim_templates.xml",
        "views/aftersales_portal_sale_return_templates.xml",
        "views/aftersales_portal_warranty_import_templates.xml",
        "views/aftersales_portal_staff_templates.xml",
        "views/aftersales_portal_article_templates.xml",
        "views/aftersales_portal_points_templates.xml",
    ],
    "demo": [
        "demo/aftersales_portal_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": ["aftersales_portal/static/src/js/*.js"],
        "web.assets_tests": ["aftersales_portal/static/tests/tours/*.js"],
    },
    "application": False,
    "installable": True,
}
