"""The HTML pages the fakes show a browser: consent, the device-code page, errors. Element ids
are part of the fakes' API (headless Chromium clicks them); see the package docstring.
"""

from html import escape

STYLE = "body{font-family:sans-serif;max-width:40em;margin:2em auto}li{margin:.4em 0}"


def _page(title, body, status=200):
    html = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")
    return html, status, {"Content-Type": "text/html; charset=utf-8"}


def scope_element_id(scope):
    """id of a scope's checkbox: "scope-" + the scope's last path segment, e.g.
    scope-contacts.readonly, scope-contacts.other.readonly, scope-openid, scope-Contacts.Read."""
    return "scope-" + scope.rstrip("/").rsplit("/", 1)[-1]


def consent_page(provider, account, app_name, scopes, action, granular):
    """A consent form that POSTs back to `action` (the authorization URL itself) with
    decision=allow|cancel and, when `granular`, one granted_scope field per ticked box."""
    items = []
    for scope in scopes:
        if granular:
            items.append(f"<li><label><input type='checkbox' name='granted_scope' value='{escape(scope)}' "
                         f"id='{escape(scope_element_id(scope))}' checked> {escape(scope)}</label></li>")
        else:
            items.append(f"<li id='{escape(scope_element_id(scope))}'>{escape(scope)}</li>")
    body = (f"<h1>{escape(provider)}</h1><p id='account'>{escape(account)}</p>"
            f"<p><b>{escape(app_name)}</b> wants to access your account:</p>"
            f"<form method='post' action='{escape(action)}' id='consent'><ul id='scopes'>{''.join(items)}</ul>"
            "<button type='submit' name='decision' value='cancel' id='cancel'>Cancel</button> "
            "<button type='submit' name='decision' value='allow' id='allow'>Allow</button></form>")
    return _page(f"{provider}: consent", body)


def error_page(provider, error, description, status):
    body = (f"<h1>{escape(provider)}</h1><p>Access blocked: this request is invalid.</p>"
            f"<p id='error'>Error {status}: {escape(error)}</p>"
            f"<p id='error-description'>{escape(description or '')}</p>")
    return _page(f"{provider}: error", body, status)


def device_link_page(provider, message="", status=200, user_code=""):
    """The page a user types a device code into: input id user_code, buttons approve / decline."""
    note = f"<p id='message'>{escape(message)}</p>" if message else ""
    body = (f"<h1>{escape(provider)}</h1><p>Enter the code displayed on your device.</p>{note}"
            "<form method='post' action='/link' id='device'>"
            f"<input type='text' name='user_code' id='user_code' autocomplete='off' value='{escape(user_code)}'> "
            "<button type='submit' name='decision' value='decline' id='decline'>Decline</button> "
            "<button type='submit' name='decision' value='approve' id='approve'>Approve</button></form>")
    return _page(f"{provider}: enter code", body, status)


def device_done_page(provider, approved):
    text = ("You have signed in to the application on your device. You may now close this window."
            if approved else "You declined to sign in to the application on your device.")
    return _page(f"{provider}: done", f"<h1>{escape(provider)}</h1><p id='result'>{escape(text)}</p>")
