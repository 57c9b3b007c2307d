"""Masking of an end customer's contact data for other dealers and distributors.

Pure functions: no database, tested in ``tests/test_masking.py``.
"""

MASK = "****"


def mask_phone(phone, visible=4):
    """``+49 151 23454567`` -> ``+49 151 ****4567``: the country and area codes
    (the first two groups of a number written in groups) and the last ``visible``
    digits stay, everything between is masked."""
    if not phone:
        return phone
    groups = str(phone).split()
    digits = [c for c in "".join(groups) if c.isdigit()]
    if len(digits) <= visible:
        return MASK
    head = groups[:2] if len(groups) > 2 else groups[:1] if len(groups) == 2 else []
    head_digits = sum(c.isdigit() for c in "".join(head))
    if len(digits) - head_digits - visible <= 0:
        head = []
    tail = "".join(digits[-visible:])
    return " ".join([*head, f"{MASK}{tail}"])


def mask_email(email):
    """``anna.schmidt@clinic.de`` -> ``a****@clinic.de``."""
    if not email:
        return email
    email = str(email).strip()
    local, sep, domain = email.rpartition("@")
    if not sep or not local:
        return MASK
    return f"{local[0]}{MASK}@{domain}"
