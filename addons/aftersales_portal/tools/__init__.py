from .masking import mask_email, mask_phone
from .uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES, upload_error
