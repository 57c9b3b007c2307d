from . import knowledge, portal, staff, warranty, warranty_import
