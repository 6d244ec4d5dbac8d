"""Helpers for walking a draft-07 JSON Schema with local $ref pointers."""

MAX_REF_CHAIN = 64


def resolve_pointer(root, pointer):
    """Return the node at a local JSON pointer such as '#/definitions/Tag'."""
    if not pointer.startswith("#"):
        raise ValueError("only local $ref pointers are supported: %r" % pointer)
    node = root
    for token in pointer[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def resolve(root, node):
    """Follow $ref until reaching a node without one."""
    for _ in range(MAX_REF_CHAIN):
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        node = resolve_pointer(root, node["$ref"])
    raise ValueError("too many chained $ref (limit is %d)" % MAX_REF_CHAIN)


def node_types(node):
    """Return the JSON types a schema node names, or guess them from its keywords."""
    declared = node.get("type")
    if isinstance(declared, list):
        return declared
    if isinstance(declared, str):
        return [declared]
    if "properties" in node or "patternProperties" in node or "required" in node:
        return ["object"]
    if "items" in node:
        return ["array"]
    if "enum" in node:
        return sorted({_json_type(v) for v in node["enum"]})
    if "const" in node:
        return [_json_type(node["const"])]
    return ["string"]


def _json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"


def collect_patterns(node, found=None):
    """Return every regex in a schema: pattern values and patternProperties keys."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.add(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found.update(value.keys())
            if key not in ("enum", "const"):
                collect_patterns(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_patterns(value, found)
    return found
