/*
 * Recursive descent parser for the pattern dialect:
 *   alternation := sequence ('|' sequence)*
 *   sequence    := (atom quantifier*)*
 *   quantifier  := ('*' | '+' | '?' | '{' m (',' n?)? '}') '?'?
 * Stacked quantifiers (a*{1,5}) apply to the quantified atom, a quantified
 * assertion is the assertion itself (or nothing when the minimum is 0), and a
 * '{' that does not start a quantifier is a literal, as in Annex B.
 */
#include <stdint.h>
#include <string.h>

#include "re_parse_internal.h"

static re_node *parse_alternation(re_parser *ps);

static int at(const re_parser *ps, char c) {
  return ps->pos < ps->len && ps->text[ps->pos] == c;
}

static int starts_with(const re_parser *ps, const char *prefix) {
  size_t n = strlen(prefix);
  return ps->len - ps->pos >= n && memcmp(ps->text + ps->pos, prefix, n) == 0;
}

/* Reads a decimal number of at most RE_MAX_REPEAT + 1; returns 0 when no digit. */
static int read_count(re_parser *ps, size_t *pos, uint32_t *value) {
  size_t start = *pos;
  uint32_t v = 0;

  while (*pos < ps->len && ps->text[*pos] >= '0' && ps->text[*pos] <= '9') {
    if (v <= RE_MAX_REPEAT) v = v * 10 + (uint32_t)(ps->text[*pos] - '0');
    (*pos)++;
  }
  *value = v;
  return *pos > start;
}

/* Recognizes {m}, {m,} or {m,n} at ps->pos without consuming. Returns 1 and the end position when found. */
static int scan_braces(re_parser *ps, uint32_t *min, uint32_t *max, size_t *end) {
  size_t pos = ps->pos + 1;

  if (!read_count(ps, &pos, min)) return 0;
  *max = *min;
  if (pos < ps->len && ps->text[pos] == ',') {
    pos++;
    if (!read_count(ps, &pos, max)) *max = RE_REPEAT_INFINITE;
  }
  if (pos >= ps->len || ps->text[pos] != '}') return 0;
  *end = pos + 1;
  return 1;
}

/* Reads a quantifier at ps->pos. Returns 1 when found, 0 when none, -1 on error. */
static int read_quantifier(re_parser *ps, uint32_t *min, uint32_t *max, int *greedy) {
  size_t start = ps->pos, end;
  char c = ps->pos < ps->len ? ps->text[ps->pos] : 0;

  if (c == '*' || c == '+' || c == '?') {
    *min = c == '+';
    *max = c == '?' ? 1 : RE_REPEAT_INFINITE;
    ps->pos++;
  } else if (c == '{' && scan_braces(ps, min, max, &end)) {
    ps->pos = end;
  } else {
    return 0;
  }

  if ((*min > RE_MAX_REPEAT) || (*max != RE_REPEAT_INFINITE && *max > RE_MAX_REPEAT)) {
    return re_parse_fail(ps, start, "repetition count too large (limit is %u)", RE_MAX_REPEAT);
  }
  if (*max < *min) return re_parse_fail(ps, start, "invalid quantifier: maximum %u is below minimum %u", *max, *min);
  *greedy = !at(ps, '?');
  if (!*greedy) ps->pos++;
  return 1;
}

static re_node *wrap_repeat(re_parser *ps, re_node *atom, uint32_t min, uint32_t max, int greedy, size_t offset) {
  if (re_ast_is_zero_width(atom)) {
    return min == 0 ? re_ast_node(ps->ast, RE_NODE_EMPTY, offset) : atom;
  }

  re_node *node = re_ast_node(ps->ast, RE_NODE_REPEAT, offset);
  if (!node || re_ast_add_child(node, atom) < 0) return NULL;
  node->min = min;
  node->max = max;
  node->greedy = greedy;
  return node;
}

