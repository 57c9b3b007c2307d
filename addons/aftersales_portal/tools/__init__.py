from .masking import mask_email, mask_phone
from .uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES, upload_error
from .warranty_import import (
    IMPORT_COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    check_rows,
    import_file_error,
)
