"""Generate random instances that a draft-07 schema accepts.

The generator follows the schema's structure: required properties always,
optional ones with a probability that falls with depth, array lengths within
minItems..maxItems, strings from enum, const or pattern. Combinators it cannot
satisfy by construction (oneOf/anyOf branches, not, if/then/else) are handled
by picking a branch and leaving the final check to the reference validator,
which rejects the instance when the guess was wrong.
"""
import string

from regex_sample import matching_string
from schema_walk import node_types, resolve

MAX_DEPTH = 12
INTEGER_RANGE = (0, 100000)
WORD_CHARS = string.ascii_letters + string.digits
# Values every peer accepts for the formats the workload schemas use; some
# peers assert formats by default (fastjsonschema), others only annotate.
FORMAT_SAMPLES = {
    "date-time": ["2024-05-17T08:30:00Z", "2025-12-01T23:59:59.5+01:00"],
    "date": ["2024-05-17"],
    "uri": ["https://example.com/dashboards/main", "s3://bucket/key"],
}


class Skip(Exception):
    """The generator cannot produce a value for this schema node."""


class InstanceGenerator:
    """Random valid instances of ROOT. Patterns in AVOID_PATTERNS are never
    exercised: a property whose schema uses one is left out."""

    def __init__(self, root, rng, avoid_patterns, optional_rate=0.6, node_budget=400, hints=None,
                 max_extra_items=3):
        self.root = root
        self.hints = hints or {}
        self.max_extra_items = max_extra_items
        self.rng = rng
        self.avoid_patterns = avoid_patterns
        self.optional_rate = optional_rate
        self.node_budget = node_budget
        self.nodes = 0

    def instance(self):
        self.nodes = 0
        return self.value(self.root, 0)

    def value(self, node, depth):
        node = self.merge_branches(resolve(self.root, node))
        self.nodes += 1
        if node is True or node == {}:
            return self.word(4, 12)
        if node is False or depth > MAX_DEPTH:
            raise Skip()
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return self.rng.choice(node["enum"])

        kind = self.rng.choice(node_types(node))
        return getattr(self, "value_" + kind)(node, depth)

    def merge_branches(self, node):
        if not isinstance(node, dict):
            return node
        if not any(key in node for key in ("oneOf", "anyOf", "allOf")):
            return node

        merged = {k: v for k, v in node.items() if k not in ("oneOf", "anyOf", "allOf")}
        for sub in node.get("allOf", []):
            self.merge_into(merged, resolve(self.root, sub))
        for key in ("oneOf", "anyOf"):
            if key in node:
                branches = [resolve(self.root, b) for b in node[key]]
                chosen = self.rng.choice(branches)
                self.merge_into(merged, chosen)
                self.exclude_other_branches(merged, chosen, branches)
        return merged

    def merge_into(self, merged, sub):
        if not isinstance(sub, dict):
            return
        for key, value in sub.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = sorted(set(merged.get("required", [])) | set(value))
            else:
                merged[key] = value

    def exclude_other_branches(self, merged, chosen, branches):
        """Leave out the properties that only other branches require, so a
        oneOf of `required` lists matches exactly one branch."""
        keep = set(chosen.get("required", [])) if isinstance(chosen, dict) else set()
        excluded = set()
        for branch in branches:
            if isinstance(branch, dict) and branch is not chosen:
                excluded |= set(branch.get("required", [])) - keep
        merged["x-bench-excluded"] = sorted(excluded)

    def value_object(self, node, depth):
        result = {}
        required = set(node.get("required", []))
        excluded = set(node.get("x-bench-excluded", []))
        rate = self.optional_rate ** (depth + 1) if self.nodes < self.node_budget else 0.0

        for name, sub in node.get("properties", {}).items():
            if name in excluded:
                continue
            if name not in required and self.rng.random() >= rate:
                continue
            try:
                result[name] = self.property_value(name, sub, depth + 1)
            except Skip:
                if name in required:
                    raise
        self.add_pattern_properties(node, result, depth)
        self.add_map_entries(node, result, depth)
        return result

    def property_value(self, name, node, depth):
        """Return a value for property NAME, taken from the workload's hints
        when it names realistic values; the reference validator still checks it."""
        if name in self.hints and self.rng.random() < 0.9:
            return self.rng.choice(self.hints[name])
        return self.value(node, depth)

    def add_pattern_properties(self, node, result, depth):
        for pattern, sub in node.get("patternProperties", {}).items():
            if pattern in self.avoid_patterns or self.rng.random() >= 0.5:
                continue
            key = matching_string(pattern, self.rng, 1, 64)
            if key is None or key in result:
                continue
            try:
                result[key] = self.value(sub, depth + 1)
            except Skip:
                pass

    def add_map_entries(self, node, result, depth):
        extra = node.get("additionalProperties", True)
        if "properties" in node or "patternProperties" in node or extra is False:
            return
        for index in range(self.rng.randint(0, 2)):
            try:
                result["key%d" % index] = self.value(extra, depth + 1)
            except Skip:
                pass

    def value_array(self, node, depth):
        low = node.get("minItems", 0)
        high = min(node.get("maxItems", low + self.max_extra_items), low + self.max_extra_items)
        count = self.rng.randint(low, high) if self.nodes < self.node_budget else low
        items, seen = [], set()
        for _ in range(count * 3):
            if len(items) >= count:
                break
            try:
                item = self.value(node.get("items", {}), depth + 1)
            except Skip:
                continue
            key = repr(item)
            if node.get("uniqueItems") and key in seen:
                continue
            seen.add(key)
            items.append(item)
        if len(items) < low:
            raise Skip()
        return items

    def value_string(self, node, depth):
        low = node.get("minLength", 0)
        high = node.get("maxLength")
        pattern = node.get("pattern")
        if node.get("format") in FORMAT_SAMPLES and pattern is None:
            return self.rng.choice(FORMAT_SAMPLES[node["format"]])
        if pattern is None:
            return self.word(max(low, min(4, high or 4)), min(high or 24, max(low, 24)))
        if pattern in self.avoid_patterns:
            raise Skip()
        text = matching_string(pattern, self.rng, low, high)
        if text is None:
            raise Skip()
        return text

    def word(self, low, high):
        return "".join(self.rng.choice(WORD_CHARS) for _ in range(self.rng.randint(low, max(low, high))))

    def value_integer(self, node, depth):
        low, high = self.bounds(node)
        return self.rng.randint(low, high)

    def value_number(self, node, depth):
        low, high = self.bounds(node)
        if self.rng.random() < 0.5 or "multipleOf" in node or high - low < 1:
            return self.rng.randint(low, high)
        return self.rng.randint(low, high - 1) + 0.25

    def bounds(self, node):
        low = node.get("minimum", INTEGER_RANGE[0] if node.get("maximum", 1) > 0 else node["maximum"] - 100)
        high = node.get("maximum", max(low, INTEGER_RANGE[1]) if low < INTEGER_RANGE[1] else low + 100)
        if node.get("exclusiveMinimum") is not None:
            low = node["exclusiveMinimum"] + 1
        if node.get("exclusiveMaximum") is not None:
            high = node["exclusiveMaximum"] - 1
        low, high = int(-(-low // 1)), int(high // 1)
        high = min(high, low + INTEGER_RANGE[1])
        if high < low:
            raise Skip()
        return low, high

    def value_boolean(self, node, depth):
        return self.rng.random() < 0.5

    def value_null(self, node, depth):
        return None
