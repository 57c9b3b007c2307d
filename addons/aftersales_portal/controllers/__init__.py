from . import claim, knowledge, portal, sale_return, staff, warranty, warranty_import