/* Applies inline flags such as "i", "s-m" to the parser; ps->pos is at the first flag. */
static int read_flags(re_parser *ps) {
  int on = 1;
  size_t start = ps->pos;

  while (ps->pos < ps->len && ps->text[ps->pos] != ')' && ps->text[ps->pos] != ':') {
    char c = ps->text[ps->pos++];
    if (c == '-') on = 0;
    else if (c == 'i') ps->ignore_case = on;
    else if (c == 's') ps->dot_all = on;
    else if (c == 'm') ps->multiline = on;
    else return re_parse_fail(ps, start - 2, "invalid group: unknown inline flag '%c'", c);
  }
  if (ps->pos >= ps->len) return re_parse_fail(ps, start - 2, "unterminated group: missing ')'");
  return 0;
}

/* Records the name of the group at start, rejecting a name used before in the
 * pattern, as PCRE2 (without (?J)) and Python's re do. */
static int add_group_name(re_parser *ps, size_t start, size_t name_offset, size_t name_len) {
  const char *name = ps->text + name_offset;

  for (uint32_t i = 0; i < ps->name_count; i++) {
    const re_group_name *seen = &ps->names[i];
    if (seen->name_len == name_len && memcmp(ps->text + seen->name_offset, name, name_len) == 0) {
      return re_parse_fail(ps, start, "duplicate group name '%.*s' (first used at offset %zu)",
                           (int)name_len, name, seen->offset);
    }
  }

  if (ps->name_count == RE_MAX_CAPTURES) {
    return re_parse_fail(ps, start, "too many capturing groups (limit is %u)", RE_MAX_CAPTURES);
  }
  ps->names[ps->name_count++] = (re_group_name){start, name_offset, name_len};
  return 0;
}

/* Reads "<name>" of a named group; ps->pos is at '<'. */
static int read_group_name(re_parser *ps, size_t start) {
  size_t name_offset = ps->pos + 1;
  const char *close = memchr(ps->text + ps->pos, '>', ps->len - ps->pos);

  if (!close) return re_parse_fail(ps, start, "invalid group name: missing '>'");
  size_t name_len = (size_t)(close - ps->text) - name_offset;
  if (re_parse_check_name(ps, name_offset, name_len) < 0) return -1;

  ps->pos = (size_t)(close - ps->text) + 1;
  return add_group_name(ps, start, name_offset, name_len);
}

/* The kind of group at '(' : fills *look (or -1) and *capture; ps->pos moves past the prefix.
 * Returns 1 for a flag-only group "(?i)", 0 for a group with content, -1 on error. */
static int read_group_prefix(re_parser *ps, size_t start, int *look, int *capture) {
  static const struct { const char *prefix; int look; } looks[] = {
      {"(?=", CFGATE_RE_LOOK_AHEAD}, {"(?!", CFGATE_RE_LOOK_NOT_AHEAD},
      {"(?<=", CFGATE_RE_LOOK_BEHIND}, {"(?<!", CFGATE_RE_LOOK_NOT_BEHIND}};

  *look = -1;
  *capture = 0;
  for (size_t i = 0; i < sizeof looks / sizeof *looks; i++) {
    if (starts_with(ps, looks[i].prefix)) {
      ps->pos += strlen(looks[i].prefix);
      *look = looks[i].look;
      return 0;
    }
  }
  if (starts_with(ps, "(?:")) {
    ps->pos += 3;
    return 0;
  }
  if (starts_with(ps, "(?P=")) {
    const char *close = memchr(ps->text + ps->pos + 4, ')', ps->len - ps->pos - 4);
    int name_len = close ? (int)(close - (ps->text + ps->pos + 4)) : 0;
    return re_parse_fail(ps, start, "named backreference '(?P=%.*s)' is not supported; refer to the "
                         "group by number", name_len, ps->text + ps->pos + 4);
  }
  if (starts_with(ps, "(?<") || starts_with(ps, "(?P<")) {
    ps->pos += ps->text[ps->pos + 2] == 'P' ? 3 : 2;
    *capture = 1;
    return read_group_name(ps, start);
  }
  if (starts_with(ps, "(?")) {
    ps->pos += 2;
    if (read_flags(ps) < 0) return -1;
    return ps->text[ps->pos++] == ')' ? 1 : 0;
  }
  ps->pos++;
  *capture = 1;
  return 0;
}

