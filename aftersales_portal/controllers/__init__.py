from . import portal, portal_returns
from . import contact, faq
