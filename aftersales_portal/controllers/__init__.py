from . import portal, portal_returns
