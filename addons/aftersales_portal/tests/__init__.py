from . import (
    test_access_matrix,
    test_portal_knowledge,
    test_masking,
    test_portal_pages,
    test_portal_rma_order,
    test_portal_rma_warranty,
    test_portal_rtl_phone,
    test_portal_staff,
    test_portal_ticket_form,
    test_portal_tours,
    test_portal_warranty_import,
    test_warranty_import_rows,
)
