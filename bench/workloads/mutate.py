"""Turn a valid instance into an invalid one with one targeted change.

Each mutation kind names a way real property objects go wrong: a property the
schema does not define, a value of the wrong type, a string that breaks a
pattern, a value outside an enum, a required property left out.
"""
import copy

from regex_sample import rejected_string
from schema_walk import node_types, resolve

KINDS = ("unknown_property", "wrong_type", "pattern", "enum", "missing_required")
UNKNOWN_NAME = "UnknownBenchProperty"


class Site:
    """One value of an instance, with its parent container and schema node."""

    def __init__(self, parent, key, value, node):
        self.parent, self.key, self.value, self.node = parent, key, value, node


def collect_sites(root, instance):
    """Return a Site for every value reachable through properties and items.
    Values under oneOf, anyOf, not or if are left out: their schema is ambiguous."""
    sites = []
    pending = [(None, None, instance, root)]
    while pending:
        parent, key, value, node = pending.pop()
        node = resolve(root, node)
        if not isinstance(node, dict) or any(k in node for k in ("oneOf", "anyOf", "not", "if")):
            continue
        sites.append(Site(parent, key, value, node))
        if isinstance(value, dict):
            for name, child in value.items():
                if name in node.get("properties", {}):
                    pending.append((value, name, child, node["properties"][name]))
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for index, child in enumerate(value):
                pending.append((value, index, child, node["items"]))
    return sites


def _unknown_property(site, rng, avoid):
    if not isinstance(site.value, dict) or site.node.get("additionalProperties", True) is not False:
        return False
    if site.node.get("patternProperties"):
        return False
    site.value[UNKNOWN_NAME] = "unexpected"
    return True


def _wrong_type(site, rng, avoid):
    if site.parent is None or "enum" in site.node or "const" in site.node:
        return False
    types = node_types(site.node)
    if "string" not in types:
        site.parent[site.key] = "not-a-" + types[0]
    elif "integer" not in types and "number" not in types:
        site.parent[site.key] = 12345
    else:
        return False
    return True


def _pattern(site, rng, avoid):
    pattern = site.node.get("pattern")
    if site.parent is None or not isinstance(site.value, str) or pattern is None or pattern in avoid:
        return False
    text = rejected_string(pattern, rng, site.node.get("minLength", 0), site.node.get("maxLength"))
    if text is None:
        return False
    site.parent[site.key] = text
    return True


def _enum(site, rng, avoid):
    if site.parent is None or not isinstance(site.value, str) or "enum" not in site.node:
        return False
    site.parent[site.key] = "NOT_AN_ALLOWED_VALUE"
    return True


def _missing_required(site, rng, avoid):
    present = [name for name in site.node.get("required", []) if isinstance(site.value, dict) and name in site.value]
    if not present:
        return False
    del site.value[rng.choice(present)]
    return True


MUTATORS = {
    "unknown_property": _unknown_property,
    "wrong_type": _wrong_type,
    "pattern": _pattern,
    "enum": _enum,
    "missing_required": _missing_required,
}


def mutate(root, instance, kind, rng, avoid_patterns):
    """Return a mutated deep copy of INSTANCE, or None when no site of
    INSTANCE takes a mutation of KIND."""
    mutated = copy.deepcopy(instance)
    sites = collect_sites(root, mutated)
    rng.shuffle(sites)
    for site in sites:
        if MUTATORS[kind](site, rng, avoid_patterns):
            return mutated
    return None
