"""Generate strings that a regular expression matches, and strings it rejects.

The expression is parsed with Python's own regex parser (re._parser), then
its syntax tree is walked with random choices. Only printable ASCII is
produced, so Python's and ECMA-262's readings of \\d, \\w, \\s, '.' and '$'
agree on every generated string (they differ only on non-ASCII text, line
terminators and a newline before the end of the string).
"""
import re
import re._constants as C
import re._parser as P

PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
PREFERRED = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [chr(c) for c in range(ord("0"), ord("9") + 1)]
MAX_EXTRA_REPEAT = 6
MAX_TRIES = 40


def _category_members(category):
    if category == C.CATEGORY_DIGIT:
        return [c for c in PRINTABLE if c.isdigit()]
    if category == C.CATEGORY_NOT_DIGIT:
        return [c for c in PRINTABLE if not c.isdigit()]
    if category == C.CATEGORY_WORD:
        return [c for c in PRINTABLE if c.isalnum() or c == "_"]
    if category == C.CATEGORY_NOT_WORD:
        return [c for c in PRINTABLE if not (c.isalnum() or c == "_")]
    if category == C.CATEGORY_SPACE:
        return [" "]
    if category == C.CATEGORY_NOT_SPACE:
        return [c for c in PRINTABLE if c != " "]
    return []


def _class_members(items):
    negate = False
    members = set()
    for op, arg in items:
        if op == C.NEGATE:
            negate = True
        elif op == C.LITERAL:
            members.add(chr(arg))
        elif op == C.RANGE:
            members.update(chr(c) for c in range(arg[0], arg[1] + 1) if chr(c) in PRINTABLE)
        elif op == C.CATEGORY:
            members.update(_category_members(arg))
    if negate:
        return [c for c in PRINTABLE if c not in members]
    return sorted(c for c in members if c in PRINTABLE)


def _pick_char(rng, members):
    preferred = [c for c in members if c in PREFERRED]
    if preferred and rng.random() < 0.8:
        return rng.choice(preferred)
    return rng.choice(members)


class _Walker:
    def __init__(self, rng, flags):
        self.rng = rng
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.groups = {}

    def emit(self, tree):
        return "".join(self.emit_node(op, arg) for op, arg in tree)

    def emit_node(self, op, arg):
        rng = self.rng
        if op == C.LITERAL:
            return chr(arg)
        if op == C.NOT_LITERAL:
            return _pick_char(rng, [c for c in PRINTABLE if c != chr(arg)])
        if op == C.ANY:
            return _pick_char(rng, PRINTABLE)
        if op == C.IN:
            members = _class_members(arg)
            if not members:
                raise ValueError("character class with no printable ASCII member")
            return _pick_char(rng, members)
        if op == C.BRANCH:
            return self.emit(rng.choice(arg[1]))
        if op == C.SUBPATTERN:
            group, _add, _del, sub = arg
            text = self.emit(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = arg
            high = min(high, low + MAX_EXTRA_REPEAT)
            return "".join(self.emit(sub) for _ in range(rng.randint(low, high)))
        if op == C.GROUPREF:
            return self.groups.get(arg, "")
        if op == C.ATOMIC_GROUP:
            return self.emit(arg)
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return ""
        if op == C.CATEGORY:
            return _pick_char(rng, _category_members(arg))
        raise ValueError("unsupported regex construct %s" % op)


def is_portable(pattern):
    """Tell whether PATTERN compiles in Python and has no construct whose
    meaning differs between Python and ECMA-262 on printable ASCII."""
    if re.search(r"\\[pPAZzGhHRXK]|\(\?[imsx]|\(\?<[=!]|\\[0-9]", pattern):
        return False
    try:
        re.compile(pattern)
    except (re.error, OverflowError):
        return False
    return True


def matching_string(pattern, rng, min_length=0, max_length=None):
    """Return a string that re.search(PATTERN) accepts within the length
    bounds, or None after MAX_TRIES attempts."""
    compiled = re.compile(pattern)
    tree = P.parse(pattern)
    for _ in range(MAX_TRIES):
        try:
            text = _Walker(rng, compiled.flags).emit(tree)
        except ValueError:
            return None
        if not compiled.search(text):
            continue
        if len(text) < min_length or (max_length is not None and len(text) > max_length):
            continue
        return text
    return None


def rejected_string(pattern, rng, min_length=0, max_length=None):
    """Return a string within the length bounds that re.search(PATTERN)
    rejects, or None when none of the candidates is rejected."""
    compiled = re.compile(pattern)
    limit = max_length if max_length is not None else min_length + 16
    candidates = ["~" * max(min_length, 1), "#", " ", "-", "A", "0", "~!~"]
    candidates += ["".join(rng.choice(PRINTABLE) for _ in range(rng.randint(1, 8))) for _ in range(20)]
    for text in candidates:
        while len(text) < min_length:
            text += "~"
        text = text[:limit]
        if len(text) >= min_length and not compiled.search(text):
            return text
    return None