static re_node *finish_group(re_parser *ps, re_node *body, int look, uint32_t number, size_t start) {
  re_node *node;

  if (look >= 0) {
    node = re_ast_node(ps->ast, RE_NODE_LOOK, start);
    if (node) node->look = look;
  } else if (number > 0) {
    node = re_ast_node(ps->ast, RE_NODE_GROUP, start);
    if (node) node->capture = number;
  } else {
    return body;
  }
  if (!node || re_ast_add_child(node, body) < 0) return NULL;
  return node;
}

/* group := '(' prefix alternation ')'. Flags set inside end with the group. */
static re_node *parse_group(re_parser *ps) {
  size_t start = ps->pos;
  int look, capture, ignore_case = ps->ignore_case, dot_all = ps->dot_all, multiline = ps->multiline;
  uint32_t number = 0;

  int flag_only = read_group_prefix(ps, start, &look, &capture);
  if (flag_only < 0) return NULL;
  if (flag_only) return re_ast_node(ps->ast, RE_NODE_EMPTY, start);
  if (capture) number = ps->ast->capture_count++;
  if (++ps->depth > RE_MAX_NESTING) {
    re_parse_fail(ps, start, "too many nested groups (limit is %u)", RE_MAX_NESTING);
    return NULL;
  }

  re_node *body = parse_alternation(ps);
  if (!body) return NULL;
  if (!at(ps, ')')) {
    re_parse_fail(ps, start, "unterminated group: missing ')'");
    return NULL;
  }
  ps->pos++;
  ps->depth--;
  ps->ignore_case = ignore_case;
  ps->dot_all = dot_all;
  ps->multiline = multiline;
  return finish_group(ps, body, look, number, start);
}

static re_node *parse_dot(re_parser *ps) {
  re_node *node = re_ast_node(ps->ast, RE_NODE_CLASS, ps->pos++);

  if (!node) return NULL;
  if (ps->dot_all) {
    if (re_charset_add(&node->set, 0, RE_MAX_CODE_POINT) < 0) return NULL;
    return node;
  }
  /* ECMA-262 line terminators: \n, \r, U+2028, U+2029. */
  if (re_charset_add(&node->set, '\n', '\n') < 0 || re_charset_add(&node->set, '\r', '\r') < 0 ||
      re_charset_add(&node->set, 0x2028, 0x2029) < 0 || re_charset_negate(&node->set) < 0) {
    return NULL;
  }
  return node;
}

/* In a template pattern (options with placeholder_id), "${NAME}" with a
 * known NAME is a placeholder and "${!" is the text "${". Returns 1 with
 * *node set, 0 when '$' is an ordinary assertion, -1 on error. */
static int read_placeholder(re_parser *ps, re_node **node) {
  size_t start = ps->pos;

  if (!ps->options->placeholder_id || !starts_with(ps, "${")) return 0;
  if (ps->pos + 2 < ps->len && ps->text[ps->pos + 2] == '!') {
    ps->skip_bang = ps->pos + 2;
    return 0;
  }

  const char *name = ps->text + ps->pos + 2;
  const char *close = memchr(name, '}', ps->len - ps->pos - 2);
  if (!close) return 0;
  int id = ps->options->placeholder_id(ps->options->user_data, name, (size_t)(close - name));
  if (id < 0) return 0;

  *node = re_ast_node(ps->ast, RE_NODE_PLACEHOLDER, start);
  if (!*node) return -1;
  (*node)->placeholder = (uint32_t)id;
  if ((uint32_t)id + 1 > ps->ast->placeholder_count) ps->ast->placeholder_count = (uint32_t)id + 1;
  ps->ast->has_placeholder = 1;
  ps->pos = (size_t)(close - ps->text) + 1;
  return 1;
}

