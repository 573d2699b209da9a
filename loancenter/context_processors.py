from .navigation import grouped, items_for
from .roles import ROLES, user_role_codes


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menu": [], "my_roles": [], "my_role_codes": set()}
    codes = user_role_codes(user)
    items = items_for(user)
    return {
        "nav_items": items,
        "nav_menu": grouped(items),
        "my_roles": [ROLES[code] for code in ROLES if code in codes],
        "my_role_codes": codes,
    }
