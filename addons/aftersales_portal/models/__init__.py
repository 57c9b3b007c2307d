from . import res_country, res_partner, res_users, aftersales_ticket
