from . import portal, warranty
