from . import (
    claim,
    knowledge,
    points,
    portal,
    sale_return,
    staff,
    warranty,
    warranty_import,
)
