/*
 * libyaml's parse errors, worded for the author of a template.
 */
#include "template_yaml_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void template_error_set(template_error *error, uint32_t line, uint32_t column, const char *format,
                        ...) {
  va_list args;
  va_start(args, format);
  error->line = line;
  error->column = column;
  vsnprintf(error->message, sizeof error->message, format, args);
  va_end(args);
  template_error_quote(error, "", 0);
}

void template_error_quote(template_error *error, const char *text, size_t len) {
  if (len >= sizeof error->quoted)
    len = sizeof error->quoted - 1;
  memcpy(error->quoted, text, len);
  error->quoted[len] = '\0';
  error->owner = TEMPLATE_OWNER_NONE;
  error->owner_name[0] = '\0';
  error->property_pointer[0] = '\0';
}


/* Returns the byte offset of a libyaml mark, which counts code points. */
static size_t mark_offset(const unsigned char *bytes, size_t size, yaml_mark_t mark) {
  size_t at = 0;
  for (size_t chars = 0; chars < mark.index && at < size; chars++) {
    at++;
    while (at < size && (bytes[at] & 0xc0) == 0x80)
      at++;
  }
  return at;
}

/* Returns 1 when bytes[at] is a tab with only blanks before it on its line. */
static int is_indentation_tab(const unsigned char *bytes, size_t size, size_t at) {
  if (at >= size || bytes[at] != '\t')
    return 0;

  while (at > 0 && (bytes[at - 1] == ' ' || bytes[at - 1] == '\t'))
    at--;
  return at == 0 || bytes[at - 1] == '\n' || bytes[at - 1] == '\r';
}

/* Returns 1 when only blanks, line breaks and comments follow bytes[at]. */
static int is_end_of_text(const unsigned char *bytes, size_t size, size_t at) {
  for (; at < size; at++) {
    if (bytes[at] == '#') {
      while (at < size && bytes[at] != '\n' && bytes[at] != '\r')
        at++;
      if (at == size)
        break;
    }
    if (bytes[at] != ' ' && bytes[at] != '\t' && bytes[at] != '\n' && bytes[at] != '\r')
      return 0;
  }
  return 1;
}

/* Returns 1 and the mark of the innermost collection open when parsing
 * stopped, if it is a flow collection ([ or {). libyaml gives it as the
 * context of an error in a flow collection's entries, and otherwise leaves
 * it on top of its stack of collection starts. NOTE: that stack is a field
 * libyaml's header marks as private, so a mark that is not at a bracket
 * leaves libyaml's own message. */
static int open_flow_collection(const yaml_parser_t *parser, const unsigned char *bytes,
                                size_t size, yaml_mark_t *mark, unsigned char *bracket) {
  if (parser->context && (strcmp(parser->context, "while parsing a flow sequence") == 0 ||
                          strcmp(parser->context, "while parsing a flow mapping") == 0))
    *mark = parser->context_mark;
  else if (parser->marks.start && parser->marks.top > parser->marks.start)
    *mark = parser->marks.top[-1];
  else
    return 0;

  size_t at = mark_offset(bytes, size, *mark);
  if (at >= size || (bytes[at] != '[' && bytes[at] != '{'))
    return 0;
  *bracket = bytes[at];
  return 1;
}

/* Words an error that stopped at the end of the text inside a flow
 * collection. Returns 0 when the error is another one. */
static int set_unclosed_flow(template_error *error, const yaml_parser_t *parser,
                             const unsigned char *bytes, size_t size) {
  yaml_mark_t open;
  unsigned char bracket;
  if (parser->error != YAML_PARSER_ERROR ||
      !is_end_of_text(bytes, size, mark_offset(bytes, size, parser->problem_mark)) ||
      !open_flow_collection(parser, bytes, size, &open, &bracket))
    return 0;

  int sequence = bracket == '[';
  template_error_set(error, mark_line(open), mark_column(open),
            "unclosed flow %s: the '%c' at line %u, column %u has no matching '%c' before the "
            "end of the text",
            sequence ? "sequence" : "mapping", bracket, (unsigned)mark_line(open),
            (unsigned)mark_column(open), sequence ? ']' : '}');
  return 1;
}

/* Sets the position of a reader error, which libyaml gives as a byte
 * offset. template_encoding_check() has already rejected the text libyaml's
 * reader rejects, so this is a fallback that keeps libyaml's wording. */
