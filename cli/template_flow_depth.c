/* Bracket depth of YAML flow collections, outside quotes and comments. */
#include "template_flow_depth.h"

typedef struct flow_scan {
  const unsigned char *p, *end;
  uint32_t line, column;
} flow_scan;

static void advance(flow_scan *s) {
  if (*s->p == '\n') {
    s->line++;
    s->column = 1;
  } else if ((*s->p & 0xC0) != 0x80) {
    s->column++;
  }
  s->p++;
}

/* Skips a quoted scalar that starts at s->p: "..." with backslash escapes,
 * or '...' with '' for a quote. */
static void skip_quoted(flow_scan *s) {
  unsigned char quote = *s->p;
  advance(s);
  while (s->p < s->end) {
    if (quote == '"' && *s->p == '\\' && s->p + 1 < s->end) {
      advance(s);
      advance(s);
      continue;
    }
    if (*s->p == quote) {
      advance(s);
      if (quote == '\'' && s->p < s->end && *s->p == '\'') {
        advance(s);
        continue;
      }
      return;
    }
    advance(s);
  }
}

/* Returns 1 when a quote or comment may start after byte c: at the start of
 * a line, after white space or after flow punctuation. */
static int token_boundary(int c) {
  return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '[' || c == '{' ||
         c == ',' || c == ':';
}

int template_flow_too_deep(const unsigned char *bytes, size_t size, uint32_t limit, uint32_t *line,
                           uint32_t *column) {
  flow_scan s = {bytes, bytes + size, 1, 1};
  uint32_t depth = 0, first_line = 0, first_column = 0;
  int previous = -1;

  while (s.p < s.end) {
    unsigned char c = *s.p;
    if ((c == '"' || c == '\'') && token_boundary(previous)) {
      skip_quoted(&s);
      previous = c;
      continue;
    }
    if (c == '#' && token_boundary(previous)) {
      while (s.p < s.end && *s.p != '\n')
        advance(&s);
      continue;
    }

    if (c == '[' || c == '{') {
      depth++;
      if (depth == limit + 1 && first_line == 0) {
        first_line = s.line;
        first_column = s.column;
      }
      if (depth > TEMPLATE_FLOW_DEPTH_REJECT) {
        *line = first_line;
        *column = first_column;
        return 1;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
    previous = c;
    advance(&s);
  }
  return 0;
}
