"""Selections shared by several models (labels are translated by the ORM)."""

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]

TIERS = [
    ("standard", "Standard"),
    ("silver", "Silver"),
    ("gold", "Gold"),
    ("vip", "VIP"),
]

CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("web", "Web Form"),
    ("portal", "Portal"),
    ("dealer", "Dealer"),
    ("api", "API"),
    ("device", "Device Alert"),
    ("campaign", "Campaign"),
]

SLA_STATES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("failed", "Failed"),
    # withdrawn by the customer or as a duplicate: the SLA counts neither as met
    # nor as failed (KPIs leave these tickets out of the attainment)
    ("cancelled", "Cancelled"),
]

WARRANTY_STATES = [
    ("draft", "Awaiting Proof"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("void", "Void"),
]

# a registration in one of these states holds its serial: at most one per serial
# (a partial unique index), and it is the one that counts for the serial
WARRANTY_LIVE_STATES = ("draft", "active")

# the warranty status of a serial on a date (aftersales.warranty._status_on,
# check_serial, the ticket's and the serial's warranty status)
WARRANTY_STATUSES = [
    ("in", "In Warranty"),
    ("pending", "Pending Proof"),
    ("out", "Not Covered"),
    ("expired", "Expired"),
    ("unknown", "Unknown Serial"),
    ("void", "Void"),
]

# the decision on a claim (ticket, RMA line), suggested by
# aftersales.warranty._decision_for
WARRANTY_DECISIONS = [
    ("covered", "Covered"),
    ("partial", "Partly Covered"),
    ("chargeable", "Chargeable"),
]
