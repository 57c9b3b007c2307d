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
