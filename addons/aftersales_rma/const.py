"""Selections shared by several models (labels are translated by the ORM)."""

RMA_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("awaiting_receipt", "Awaiting Receipt"),
    ("received", "Received"),
    ("processing", "Processing"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]

DISPOSITIONS = [
    ("repair", "Repair"),
    ("replace", "Replace"),
    ("refund", "Refund"),
    ("return_only", "Return Only"),
    ("advance_replacement", "Advance Replacement"),
    ("scrap", "Scrap"),
]

# The RMA's transfers ("legs"): the selection of ``stock.picking.aftersales_rma_kind``.
RMA_PICKING_KINDS = [
    ("receipt", "Return from Customer"),
    ("replacement", "Replacement"),
    ("return_customer", "Return to Customer"),
    ("disposal", "Returned Unit Put Away"),
    ("vendor", "Return to Vendor"),
]

# What each leg is: its operation type (a field of the warehouse), where it takes
# the goods from and brings them to ("customer": the customer's location, "stock":
# the warehouse's stock, "rma": its RMA location, "vendor": the vendor's location,
# "line": each line's *Returned Unit To*, the stock when empty), the shipment leg
# it gets (None: it stays inside the hub) and the reason for export written on
# that shipment when it has none.
PICKING_LEGS = {
    "receipt": {
        "picking_type": "aftersales_rma_type_id",
        "source": "customer",
        "destination": "rma",
        "shipment": "customer_to_hub",
        "export_reason": "repair_return",
    },
    "replacement": {
        "picking_type": "out_type_id",
        "source": "stock",
        "destination": "customer",
        "shipment": "hub_to_customer",
        "export_reason": "replacement",
    },
    "return_customer": {
        "picking_type": "out_type_id",
        "source": "rma",
        "destination": "customer",
        "shipment": "hub_to_customer",
        "export_reason": "repaired_return",
    },
    "disposal": {
        "picking_type": "int_type_id",
        "source": "rma",
        "destination": "line",
        "shipment": None,
        "export_reason": None,
    },
    "vendor": {
        "picking_type": "out_type_id",
        "source": "rma",
        "destination": "vendor",
        "shipment": "hub_to_supplier",
        "export_reason": "warranty_exchange",
    },
}
# legs that bring goods to the customer (a line's "Qty Shipped Back")
SHIPPED_LEGS = ("replacement", "return_customer")

# The documents of an RMA: the five legs above and these.
RMA_DOCUMENTS = ("repair", "refund", "scrap")

# What each disposition produces, and when (one table read by the RMA and its
# lines; docs/rma.md shows it):
# - on_approval: documents made when the RMA is approved (for the line's quantity);
# - on_process: documents made by Process (for the received quantity);
# - after_repair: documents made when the line's repair order is done;
# - put_away: the returned unit leaves the RMA location on a "disposal" transfer
#   (or on the "vendor" transfer when it goes back to its vendor);
# - ships_first: goods leave before the faulty unit is back, so a line with nothing
#   received is not settled (otherwise it has nothing to settle);
# - waits_for: what must be finished for the line to be resolved ("receipt": the
#   unit is back), besides the put-away.
DISPOSITION_DOCUMENTS = {
    "repair": {
        "on_approval": (),
        "on_process": ("repair",),
        "after_repair": ("return_customer",),
        "put_away": False,
        "ships_first": False,
        "waits_for": ("repair", "return_customer"),
    },
    "replace": {
        "on_approval": (),
        "on_process": ("replacement",),
        "after_repair": (),
        "put_away": True,
        "ships_first": False,
        "waits_for": ("replacement",),
    },
    "refund": {
        "on_approval": (),
        "on_process": ("refund",),
        "after_repair": (),
        "put_away": True,
        "ships_first": False,
        "waits_for": ("refund",),
    },
    "return_only": {
        "on_approval": (),
        "on_process": ("return_customer",),
        "after_repair": (),
        "put_away": False,
        "ships_first": False,
        "waits_for": ("return_customer",),
    },
    "advance_replacement": {
        "on_approval": ("replacement",),
        "on_process": (),
        "after_repair": (),
        "put_away": True,
        "ships_first": True,
        "waits_for": ("replacement", "receipt"),
    },
    "scrap": {
        "on_approval": (),
        "on_process": ("scrap",),
        "after_repair": (),
        "put_away": False,
        "ships_first": False,
        "waits_for": ("scrap",),
    },
}
# the order in which Process makes the documents
PROCESS_ORDER = (
    "repair",
    "replacement",
    "return_customer",
    "disposal",
    "vendor",
    "refund",
    "scrap",
)

SHIPMENT_DIRECTIONS = [
    ("customer_to_hub", "Customer → Hub"),
    ("hub_to_repair", "Hub → Repair Centre"),
    ("hub_to_customer", "Hub → Customer"),
    ("hub_to_supplier", "Hub → Supplier"),
    ("supplier_to_hub", "Supplier → Hub"),
]

SHIPMENT_STATUSES = [
    ("draft", "Not Shipped"),
    ("label_created", "Label Created"),
    ("in_transit", "In Transit"),
    ("customs_hold", "Customs Hold"),
    ("customs_cleared", "Customs Cleared"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returned", "Returned"),
]

EXPORT_REASONS = [
    ("repair_return", "Return for Repair"),
    ("repaired_return", "Return after Repair"),
    ("replacement", "Replacement"),
    ("warranty_exchange", "Warranty Exchange (No Commercial Value)"),
    ("sale", "Sale"),
]

CUSTOMS_STATUSES = [
    ("not_required", "Not Required"),
    ("pending", "Pending"),
    ("submitted", "Submitted"),
    ("hold", "Held"),
    ("cleared", "Cleared"),
]

# ``aftersales.cost.line``: what a cost is and who pays it
COST_TYPES = [
    ("parts", "Parts"),
    ("labour", "Labour"),
    ("travel", "Travel"),
    ("freight", "Freight"),
    ("duty", "Duties and Taxes"),
    ("other", "Other"),
]
# the costs that come from a document (a done repair, a validated transfer and
# its shipment legs) and are never typed by hand
COST_TYPES_FROM_DOCUMENTS = ("parts", "labour", "freight", "duty")
COST_PAYERS = [
    ("warranty", "Warranty"),
    ("customer", "Customer"),
    ("dealer", "Dealer"),
    ("supplier", "Supplier"),
]

# Spare part requests (aftersales.part.request)
PART_REQUEST_STATES = [
    ("draft", "Draft"),
    ("to_approve", "Awaiting Customer"),
    ("confirmed", "Sourced"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# where the parts of a request line are, least advanced first (a request shows
# the least advanced of its lines)
PART_STATES = [
    ("new", "Not Sourced"),
    ("waiting", "Waiting for Stock"),
    ("reserved", "Reserved"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("consumed", "Consumed"),
    ("returned", "Returned Unused"),
    ("cancel", "Cancelled"),
]
PART_SOURCINGS = [
    ("stock", "From Stock"),
    ("resupply", "Inter-Warehouse Resupply"),
    ("purchase", "Purchase"),
]
PART_SOURCE_KINDS = [
    ("central", "Central Warehouse"),
    ("bonded", "Bonded Warehouse"),
    ("consignment", "Dealer Consignment"),
    ("van", "Engineer's Van"),
    ("service", "Service Warehouse"),
]
