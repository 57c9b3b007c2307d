from . import track17_client
