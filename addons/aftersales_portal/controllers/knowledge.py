from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class AftersalesKnowledgePortal(CustomerPortal):
    """The knowledge centre on the portal: published articles of the
    reader's audience (record rule aftersales_article_rule_portal)."""

    @http.route(
        ["/my/articles", "/my/articles/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_articles(self, page=1, search=None, **kw):
        Article = request.env["aftersales.article"]
        if not Article.has_access("read"):
            return request.redirect("/my")
        domain = []
        if search:
            domain = ["|", ("name", "ilike", search), ("summary", "ilike", search)]
        pager = portal_pager(
            url="/my/articles",
            url_args={"search": search},
            total=Article.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_article",
                "default_url": "/my/articles",
                "articles": Article.search(
                    domain, limit=self._items_per_page, offset=pager["offset"]
                ),
                "pager": pager,
                "searchbar_inputs": {
                    "all": {"input": "all", "label": request.env._("Search")}
                },
                "search_in": "all",
                "search": search,
            }
        )
        return request.render("aftersales_portal.portal_my_articles", values)

    @http.route(
        ["/my/articles/<int:article_id>"], type="http", auth="user", website=True
    )
    def portal_my_article(self, article_id, **kw):
        article = request.env["aftersales.article"].browse(article_id).exists()
        if not article or not article.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "aftersales_article", "article": article})
        return request.render("aftersales_portal.portal_article_page", values)

    @http.route(["/my/articles/suggest"], type="json", auth="user", website=True)
    def portal_suggest_articles(self, product_id=None, **kw):
        """At most 5 published articles for a product of the new-ticket form
        that the user may read (record rule aftersales_article_rule_portal),
        as ``[{"id", "name", "url"}]``."""
        product = request.env["product.product"]
        if isinstance(product_id, int | str) and str(product_id).isdigit():
            product = (
                request.env["aftersales.ticket"]
                ._portal_products()
                .filtered(lambda p: p.id == int(product_id))
            )
        articles = request.env["aftersales.article"]._portal_suggested(product)
        return [
            {"id": a.id, "name": a.name, "url": f"/my/articles/{a.id}"}
            for a in articles
        ]
