// re2c -W -Werror --no-generation-date -o lexer.c lexer.re
/*
 * Tokens of .gate policy files. The input is NUL-terminated; a NUL before
 * the end of the text is an unexpected character. The scanner reports
 * lexical errors itself and keeps going, so the parser sees a usable token
 * stream and one root cause gives one error.
 */
#include <stdio.h>
#include <string.h>

#include "json_number.h"
#include "parse.h"
#include "parser.h"
#include "suggest.h"

/*!re2c
  re2c:api:style = free-form;
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = "ctx->cursor";
  re2c:define:YYMARKER = "ctx->marker";
  re2c:define:YYLIMIT = "ctx->limit";
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  space      = [ \t\r]+;
  comment    = "#" [^\n\x00]*;
  ident      = [A-Za-z_][A-Za-z0-9_]*;
  type_part  = [A-Za-z0-9_]+;
  type_name  = [A-Za-z_][A-Za-z0-9_]* ("::" type_part)+;
  digits     = [0-9]+;
  number     = "-"? digits ("." digits)? ([eE] [+-]? digits)?;
  string_char = [^"\\\n] | "\\" [^\n];
*/

static src_span lex_span(const parse_ctx *ctx) {
  return (src_span){ctx->file, (uint32_t)(ctx->token - ctx->text),
                    (uint32_t)(ctx->cursor - ctx->text)};
}

/* A line that is followed (after blank and comment lines) by 'because'
 * continues: the example policies put the because message under its rule. */
static int lex_because_follows(const unsigned char *p) {
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
      p++;
    if (*p != '#')
      break;
    while (*p && *p != '\n')
      p++;
  }

  if (strncmp((const char *)p, "because", 7) != 0)
    return 0;
  unsigned char next = p[7];
  return !(next == '_' || (next >= '0' && next <= '9') || ((next | 0x20) >= 'a' && (next | 0x20) <= 'z'));
}

static int lex_keyword(const parse_ctx *ctx) {
  static const struct {
    const char *text;
    int token;
  } keywords[] = {
    {"type", KW_TYPE},         {"let", KW_LET},       {"include", KW_INCLUDE},
    {"context", KW_CONTEXT},   {"deny", KW_DENY},     {"required", KW_REQUIRED},
    {"in", KW_IN},             {"pattern", KW_PATTERN}, {"length", KW_LENGTH},
    {"range", KW_RANGE},       {"items", KW_ITEMS},   {"unique", KW_UNIQUE},
    {"because", KW_BECAUSE},   {"true", KW_TRUE},     {"false", KW_FALSE},
    {"null", KW_NULL},
  };
  size_t len = (size_t)(ctx->cursor - ctx->token);
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (strlen(keywords[i].text) == len && memcmp(keywords[i].text, ctx->token, len) == 0)
      return keywords[i].token;
  return IDENT;
}

/* Reports the ASCII character at the token start, which starts no token. */
static void lex_unexpected(parse_ctx *ctx) {
  unsigned char first = *ctx->token;
  src_span span = lex_span(ctx);

  if (first < 0x20 || first == 0x7f)
    diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
                "unexpected character 0x%02x", first);
  else
    diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
                "unexpected character '%c'", first);
}

/* Reports a run of colons once. After a name they are most likely an
 * unfinished "A::B" name, such as a context name. */
static void lex_colons(parse_ctx *ctx) {
  src_span span = lex_span(ctx);
  unsigned char before = ctx->token > ctx->text ? ctx->token[-1] : 0;
  int after_name = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                   (before >= '0' && before <= '9') || before == '_';

  if (after_name)
    diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
                "unexpected '%.*s': a name with '::' has a part of letters, digits or '_' "
                "after each '::', as in Org::Unit", (int)(ctx->cursor - ctx->token),
                (const char *)ctx->token);
  else
    diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
                "unexpected character ':'");
}

/* Counts the characters of the token, taking each invalid UTF-8 byte as one. */
static size_t lex_count_characters(const parse_ctx *ctx) {
  size_t count = 0;
  for (const unsigned char *p = ctx->token; p < ctx->cursor; count++) {
    size_t len = lex_utf8_length(p, ctx->cursor);
    p += len ? len : 1;
  }
  return count;
}

/* Reports a run of non-ASCII bytes outside strings and comments once, naming
 * its first character, so that a word in another script gives one error. */
