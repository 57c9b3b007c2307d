from . import (
    aftersales_article,
    aftersales_ticket,
    aftersales_warranty,
    ir_http,
    res_country,
    res_partner,
    res_users,
)
