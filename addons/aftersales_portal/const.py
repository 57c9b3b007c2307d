# What a portal user of the dealer network may see, derived from their contact
PORTAL_SCOPES = [
    ("customer", "End Customer"),
    ("staff", "Dealer Staff"),
    ("dealer_admin", "Dealer Admin"),
    ("distributor_admin", "Distributor Admin"),
]
# a LIKE pattern no network path matches (paths start with "/")
NO_PATH = "-"
