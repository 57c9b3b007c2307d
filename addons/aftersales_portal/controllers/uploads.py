from odoo.http import request

from ..tools import MAX_UPLOAD_BYTES, upload_error


def attachments_error(uploads):
    """The message for the attachments of a portal form (photos, videos, PDF
    and office documents), or None: the last refused file of ``uploads``
    (``[(filename, content)]``) names the problem."""
    _ = request.env._
    message = None
    for filename, content in uploads:
        error = upload_error(filename, len(content))
        if error == "type":
            message = _(
                "%(file)s: this type of file is not accepted (photos, videos, "
                "PDF and office documents are).",
                file=filename,
            )
        elif error == "size":
            message = _(
                "%(file)s is larger than %(size)s MB.",
                file=filename,
                size=MAX_UPLOAD_BYTES // (1024 * 1024),
            )
    return message
