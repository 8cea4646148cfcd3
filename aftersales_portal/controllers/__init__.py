from . import portal, portal_returns
from . import portal_complaints
