"""Instances for the differential test: resource Properties taken from real
CloudFormation templates, synthesized instances for types the templates do
not use, and mutations that should make an instance invalid."""

import copy
import json
import os
import re
import re._parser as regex_parser  # Python 3.11 name of sre_parse
import re._constants as regex_constants

import yaml

# Property names that no provider schema defines.
UNKNOWN_PROPERTY = "CfgateUnknownProperty"
NOT_IN_ENUM = "CfgateNotInEnum"
# Strings tried, in order, until one does not match a property's pattern.
PATTERN_BREAKERS = ["", " ", "!", "\u00e9\u00e9", "UPPER lower 123 ;:", "x" * 300]
# Depth to which synthesized instances fill nested objects.
SYNTHESIS_DEPTH = 4


class _CfnLoader(yaml.SafeLoader):
    """A YAML loader that turns CloudFormation short-form tags (!Ref, !Sub,
    ...) into their long forms, so intrinsic values can be recognized."""


def _construct_tag(loader, tag_suffix, node):
    name = "Fn::" + tag_suffix
    if tag_suffix in ("Ref", "Condition"):
        name = tag_suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path):
    """Returns the parsed template, or None when it cannot be parsed."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        if path.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=_CfnLoader)
    except (ValueError, yaml.YAMLError):
        return None


def has_intrinsic(value):
    """True when value contains an intrinsic function, a Condition or a
    dynamic reference, whose value is unknown offline."""
    if isinstance(value, dict):
        if len(value) == 1:
            key = next(iter(value))
            if key == "Ref" or key == "Condition" or key.startswith("Fn::"):
                return True
        return any(has_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(has_intrinsic(v) for v in value)
    if isinstance(value, str):
        return "{{resolve:" in value
    return False


def _json_safe(value):
    """YAML gives dates and timestamps as objects; the schemas see strings."""
    return json.loads(json.dumps(value, default=str))


def corpus_properties(templates_dir):
    """Returns {type name: [(instance id, properties)]} for every resource of
    the corpus, with properties that contain intrinsics removed."""
    found = {}
    for folder, _, files in sorted(os.walk(templates_dir)):
        for name in sorted(files):
            if not name.endswith((".json", ".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            template = load_template(path)
            if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
                continue
            relative = os.path.relpath(path, templates_dir)
            for logical_id, resource in sorted(template["Resources"].items()):
                if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
                    continue
                properties = resource.get("Properties", {})
                if not isinstance(properties, dict):
                    continue
                kept = {k: v for k, v in properties.items() if not has_intrinsic(v)}
                found.setdefault(resource["Type"], []).append(
                    ("%s:%s" % (relative, logical_id), _json_safe(kept)))
    return found


class SchemaView:
    """Resolves local $refs of one schema document."""

    def __init__(self, document):
        self.document = document

    def resolve(self, node, depth=0):
        while isinstance(node, dict) and "$ref" in node and depth < 32:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            target = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
            depth += 1
        return node if isinstance(node, dict) else {}


def _class_char(items):
    """Returns one character of a character class, or None for a negated
    class (the caller then gives up on the pattern)."""
    if items and items[0][0] == regex_constants.NEGATE:
        return None
    for op, value in items:
        if op == regex_constants.LITERAL:
            return chr(value)
        if op == regex_constants.RANGE:
            return chr(value[0])
        if op == regex_constants.CATEGORY:
            return {regex_constants.CATEGORY_DIGIT: "0", regex_constants.CATEGORY_WORD: "a",
                    regex_constants.CATEGORY_SPACE: " "}.get(value)
    return None


def _generate_items(items, out):
    """Appends a string matching the parsed items to out; False when an item
    is not supported (backreferences, negated classes...)."""
    for op, value in items:
        if op == regex_constants.LITERAL:
            out.append(chr(value))
        elif op in (regex_constants.ANY, regex_constants.NOT_LITERAL):
            out.append("a" if value != ord("a") else "b")
        elif op == regex_constants.IN:
            char = _class_char(value)
            if char is None:
                return False
            out.append(char)
        elif op in (regex_constants.MAX_REPEAT, regex_constants.MIN_REPEAT):
            low, _, sub = value
            for _ in range(low):
                if not _generate_items(sub, out):
                    return False
        elif op == regex_constants.SUBPATTERN:
            if not _generate_items(value[3], out):
                return False
        elif op == regex_constants.BRANCH:
            if not _generate_items(value[1][0], out):
                return False
        elif op in (regex_constants.AT, regex_constants.ASSERT, regex_constants.ASSERT_NOT):
            continue
        else:
            return False
    return True


def matching_string(pattern):
    """Returns a short string that python's re finds pattern in, or None when
    the pattern is outside the simple subset this generator handles."""
    try:
        parsed = regex_parser.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return None
    out = []
    if not _generate_items(list(parsed), out):
        return None
    text = "".join(out)
    try:
        return text if re.search(pattern, text) else None
    except re.error:
        return None


def _synthesize_string(node):
    low = node.get("minLength", 0)
    high = node.get("maxLength", 1 << 30)
    pattern = node.get("pattern")
    text = matching_string(pattern) if isinstance(pattern, str) else None
    if text is None:
        text = "example"
    if pattern is None and not low <= len(text) <= high:
        text = "x" * max(low, min(high, 7))
    return text


def _synthesize_number(node, kind):
    value = node.get("minimum", node.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in node else 1)
    if "maximum" in node and value > node["maximum"]:
        value = node["maximum"]
    if kind == "integer":
        return int(value)
    return value


def _first_type(node):
    types = node.get("type")
    if isinstance(types, list):
        return types[0] if types else None
    return types


def synthesize(view, node, depth=0):
    """Builds a plausible value for node: enum and const values first, every
    property of an object down to SYNTHESIS_DEPTH, minItems items per array,
    and strings generated from their pattern where the pattern is simple."""
    node = view.resolve(node)
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        if node.get(key) and "type" not in node and "properties" not in node:
            return synthesize(view, node[key][0], depth)

    kind = _first_type(node) or ("object" if "properties" in node else None)
    if kind == "object":
        if depth >= SYNTHESIS_DEPTH:
            return {}
        return {name: synthesize(view, child, depth + 1)
                for name, child in sorted(node.get("properties", {}).items())}
    if kind == "array":
        if depth >= SYNTHESIS_DEPTH:
            return []
        count = max(1, node.get("minItems", 1)) if not node.get("uniqueItems") else 1
        return [synthesize(view, node.get("items", {}), depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        return _synthesize_number(node, kind)
    if kind == "boolean":
        return True
    return _synthesize_string(node)


def _top_level_properties(view, schema):
    return {name: view.resolve(child) for name, child in schema.get("properties", {}).items()}


def _wrong_type_value(value):
    if isinstance(value, str):
        return 12345
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return "not a number"
    return "not an object or array"


def _pattern_breaker(pattern):
    try:
        compiled = re.compile(pattern)
    except re.error:
        return None
    for candidate in PATTERN_BREAKERS:
        if not compiled.search(candidate):
            return candidate
    return None


def mutations(view, schema, properties):
    """Yields (kind, mutated properties) for the mutations that apply."""
    unknown = copy.deepcopy(properties)
    unknown[UNKNOWN_PROPERTY] = 1
    yield "unknown-property", unknown

    present = [name for name in sorted(properties) if name in schema.get("properties", {})]
    if present:
        wrong = copy.deepcopy(properties)
        wrong[present[0]] = _wrong_type_value(wrong[present[0]])
        yield "wrong-type", wrong

    children = _top_level_properties(view, schema)
    for name in sorted(children):
        pattern = children[name].get("pattern")
        breaker = _pattern_breaker(pattern) if isinstance(pattern, str) else None
        if breaker is not None:
            broken = copy.deepcopy(properties)
            broken[name] = breaker
            yield "pattern", broken
            break

    for name in sorted(children):
        if children[name].get("enum"):
            broken = copy.deepcopy(properties)
            broken[name] = NOT_IN_ENUM
            yield "enum", broken
            break