static void lex_non_ascii(parse_ctx *ctx) {
  src_span span = lex_span(ctx);
  size_t count = lex_count_characters(ctx);
  size_t first_len = lex_utf8_length(ctx->token, ctx->cursor);
  char more[64] = "";

  if (count > 1)
    snprintf(more, sizeof more, ", the first of %zu non-ASCII characters", count);
  if (first_len == 0)
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_UTF8, span,
                "invalid UTF-8 byte 0x%02x%s (save the file as UTF-8)", *ctx->token, more);
  else
    diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
                "unexpected character U+%04X%s (non-ASCII text is allowed only in strings and "
                "comments)", lex_utf8_code(ctx->token, first_len), more);
}

/* Significant digits a number literal may have. A double holds every decimal
 * of up to 15 significant digits (DBL_DIG) exactly enough to print it back,
 * so a longer literal could be rounded across a bound (0.99999999999999999999
 * would become 1). */
#define LEX_MAX_SIGNIFICANT_DIGITS 15

/* Reports a decimal token (with a fraction or an exponent) whose mantissa
 * has more significant digits than the limit, or that a double would round
 * (1e-400 reads as 0). Leading and trailing zeros are not counted. Integers
 * are kept as 64-bit integers, so they are exact. */
static void lex_check_number(parse_ctx *ctx, src_span span) {
  size_t len = (size_t)(ctx->cursor - ctx->token);
  if (!memchr(ctx->token, '.', len) && !memchr(ctx->token, 'e', len) &&
      !memchr(ctx->token, 'E', len))
    return;

  const unsigned char *first = NULL, *last = NULL;
  for (const unsigned char *p = ctx->token; p < ctx->cursor && *p != 'e' && *p != 'E'; p++) {
    if (*p < '1' || *p > '9')
      continue;
    if (!first)
      first = p;
    last = p;
  }

  size_t significant = 0;
  for (const unsigned char *p = first; p && p <= last; p++)
    significant += *p >= '0' && *p <= '9';

  int shown = len > 40 ? 40 : (int)len;
  char read_as[48];
  if (significant > LEX_MAX_SIGNIFICANT_DIGITS)
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_NUMBER, span,
                "too many significant digits in %.*s%s (limit is %d)", shown,
                (const char *)ctx->token, len > 40 ? "..." : "", LEX_MAX_SIGNIFICANT_DIGITS);
  else if (!json_number_is_exact((const char *)ctx->token, len, read_as, sizeof read_as) &&
           !strstr(read_as, "inf")) /* past the double range: reported as out of range */
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_NUMBER, span,
                "number %.*s%s cannot be held exactly: a double reads it as %s", shown,
                (const char *)ctx->token, len > 40 ? "..." : "", read_as);
}

/* Scans one raw token; end-of-line handling is done by dsl_lex(). */
static int lex_scan(parse_ctx *ctx, DSL_STYPE *value, src_span *span) {
  for (;;) {
    ctx->token = ctx->cursor;
    /*!re2c
      $          { *span = lex_span(ctx); return DSL_EOF; }
      space      { continue; }
      comment    { continue; }
      "\n"       { if (lex_because_follows(ctx->cursor)) continue;
                   *span = lex_span(ctx); return NEWLINE; }
      ident      { *span = lex_span(ctx); value->string = ast_string_from_token(ctx, span);
                   return lex_keyword(ctx); }
      type_name  { *span = lex_span(ctx); value->string = ast_string_from_token(ctx, span); return TYPE_NAME; }
      number     { *span = lex_span(ctx); lex_check_number(ctx, *span);
                   value->string = ast_string_from_token(ctx, span); return NUMBER; }
      '"' string_char* '"' {
                   *span = lex_span(ctx); value->string = lex_decode_string(ctx, span, 1); return STRING; }
      '"' string_char* {
                   *span = lex_span(ctx);
                   diag_report(ctx->diags, DIAG_ERROR, DIAG_UNTERMINATED_STRING, *span,
                               "unterminated string (a string ends with '\"' on the same line)");
                   value->string = lex_decode_string(ctx, span, 0); return STRING; }
      ".."       { *span = lex_span(ctx); return DOTDOT; }
      "[]"       { *span = lex_span(ctx); return ITEMS_SEGMENT; }
      "{}"       { *span = lex_span(ctx); return MAP_SEGMENT; }
      [.*=[\]{},;] { *span = lex_span(ctx); return ctx->token[0]; }
      ":"+       { lex_colons(ctx); continue; }
      [\x80-\xff]+ { lex_non_ascii(ctx); continue; }
      *          { lex_unexpected(ctx); continue; }
    */
  }
}

static int lex_is_line_end(int token) {
  return token == 0 || token == NEWLINE || token == ';' || token == '{';
}

