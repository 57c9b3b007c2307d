"""Who pays the costs of a case, as a pure function (README, "Cost of every
case").

The warranty decision of the RMA line (or the ticket) decides:

- ``covered``: the warranty pays every cost;
- ``chargeable`` (or no decision): the customer pays every cost;
- ``partial``: parts, labour and travel are split by the coverage of the
  registration (``coverage.split_amount``: the covered share is the warranty's,
  the rest the customer's); the other costs (freight, duties) are the
  warranty's, as on a covered case. The policy's deductible is then moved from
  the warranty's shares to the customer's, up to what the warranty bears.

A repair a dealer did and claims is the dealer's cost until the claim is
decided (``dealer=True``): the dealer pays every cost.
"""

from .coverage import split_amount

WARRANTY = "warranty"
CUSTOMER = "customer"
DEALER = "dealer"

# the cost types a warranty registration covers by a percentage of their own
COVERED_BY_PERCENT = ("parts", "labour", "travel")


def split_costs(costs, decision, coverage=None, deductible=0.0, dealer=False):
    """The shares of each cost: ``costs`` is a list of ``(cost_type, amount)``;
    the answer, in the same order, a list of ``{payer: amount}`` without the
    payers who pay nothing. ``coverage`` maps a cost type to its coverage in %;
    ``deductible`` is in the costs' currency."""
    if dealer:
        return [{DEALER: amount} for _type, amount in costs]
    if decision == "covered":
        return [{WARRANTY: amount} for _type, amount in costs]
    if decision != "partial":
        return [{CUSTOMER: amount} for _type, amount in costs]
    coverage = coverage or {}
    shares = []
    for cost_type, amount in costs:
        if cost_type in COVERED_BY_PERCENT:
            warranty, customer = split_amount(amount, coverage.get(cost_type, 0.0))
        else:
            warranty, customer = amount, 0.0
        shares.append([warranty, customer])
    left = max(deductible or 0.0, 0.0)
    for share in shares:
        if left <= 0:
            break
        moved = min(left, share[0])
        share[0] = round(share[0] - moved, 10)
        share[1] = round(share[1] + moved, 10)
        left = round(left - moved, 10)
    return [
        {
            payer: amount
            for payer, amount in ((WARRANTY, warranty), (CUSTOMER, customer))
            if amount
        }
        for warranty, customer in shares
    ]
