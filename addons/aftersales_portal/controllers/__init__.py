from . import portal, staff, warranty