/* Keeps the offsets of the open '{', so an error at the end of the file
 * can name the block that is not closed. Called once per scanned token. */
static void lex_track_braces(parse_ctx *ctx, int token, const DSL_LTYPE *span) {
  if (token == '{') {
    if (ctx->brace_depth < DSL_MAX_BLOCK_DEPTH)
      ctx->open_braces[ctx->brace_depth] = span->start;
    ctx->brace_depth++;
  } else if (token == '}' && ctx->brace_depth > 0) {
    ctx->brace_depth--;
  }
}

/* Reports a '{' that opens one block more than the limit, before the
 * parser shifts it, and makes dsl_lex() drop the tokens of that block.
 * Every block the parser opens starts with a '{' counted here, so the
 * parser's stack stays within a fixed size per block level and cannot
 * reach bison's "memory exhausted". */
static void lex_check_block_depth(parse_ctx *ctx, const DSL_LTYPE *span) {
  if (ctx->brace_depth != DSL_MAX_BLOCK_DEPTH + 1)
    return;
  diag_report(ctx->diags, DIAG_ERROR, DIAG_LIMIT, *span, "too many nested blocks (limit is %d)",
              DSL_MAX_BLOCK_DEPTH);
  ctx->skipping_block = 1;
}

/* Scans past the tokens of a block that is nested too deep, up to the '}'
 * that closes it or the end of the file, and returns that token. The
 * parser then sees an empty block. Lexical errors inside are still
 * reported. */
static int lex_skip_block(parse_ctx *ctx, DSL_STYPE *value, DSL_LTYPE *span) {
  for (;;) {
    int token = lex_scan(ctx, value, span);
    lex_track_braces(ctx, token, span);
    if (token == DSL_EOF || (token == '}' && ctx->brace_depth == DSL_MAX_BLOCK_DEPTH)) {
      ctx->skipping_block = 0;
      return token;
    }
  }
}

/* Remembers where the last identifier was, so a syntax error on it or on
 * the token after it can suggest the keyword it may misspell, and the
 * tokens that error hints look back at. */
static int lex_track(parse_ctx *ctx, int token, const DSL_LTYPE *span) {
  if (lex_is_line_end(ctx->last_token) || ctx->last_token == '}')
    ctx->statement_token = token;
  ctx->previous_token = ctx->last_token;
  ctx->last_token = token;

  if (token == IDENT) {
    ctx->ident_start = span->start;
    ctx->ident_end = span->end;
    ctx->ident_age = 0;
    ctx->ident_is_let_name = ctx->previous_token == KW_LET;
  } else if (ctx->ident_age < 2) {
    ctx->ident_age++;
  }
  return token;
}

int dsl_lex(DSL_STYPE *value, DSL_LTYPE *span, parse_ctx *ctx) {
  if (ctx->has_pending) {
    ctx->has_pending = 0;
    *span = ctx->pending_span;
    return lex_track(ctx, ctx->pending_token, span);
  }

  for (;;) {
    int token;
    if (ctx->skipping_block) {
      token = lex_skip_block(ctx, value, span);
    } else {
      token = lex_scan(ctx, value, span);
      if (token == NEWLINE && lex_is_line_end(ctx->last_token))
        continue;
      lex_track_braces(ctx, token, span);
      if (token == '{')
        lex_check_block_depth(ctx, span);
    }

    if ((token == '}' || token == DSL_EOF) && !lex_is_line_end(ctx->last_token)) {
      ctx->has_pending = 1;
      ctx->pending_token = token;
      ctx->pending_span = *span;
      span->end = span->start;
      token = NEWLINE;
    }
    return lex_track(ctx, token, span);
  }
}

/* Longest identifier compared with the keywords; a longer one gets no hint. */
enum { LEX_HINT_NAME_MAX = 64 };

/* Writes "; 'NAME' is not a keyword (did you mean 'KEYWORD'?)" into out when
 * the identifier that is the unexpected token, or that comes right before
 * it, is close to a keyword, else "". */
