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
]

SLA_STATES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("failed", "Failed"),
]

WARRANTY_STATES = [
    ("draft", "Awaiting Proof"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("void", "Void"),
]
