from . import knowledge, portal, sale_return, staff, warranty, warranty_import