static void lex_keyword_hint(const parse_ctx *ctx, char *out, size_t size) {
  static const char *const keywords[] = {"type",  "let",   "include", "context", "deny",    "required",
                                         "in",    "pattern", "length", "range",  "items",   "unique",
                                         "because", "true", "false",   "null"};
  char name[LEX_HINT_NAME_MAX + 1], suggestion[160];
  size_t len = ctx->ident_end - ctx->ident_start;
  suggest hint;

  out[0] = '\0';
  if (ctx->ident_age > 1 || ctx->ident_is_let_name || len == 0 || len > LEX_HINT_NAME_MAX)
    return;
  memcpy(name, ctx->text + ctx->ident_start, len);
  name[len] = '\0';

  /* JSON Schema keywords that users of other validators write first. */
  static const struct {
    const char *name, *write;
  } synonyms[] = {{"maximum", "range ..N"},     {"minimum", "range N.."},
                  {"maxLength", "length ..N"},  {"minLength", "length N.."},
                  {"maxItems", "items ..N"},    {"minItems", "items N.."},
                  {"enum", "in [...]"},         {"const", "= VALUE"},
                  {"uniqueItems", "unique"},    {"regex", "pattern \"...\""}};
  for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
    if (strcmp(name, synonyms[i].name) == 0) {
      snprintf(out, size, "; '%s' is not a keyword: write %s", name, synonyms[i].write);
      return;
    }

  suggest_init(&hint, name);
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    suggest_offer(&hint, keywords[i]);
  suggest_format(&hint, suggestion, sizeof suggestion);
  if (suggestion[0])
    snprintf(out, size, "; '%s' is not a keyword%s", name, suggestion);
}

/* Returns 1 when the token at offset is a '{' that starts a statement: only
 * blanks between it and the start of its line or a ';'. Such a '{' follows
 * a statement that has already ended, so it opens no block. */
static int lex_brace_starts_statement(const parse_ctx *ctx, size_t offset) {
  if (offset >= (size_t)(ctx->limit - ctx->text) || ctx->text[offset] != '{')
    return 0;
  while (offset > 0 && (ctx->text[offset - 1] == ' ' || ctx->text[offset - 1] == '\t'))
    offset--;
  if (offset == 0)
    return 1;
  unsigned char before = ctx->text[offset - 1];
  return before == '\n' || before == '\r' || before == ';';
}

/* Writes a hint for the grammar mistakes that bison's message alone does
 * not explain, or "" when none applies. */
static void lex_grammar_hint(const parse_ctx *ctx, const char *message, const DSL_LTYPE *span,
                             char *out, size_t size) {
  out[0] = '\0';
  if (strstr(message, "unexpected end of file") && ctx->brace_depth > 0) {
    uint32_t depth = ctx->brace_depth <= DSL_MAX_BLOCK_DEPTH ? ctx->brace_depth : DSL_MAX_BLOCK_DEPTH;
    uint32_t line, column;
    src_position(&ctx->diags->sources->files[ctx->file], ctx->open_braces[depth - 1], &line, &column);
    snprintf(out, size, "; the '{' at %u:%u is not closed: add '}' at the end of its block",
             line, column);
  } else if (ctx->previous_token == '=' && (ctx->last_token == '[' || ctx->last_token == '{')) {
    snprintf(out, size, "; '=' takes one literal: list allowed values with 'in [...]', or "
                        "constrain an array's items with 'Name[] = ...'");
  } else if (ctx->previous_token == '=' && (ctx->last_token == NEWLINE || ctx->last_token == ';')) {
    snprintf(out, size, "; '=' needs a value after it, such as = \"text\", = 5 or = true");
  } else if (ctx->statement_token == KW_DENY && ctx->last_token == KW_BECAUSE) {
    snprintf(out, size, "; a deny takes no 'because', which explains a constraint");
  } else if (lex_brace_starts_statement(ctx, span->start)) {
    snprintf(out, size, "; a line break or ';' ends a statement, so a block's '{' goes "
                        "at the end of its type or rule line");
  }
}

void dsl_error(DSL_LTYPE *span, parse_ctx *ctx, const char *message) {
  char hint[256], text[256];

  /* The lexer ends a line before a '}' that closes a block, so "unexpected
   * end of line" there points at the '}', which the user wrote. */
  if (ctx->has_pending && ctx->pending_token == '}' && ctx->last_token == NEWLINE) {
    const char *found = strstr(message, "end of line");
    if (found) {
      snprintf(text, sizeof text, "%.*s'}'%s", (int)(found - message), message,
               found + strlen("end of line"));
      message = text;
    }
  }

  /* Before the keyword hint, which would take the let's last name for a
   * misspelt keyword. */
  if (ctx->statement_token == KW_LET && ctx->last_token == KW_BECAUSE)
    snprintf(hint, sizeof hint, "; a let takes no 'because': a message belongs to a rule, so "
                                "write it on the rules that use the let");
  else
    lex_keyword_hint(ctx, hint, sizeof hint);
  if (!hint[0])
    lex_grammar_hint(ctx, message, span, hint, sizeof hint);
  diag_report(ctx->diags, DIAG_ERROR, DIAG_SYNTAX, *span, "%s%s", message, hint);
}
