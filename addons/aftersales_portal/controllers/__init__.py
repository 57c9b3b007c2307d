from . import knowledge, portal, staff, warranty
