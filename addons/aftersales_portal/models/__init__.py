from . import (
    aftersales_article,
    aftersales_claim,
    aftersales_portal_rate_hit,
    aftersales_ticket,
    aftersales_warranty,
    aftersales_warranty_import,
    ir_http,
    res_country,
    res_partner,
    res_users,
    sale_order,
    sale_order_line,
)
