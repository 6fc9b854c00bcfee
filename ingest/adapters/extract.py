"""One page.evaluate() per read: rows/messages/listing cards with their fields, selectors tried in order."""

_EXTRACT_JS = """(spec) => {
  const attrsOf = (el) => { const out = {}; for (const a of el.getAttributeNames()) out[a] = el.getAttribute(a); return out; };
  const describe = (el) => el ? {text: (el.innerText || el.textContent || "").trim(), attrs: attrsOf(el), href: el.href || ""} : null;
  const safe = (fn, fallback) => { try { return fn(); } catch (e) { return fallback; } };
  const pick = (root, sels) => {
    for (const s of sels) {
      const el = safe(() => (root.matches && root.matches(s)) ? root : root.querySelector(s), null);
      if (el) return el;
    }
    return null;
  };
  let selector = null, items = [];
  for (const s of spec.items) {
    const found = safe(() => Array.from(document.querySelectorAll(s)), []);
    if (found.length) { selector = s; items = found; break; }
  }
  const flagged = (el, sels) => sels.some((s) => safe(() => el.matches(s) || !!el.querySelector(s), false));
  return {
    selector,
    items: items.map((el) => {
      const fields = {};
      for (const [name, sels] of Object.entries(spec.fields)) fields[name] = describe(pick(el, sels));
      const flags = {};
      for (const [name, sels] of Object.entries(spec.flags)) flags[name] = flagged(el, sels);
      return {self: describe(el), fields, flags};
    }),
    page: Object.fromEntries(Object.entries(spec.page).map(([name, sels]) => [name, describe(pick(document, sels))])),
    markers: Object.fromEntries(Object.entries(spec.markers).map(([name, sels]) => [name, !!pick(document, sels)])),
  };
}"""


def extract(page, *, items, fields=None, flags=None, page_fields=None, markers=None):
    """Returns {"selector": the item selector that matched or None, "items": [...], "page": {...}, "markers": {...}}.

    Each item is {"self": node, "fields": {name: node|None}, "flags": {name: bool}}; a node is
    {"text", "attrs", "href"} (href absolute). Field selectors may match the item itself.
    """
    spec = {
        "items": list(items),
        "fields": {k: list(v) for k, v in (fields or {}).items()},
        "flags": {k: list(v) for k, v in (flags or {}).items()},
        "page": {k: list(v) for k, v in (page_fields or {}).items()},
        "markers": {k: list(v) for k, v in (markers or {}).items()},
    }
    return page.evaluate(_EXTRACT_JS, spec)


def text(node):
    return " ".join((node or {}).get("text", "").split()) if node else ""


def attr(node, *names):
    if not node:
        return ""
    attrs = node.get("attrs") or {}
    for name in names:
        value = (attrs.get(name) or "").strip()
        if value:
            return value
    return ""
