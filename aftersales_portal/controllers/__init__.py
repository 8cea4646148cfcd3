from . import portal, portal_returns
from . import portal_complaints
from . import portal_warranties
from . import portal_repairs
from . import contact, faq