static void set_reader_error(template_error *error, const yaml_parser_t *parser,
                             const unsigned char *bytes, size_t size) {
  size_t end = parser->problem_offset < size ? parser->problem_offset : size;
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < end; i++) {
    if (bytes[i] == '\n') {
      line++;
      column = 1;
    } else if ((bytes[i] & 0xc0) != 0x80) {
      column++;
    }
  }
  template_error_set(error, line, column, "%s", parser->problem ? parser->problem : "invalid text");
}

/* Sets the error of an alias whose anchor libyaml has not met. The alias
 * name is not quoted: an unquoted password that starts with '*' reads as
 * an alias, and the error comes before the tree that would show whether
 * the value is a secret. Returns 0 when no '*' is at the error mark. */
static int set_undefined_alias(template_error *error, const yaml_parser_t *parser,
                               const unsigned char *bytes, size_t size) {
  size_t at = mark_offset(bytes, size, parser->problem_mark);
  if (at >= size || bytes[at] != '*')
    return 0;

  template_error_set(error, mark_line(parser->problem_mark), mark_column(parser->problem_mark),
                     "undefined alias: no anchor (&name) comes before this alias (*name); "
                     "quote the value if it is text that starts with '*'");
  return 1;
}

/* Returns the line number of the last "..." line (a document end marker,
 * with blanks or a comment after it) before bytes[end], or 0 when there is
 * none. */
static uint32_t last_document_end(const unsigned char *bytes, size_t end) {
  uint32_t line = 1, found = 0;
  for (size_t at = 0; at < end;) {
    if (at + 3 <= end && memcmp(bytes + at, "...", 3) == 0 &&
        (at + 3 == end || bytes[at + 3] == ' ' || bytes[at + 3] == '\t' ||
         bytes[at + 3] == '\n' || bytes[at + 3] == '\r'))
      found = line;
    while (at < end && bytes[at] != '\n')
      at++;
    at++;
    line++;
  }
  return found;
}

/* Words libyaml's "did not find expected <document start>", which comes
 * from text after a "..." line that ends the document, or from text after
 * a %YAML or %TAG directive without the "---" line that must follow it.
 * Returns 0 for another error. */
static int set_missing_document_start(template_error *error, const yaml_parser_t *parser,
                                      const unsigned char *bytes, size_t size) {
  yaml_mark_t mark = parser->problem_mark;
  if (parser->error != YAML_PARSER_ERROR || !parser->problem ||
      strcmp(parser->problem, "did not find expected <document start>") != 0)
    return 0;

  uint32_t end_line = last_document_end(bytes, mark_offset(bytes, size, mark));
  if (end_line)
    template_error_set(error, mark_line(mark), mark_column(mark),
                       "text after the end of the YAML document: the '...' line at line %u "
                       "ends it, and a template is one document, so remove that line or the "
                       "text after it",
                       (unsigned)end_line);
  else
    template_error_set(error, mark_line(mark), mark_column(mark),
                       "missing '---' line: a %%YAML or %%TAG directive must be followed by a "
                       "'---' line before the document, so add one before line %u",
                       (unsigned)mark_line(mark));
  return 1;
}

void template_yaml_parser_error(template_error *error, const yaml_parser_t *parser,
                                const unsigned char *bytes, size_t size) {
  yaml_mark_t mark = parser->problem_mark;
  const char *problem = parser->problem ? parser->problem : "invalid YAML";

  if (parser->error == YAML_READER_ERROR) {
    set_reader_error(error, parser, bytes, size);
  } else if (parser->error == YAML_MEMORY_ERROR) {
    template_error_set(error, 1, 1, "out of memory while parsing");
  } else if (parser->error == YAML_SCANNER_ERROR &&
             is_indentation_tab(bytes, size, mark_offset(bytes, size, mark))) {
    template_error_set(error, mark_line(mark), mark_column(mark),
              "a tab is not allowed for indentation: indent with spaces");
  } else if (set_unclosed_flow(error, parser, bytes, size)) {
    return;
  } else if (set_missing_document_start(error, parser, bytes, size)) {
    return;
  } else if (parser->error == YAML_COMPOSER_ERROR && parser->problem &&
             strcmp(parser->problem, "found undefined alias") == 0 &&
             set_undefined_alias(error, parser, bytes, size)) {
    return;
  } else if (parser->context) {
    template_error_set(error, mark_line(mark), mark_column(mark), "%s %s (line %u)", problem,
              parser->context, (unsigned)mark_line(parser->context_mark));
  } else {
    template_error_set(error, mark_line(mark), mark_column(mark), "%s", problem);
  }
}