static re_node *parse_dollar(re_parser *ps) {
  re_node *node = NULL;
  int found = read_placeholder(ps, &node);

  if (found != 0) return node;
  node = re_ast_node(ps->ast, RE_NODE_ASSERT, ps->pos++);
  if (node) node->assertion = ps->multiline ? CFGATE_RE_ASSERT_LINE_END : CFGATE_RE_ASSERT_END;
  return node;
}

static re_node *parse_caret(re_parser *ps) {
  re_node *node = re_ast_node(ps->ast, RE_NODE_ASSERT, ps->pos++);
  if (node) node->assertion = ps->multiline ? CFGATE_RE_ASSERT_LINE_BEGIN : CFGATE_RE_ASSERT_BEGIN;
  return node;
}

static re_node *parse_literal(re_parser *ps) {
  size_t start = ps->pos;
  uint32_t code;

  if (re_parse_code_point(ps, &code) < 0) {
    re_parse_fail(ps, start, "invalid UTF-8 in pattern");
    return NULL;
  }
  return re_parse_literal_node(ps, code, start);
}

static re_node *nothing_to_repeat(re_parser *ps) {
  re_parse_fail(ps, ps->pos, "nothing to repeat before '%c'", ps->text[ps->pos]);
  return NULL;
}

/* atom := '(' group | '[' class | '\' escape | '.' | '^' | '$' | literal */
static re_node *parse_atom(re_parser *ps) {
  uint32_t min, max;
  size_t end;

  switch (ps->text[ps->pos]) {
  case '(': return parse_group(ps);
  case '[': return re_parse_class(ps);
  case '\\': return re_parse_escape(ps);
  case '.': return parse_dot(ps);
  case '^': return parse_caret(ps);
  case '$': return parse_dollar(ps);
  case '*':
  case '+':
  case '?':
    return nothing_to_repeat(ps);
  case '{':
    if (scan_braces(ps, &min, &max, &end)) return nothing_to_repeat(ps);
    /* In a template, "${" after "$" is placeholder syntax, checked on its own. */
    if (!ps->options || !ps->options->placeholder_id || ps->pos == 0 || ps->text[ps->pos - 1] != '$')
      re_parse_nonstandard(ps, ps->pos, 1,
                         "'{' that starts no quantifier ({n}, {n,} or {n,m}) is rejected by "
                         "ECMA-262 with the u flag; cfgate reads it as a literal '{': write '\\{' "
                         "for it");
    return parse_literal(ps);
  default:
    return parse_literal(ps);
  }
}

/* Returns 1 when atom, written at text[start], is an assertion or a
 * lookaround itself, which ECMA-262 does not let a quantifier follow with
 * the u flag, and not a group around one ("(?:^)*" is valid). */
static int is_bare_assertion(const re_parser *ps, const re_node *atom, size_t start) {
  if (atom->kind != RE_NODE_ASSERT && atom->kind != RE_NODE_LOOK) return 0;
  return ps->len - start < 3 || memcmp(ps->text + start, "(?:", 3) != 0;
}

/* sequence := (atom quantifier*)* up to '|', ')' or the end. */
static re_node *parse_sequence(re_parser *ps) {
  re_node *sequence = re_ast_node(ps->ast, RE_NODE_CONCAT, ps->pos);

  while (sequence && ps->pos < ps->len && !at(ps, '|') && !at(ps, ')')) {
    size_t start = ps->pos;
    uint32_t min = 0, max = 0;
    int greedy = 1, found;

    if (ps->pos == ps->skip_bang && at(ps, '!')) {
      ps->pos++;
      continue;
    }
    re_node *atom = parse_atom(ps);
    size_t quantifier = ps->pos;
    int quantifiers = 0;
    while (atom && (found = read_quantifier(ps, &min, &max, &greedy)) != 0) {
      if (found > 0 && quantifiers == 0 && is_bare_assertion(ps, atom, start))
        re_parse_nonstandard(ps, quantifier, ps->pos - quantifier,
                             "quantifier '%.*s' on an assertion is rejected by ECMA-262 with "
                             "the u flag; cfgate keeps the assertion once, or drops it when the "
                             "minimum is 0",
                             (int)(ps->pos - quantifier), ps->text + quantifier);
      else if (found > 0 && quantifiers > 0)
        re_parse_nonstandard(ps, quantifier, ps->pos - quantifier,
                             "quantifier '%.*s' after another one is rejected by ECMA-262 with "
                             "the u flag; cfgate reads '%.*s' as '(?:%.*s)%.*s'",
                             (int)(ps->pos - quantifier), ps->text + quantifier,
                             (int)(ps->pos - start), ps->text + start,
                             (int)(quantifier - start), ps->text + start,
                             (int)(ps->pos - quantifier), ps->text + quantifier);
      atom = found < 0 ? NULL : wrap_repeat(ps, atom, min, max, greedy, start);
      quantifiers++;
      quantifier = ps->pos;
    }
    if (!atom || re_ast_add_child(sequence, atom) < 0) return NULL;
  }
  return sequence;
}

/* alternation := sequence ('|' sequence)* */
static re_node *parse_alternation(re_parser *ps) {
  size_t start = ps->pos;
  re_node *first = parse_sequence(ps);

  if (!first || !at(ps, '|')) return first;
  re_node *alternation = re_ast_node(ps->ast, RE_NODE_ALTERNATE, start);
  if (!alternation || re_ast_add_child(alternation, first) < 0) return NULL;
  while (at(ps, '|')) {
    ps->pos++;
    re_node *next = parse_sequence(ps);
    if (!next || re_ast_add_child(alternation, next) < 0) return NULL;
  }
  return alternation;
}

/* Returns 1 when the '(' at text[i] opens a capturing group: "(" not
 * followed by '?', "(?<name>" or "(?P<name>". */
static int opens_capture(const char *text, size_t len, size_t i) {
  if (i + 1 >= len || text[i + 1] != '?') return 1;
  if (i + 3 < len && text[i + 2] == '<') return text[i + 3] != '=' && text[i + 3] != '!';
  return i + 3 < len && text[i + 2] == 'P' && text[i + 3] == '<';
}

/* Counts capturing groups outside classes and escapes. */
static uint32_t count_groups(const char *text, size_t len) {
  uint32_t groups = 0;
  int in_class = 0;

  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '\\') {
      i++;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = 1;
    } else if (c == '(' && opens_capture(text, len, i)) {
      groups++;
    }
  }
  return groups;
}

int re_parse(const char *pattern, size_t len, const re_compile_options *options, re_ast *ast,
             re_error *error) {
  re_parser ps = {.text = pattern, .len = len, .options = options, .ast = ast, .error = error,
                  .skip_bang = SIZE_MAX};

  memset(ast, 0, sizeof *ast);
  ast->capture_count = 1;
  error->offset = 0;
  error->message[0] = '\0';
  if (len > RE_MAX_PATTERN_LENGTH) {
    return re_parse_fail(&ps, 0, "pattern too long (limit is %u bytes)", RE_MAX_PATTERN_LENGTH);
  }
  ps.group_total = count_groups(pattern, len);

  ast->root = parse_alternation(&ps);
  if (!ast->root) {
    if (error->message[0] == '\0') re_parse_fail(&ps, ps.pos, "out of memory");
    return -1;
  }
  if (ps.pos < len) return re_parse_fail(&ps, ps.pos, "unmatched ')'");
  if (ast->capture_count > RE_MAX_CAPTURES) {
    return re_parse_fail(&ps, 0, "too many capturing groups (limit is %u)", RE_MAX_CAPTURES);
  }
  return re_parse_check_backrefs(&ps);
}
