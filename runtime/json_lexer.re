/* re2c -W -Werror --no-generation-date -o json_lexer.c json_lexer.re */
/*
 * The generated scanners of the JSON tokenizer and its run loop. Each
 * scanner reads one token from *cursor and returns TOKEN_NEED_MORE (or
 * PIECE_NEED_MORE) when the token may continue past limit, so lexer.c can
 * carry it into the next chunk. String contents bypass the scanners: a
 * table lookup per byte skips printable ASCII, and only UTF-8 sequences,
 * escapes, quotes and control characters reach a scanner.
 */
#include "events.h"
#include "lexer_internal.h"
#include "utf8.h"

#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/*!max:re2c*/
_Static_assert(YYMAXFILL <= CFGATE_LEXER_PADDING, "CFGATE_LEXER_PADDING is below the scanner lookahead");

/*!re2c
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = "*cursor";
  re2c:define:YYLIMIT = "limit";
  re2c:define:YYMARKER = "marker";
  re2c:define:YYFILL:naked = 1;
  re2c:yyfill:enable = 1;

  digit = [0-9];
  hex = [0-9a-fA-F];
  integer = "-"? ("0" | [1-9] digit*);
  fraction = "." digit+;
  exponent = [eE] [+-]? digit+;
  word = [a-zA-Z_] [a-zA-Z0-9_]*;
  continuation = [\x80-\xbf];
*/

/* Classifies the token at *cursor and moves *cursor past it. */
static enum lexer_token scan_token(const unsigned char **cursor, const unsigned char *limit) {
  /*!re2c
    re2c:define:YYFILL = "return TOKEN_NEED_MORE;";

    "{" { return TOKEN_BEGIN_OBJECT; }
    "}" { return TOKEN_END_OBJECT; }
    "[" { return TOKEN_BEGIN_ARRAY; }
    "]" { return TOKEN_END_ARRAY; }
    "," { return TOKEN_COMMA; }
    ":" { return TOKEN_COLON; }
    "\"" { return TOKEN_QUOTE; }
    integer fraction? exponent? { return TOKEN_NUMBER; }
    "true" { return TOKEN_TRUE; }
    "false" { return TOKEN_FALSE; }
    "null" { return TOKEN_NULL; }

    "-"? "0" digit+ { return TOKEN_BAD_LEADING_ZERO; }
    integer "." { return TOKEN_BAD_FRACTION; }
    integer fraction? [eE] [+-]? { return TOKEN_BAD_EXPONENT; }
    "-" { return TOKEN_BAD_MINUS; }
    "+" [0-9.]? { return TOKEN_BAD_PLUS; }
    "." digit+ { return TOKEN_BAD_POINT; }
    "-"? word { return TOKEN_BAD_WORD; }
    [^] { return TOKEN_BAD_BYTE; }
  */
}

/* Results of the string piece scanners besides a positive length. */
enum {
  PIECE_NEED_MORE = 0,
  PIECE_OVERLONG = -1,
  PIECE_SURROGATE = -2,
  PIECE_TOO_LARGE = -3,
  PIECE_STRAY_CONTINUATION = -4,
  PIECE_TRUNCATED = -5,
  PIECE_INVALID_BYTE = -6
};

/* Returns the length of the valid UTF-8 sequence of two to four bytes at p
 * (RFC 3629), PIECE_NEED_MORE, or the negative reason it is invalid. */
static int scan_utf8(const unsigned char *p, const unsigned char *limit) {
  const unsigned char *start = p;
  const unsigned char **cursor = &p;
  const unsigned char *marker = p;

  /*!re2c
    re2c:define:YYFILL = "return PIECE_NEED_MORE;";

    [\xc2-\xdf] continuation
    | "\xe0" [\xa0-\xbf] continuation
    | [\xe1-\xec\xee\xef] continuation{2}
    | "\xed" [\x80-\x9f] continuation
    | "\xf0" [\x90-\xbf] continuation{2}
    | [\xf1-\xf3] continuation{3}
    | "\xf4" [\x80-\x8f] continuation{2} { return (int)(p - start); }

    [\xc0\xc1] | "\xe0" [\x80-\x9f] | "\xf0" [\x80-\x8f] { return PIECE_OVERLONG; }
    "\xed" [\xa0-\xbf] { return PIECE_SURROGATE; }
    "\xf4" [\x90-\xbf] | [\xf5-\xff] { return PIECE_TOO_LARGE; }
    continuation { return PIECE_STRAY_CONTINUATION; }
    [\xc2-\xf4] { return PIECE_TRUNCATED; }
    [^] { return PIECE_INVALID_BYTE; }
  */
}

/* Escape classes the scanner reports; the decoded text goes to out[]. */
enum {
  ESCAPE_BAD_LETTER = -1,
  ESCAPE_BAD_HEX = -2,
  ESCAPE_LONE_SURROGATE = -3
};

static unsigned hex_value(unsigned char c) {
  if (c <= '9')
    return c - '0';
  return (c | 0x20u) - 'a' + 10;
}

static unsigned hex4(const unsigned char *p) {
  return hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 | hex_value(p[3]);
}

/* Writes code point cp as UTF-8 into out and returns its length. */
static int encode_utf8(unsigned cp, unsigned char *out) {
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xc0 | cp >> 6);
    out[1] = (unsigned char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xe0 | cp >> 12);
    out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    out[2] = (unsigned char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (unsigned char)(0xf0 | cp >> 18);
  out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
  out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
  out[3] = (unsigned char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Scans the escape at p (p[0] is '\\'), writes its UTF-8 to out[0..*out_len)
 * and returns its source length, PIECE_NEED_MORE, or an ESCAPE_ error. */
static int scan_escape(const unsigned char *p, const unsigned char *limit, unsigned char *out,
                       int *out_len) {
  const unsigned char *start = p;
  const unsigned char **cursor = &p;
  const unsigned char *marker = p;
  unsigned high, low;

  /*!re2c
    re2c:define:YYFILL = "return PIECE_NEED_MORE;";

    high = "\\u" [dD] [89abAB] hex{2};
    low = "\\u" [dD] [c-fC-F] hex{2};

    "\\\"" { out[0] = '"'; *out_len = 1; return 2; }
    "\\\\" { out[0] = '\\'; *out_len = 1; return 2; }
    "\\/" { out[0] = '/'; *out_len = 1; return 2; }
    "\\b" { out[0] = '\b'; *out_len = 1; return 2; }
    "\\f" { out[0] = '\f'; *out_len = 1; return 2; }
    "\\n" { out[0] = '\n'; *out_len = 1; return 2; }
    "\\r" { out[0] = '\r'; *out_len = 1; return 2; }
    "\\t" { out[0] = '\t'; *out_len = 1; return 2; }
    high low {
      high = hex4(start + 2) - 0xd800;
      low = hex4(start + 8) - 0xdc00;
      *out_len = encode_utf8(0x10000 + (high << 10 | low), out);
      return 12;
    }
    high | low { return ESCAPE_LONE_SURROGATE; }
    "\\u" hex{4} { *out_len = encode_utf8(hex4(start + 2), out); return 6; }
    "\\u" { return ESCAPE_BAD_HEX; }
    "\\" [^] { return ESCAPE_BAD_LETTER; }
    * { return ESCAPE_BAD_LETTER; }
  */
}

/* Bytes that may appear unescaped in a string and end nothing: printable
 * ASCII and DEL, except '"' and '\\'. */
static const unsigned char string_plain[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* String contents are scanned sixteen bytes at a time with SSE2, else
 * eight at a time where words can be read in little-endian order. Not both:
 * the word scan would only see the last bytes of a chunk, yet GCC loads its
 * seven 64-bit constants into registers at the start of every string, which
 * leaves too few for the run loop (about 10% more tokenizer instructions on
 * the quick benchmark workloads). */
#if defined(__SSE2__) && defined(__GNUC__)
#define LEXER_SCAN_SSE2 1
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LEXER_SCAN_WORDS 1

/* Returns the index of the first byte at p that is not in string_plain,
 * or 8 when all eight are plain. Reads eight bytes at once: a byte is
 * flagged when it is below 0x20, is '"' or '\\', or has its top bit set.
 * The subtractions can also flag bytes above a flagged one, never below,
 * so the lowest flag is exact. */
static inline unsigned first_special_byte(const unsigned char *p) {
  const uint64_t ones = 0x0101010101010101u;
  const uint64_t highs = 0x8080808080808080u;
  uint64_t x, quote, backslash, flags;

  memcpy(&x, p, sizeof x);
  quote = x ^ (ones * '"');
  backslash = x ^ (ones * '\\');
  flags = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((x - ones * 0x20) & ~x) | x;
  flags &= highs;
  return flags == 0 ? 8 : (unsigned)__builtin_ctzll(flags) / 8;
}

#endif

/* Moves p over plain string bytes: sixteen at a time with SSE2, or else
 * eight at a time, then one at a time. */
static inline const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end) {
#ifdef LEXER_SCAN_SSE2
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(' ');

  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* A signed compare below ' ' flags control characters and bytes with
     * the top bit set alike, because those are negative as int8. */
    __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                   _mm_cmplt_epi8(x, space));
    unsigned mask = (unsigned)_mm_movemask_epi8(special);

    if (mask != 0)
      return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
#ifdef LEXER_SCAN_WORDS
  while (end - p >= 8) {
    unsigned plain = first_special_byte(p);

    p += plain;
    if (plain < 8)
      return p;
  }
#endif
  while (p < end && string_plain[*p])
    p++;
  return p;
}

/* Hands text[0..len) to the open string or key and moves the position
 * over it. Of its bytes, len - columns are UTF-8 continuation bytes. */
static int deliver_chunk(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *text,
                         size_t len, size_t columns) {
  lexer_advance(lexer, len, columns);
  if (len == 0)
    return 0;
  if (lexer->in_key)
    return ev_key_text(session, (const char *)text, len);
  return ev_string_text(session, (const char *)text, len);
}

/* Ends the open string at its closing quote. */
static int close_string(cfgate_lexer *lexer, cfgate_session *session) {
  lexer_advance(lexer, 1, 1);
  if (lexer->in_key) {
    lexer->mode = LEXER_COLON;
    return ev_key_end(session);
  }
  lexer->mode = lexer->mode_after_value;
  return ev_string_end(session);
}

/* Fails at the invalid UTF-8 sequence at p, naming the bytes of it that
 * this chunk holds and what is wrong with them. */
LEXER_COLD static int fail_utf8(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *p,
                                const unsigned char *end) {
  char message[LEXER_MESSAGE_SIZE];
  utf8_describe((const char *)p, (size_t)(end - p), "invalid UTF-8 in string: ", message,
                sizeof message);
  return lexer_fail(lexer, session, "%s", message);
}

static int is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

LEXER_COLD static int fail_escape(cfgate_lexer *lexer, cfgate_session *session, lexer_input in, int reason,
                       const unsigned char *p) {
  char quoted[64];
  size_t len = reason == ESCAPE_LONE_SURROGATE ? 6 : 2;

  if (p + 1 >= in.data_end && in.at_end)
    return lexer_fail(lexer, session, "unterminated string at end of input");
  if (reason == ESCAPE_BAD_HEX) {
    for (len = 2; len < 6 && p + len < in.data_end && is_hex(p[len]); len++)
      ;
  }
  lexer_quote(quoted, sizeof quoted, p, len);

  switch (reason) {
  case ESCAPE_LONE_SURROGATE:
    return lexer_fail(lexer, session, "invalid escape %s: unpaired UTF-16 surrogate", quoted);
  case ESCAPE_BAD_HEX:
    return lexer_fail(lexer, session, "invalid escape %s: expected four hex digits after '\\u'", quoted);
  default:
    return lexer_fail(lexer, session, "invalid escape %s", quoted);
  }
}

/* Decodes the escape at in->cursor and delivers it as a chunk of its own. */
static int lex_escape(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in) {
  unsigned char decoded[4];
  int decoded_len = 0;
  int len = scan_escape(in->cursor, in->limit, decoded, &decoded_len);

  if (len == PIECE_NEED_MORE)
    return RUN_NEED_MORE;
  if (len < 0) {
    fail_escape(lexer, session, *in, len, in->cursor);
    return RUN_STOP;
  }

  lexer_advance(lexer, (size_t)len, (size_t)len);
  in->cursor += len;
  if (lexer_emit(lexer, lexer->in_key ? ev_key_chunk(session, (const char *)decoded, (size_t)decoded_len)
                                       : ev_string_chunk(session, (const char *)decoded, (size_t)decoded_len)))
    return RUN_STOP;
  return RUN_DONE;
}

/* Takes the ':' after a key or the ',' after a string value right away when
 * it follows the closing quote, and then the opening quote of the next key
 * or string, or the '{' or '[' of the next value with the quote of a key or
 * string right after it. That saves trips through the run loop for most
 * members. Returns nonzero when an event requested a stop, with the cursor
 * left on a '{' or '[' as lex_punctuation() leaves it. */
static inline int take_separator(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in) {
  if (in->cursor >= in->data_end)
    return 0;
  if (*in->cursor == ':' && lexer->mode == LEXER_COLON)
    lexer_accept_colon(lexer);
  else if (*in->cursor == ',' && lexer->mode == LEXER_MEMBER_END)
    lexer_accept_comma(lexer, 1);
  else if (*in->cursor == ',' && lexer->mode == LEXER_ELEMENT_END)
    lexer_accept_comma(lexer, 0);
  else
    return 0;

  in->cursor++;
  if (in->cursor >= in->data_end)
    return 0;
  if (*in->cursor == '"') {
    in->cursor++;
    return lexer_begin_text(lexer, session, lexer->mode == LEXER_KEY);
  }
  if (lexer->mode == LEXER_VALUE && (*in->cursor == '{' || *in->cursor == '[')) {
    if (lexer_open_container(lexer, session, *in->cursor == '{'))
      return 1;
    in->cursor++;
    if (in->cursor < in->data_end && *in->cursor == '"') {
      in->cursor++;
      return lexer_begin_text(lexer, session, lexer->mode == LEXER_KEY_OR_CLOSE);
    }
  }
  return 0;
}

/* Scans string contents from in->cursor: delivers the plain run, then
 * handles the byte that ended it. Returns RUN_DONE at the closing quote or
 * at data_end, with the string still open in the latter case. */
static int lex_string(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in) {
  const unsigned char *p = in->cursor;
  const unsigned char *end = in->data_end;
  size_t continuation_bytes = 0;
  int utf8_len = 0;

  for (;;) {
    p = skip_plain(p, end);
    if (p == end || *p < 0x80)
      break;
    utf8_len = scan_utf8(p, in->limit);
    if (utf8_len <= 0)
      break;
    p += utf8_len;
    continuation_bytes += (size_t)utf8_len - 1;
  }

  if (lexer_emit(lexer, deliver_chunk(lexer, session, in->cursor, (size_t)(p - in->cursor),
                                      (size_t)(p - in->cursor) - continuation_bytes)))
    return RUN_STOP;
  in->cursor = p;
  if (p == end)
    return RUN_DONE;

  if (*p == '"') {
    in->cursor++;
    if (lexer_emit(lexer, close_string(lexer, session)))
      return RUN_STOP;
    return take_separator(lexer, session, in) ? RUN_STOP : RUN_DONE;
  }
  if (*p == '\\')
    return lex_escape(lexer, session, in);
  if (*p < 0x20) {
    lexer_fail(lexer, session, "invalid control character U+%04X in string (escape it)", *p);
    return RUN_STOP;
  }

  if (utf8_len == PIECE_NEED_MORE)
    return RUN_NEED_MORE;
  fail_utf8(lexer, session, p, in->data_end);
  return RUN_STOP;
}

/* Moves p over a run of spaces, eight at a time, as found in indentation. */
static inline const unsigned char *skip_spaces(const unsigned char *p, const unsigned char *end) {
  const uint64_t spaces = 0x2020202020202020u;
  uint64_t x;

  while (end - p >= 8) {
    memcpy(&x, p, sizeof x);
    if (x != spaces)
      break;
    p += 8;
  }
  while (p < end && *p == ' ')
    p++;
  return p;
}

/* Skips whitespace, counting lines. */
static void skip_whitespace(cfgate_lexer *lexer, lexer_input *in) {
  const unsigned char *p = in->cursor;
  const unsigned char *end = in->data_end;
  const unsigned char *line_start = NULL;
  uint32_t lines = 0;

  while (p < end) {
    unsigned char c = *p;

    if (c == ' ') {
      p = skip_spaces(p + 1, end);
    } else if (c == '\t' || c == '\r') {
      p++;
    } else if (c == '\n') {
      p++;
      lines++;
      line_start = p;
    } else {
      break;
    }
  }

  if (lines > 0) {
    lexer_keep_comma_position(lexer);
    lexer->line += lines;
    lexer->line_start = lexer->offset + (uint64_t)(line_start - in->cursor);
    lexer->line_continuations = 0;
  }
  lexer->offset += (uint64_t)(p - in->cursor);
  in->cursor = p;
}

/* Takes the quotes, colons, commas and brackets that follow the grammar
 * without going through the scanner, because they are most of the tokens.
 * Returns 0 when the byte needs the scanner, which also reports errors. */
static inline int lex_punctuation(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in,
                                  int *result) {
  unsigned char c = *in->cursor;
  int stop_requested = 0;

  switch (lexer->mode) {
  case LEXER_COLON:
    if (c != ':')
      return 0;
    lexer_accept_colon(lexer);
    break;
  case LEXER_MEMBER_END:
  case LEXER_ELEMENT_END:
    if (c == ',')
      lexer_accept_comma(lexer, lexer->mode == LEXER_MEMBER_END);
    else if (c == (lexer->mode == LEXER_MEMBER_END ? '}' : ']'))
      stop_requested = lexer_close_container(lexer, session, lexer->mode == LEXER_MEMBER_END);
    else
      return 0;
    break;
  case LEXER_KEY_OR_CLOSE:
    if (c == '}') {
      stop_requested = lexer_close_container(lexer, session, 1);
      break;
    }
    /* fall through */
  case LEXER_KEY:
    if (c != '"')
      return 0;
    stop_requested = lexer_begin_text(lexer, session, 1);
    break;
  case LEXER_VALUE_OR_CLOSE:
    if (c == ']') {
      stop_requested = lexer_close_container(lexer, session, 0);
      break;
    }
    /* fall through */
  case LEXER_VALUE:
    if (c == '"')
      stop_requested = lexer_begin_text(lexer, session, 0);
    else if (c == '{' || c == '[')
      stop_requested = lexer_open_container(lexer, session, c == '{');
    else
      return 0;
    break;
  default:
    return 0;
  }

  *result = stop_requested ? RUN_STOP : RUN_DONE;
  if (!stop_requested)
    in->cursor++;
  return 1;
}

/* Returns 1 when c may continue a word such as an invalid literal. */
static inline int is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}

/* Classifies the most common scalars without the scanner: true, false,
 * null, and integers of plain digits that start with 1 to 9. Moves *cursor
 * past the token. Returns TOKEN_NEED_MORE, leaving *cursor, for anything
 * else and when the byte after the token is not before end, so scan_token()
 * decides. The byte after the token must be one that the scanner's longest
 * match stops at: a digit, '.', 'e' or 'E' continue a number, and a word
 * byte turns a literal into an invalid word. */
static inline enum lexer_token scan_plain_scalar(const unsigned char **cursor, const unsigned char *end) {
  const unsigned char *p = *cursor;
  enum lexer_token token;
  size_t len;

  if (*p >= '1' && *p <= '9') {
    const unsigned char *digit_end = p + 1;

    while (digit_end < end && *digit_end >= '0' && *digit_end <= '9')
      digit_end++;
    if (digit_end == end || *digit_end == '.' || (*digit_end | 0x20) == 'e')
      return TOKEN_NEED_MORE;
    *cursor = digit_end;
    return TOKEN_NUMBER;
  }

  if (end - p > 4 && memcmp(p, "true", 4) == 0) {
    token = TOKEN_TRUE;
    len = 4;
  } else if (end - p > 4 && memcmp(p, "null", 4) == 0) {
    token = TOKEN_NULL;
    len = 4;
  } else if (end - p > 5 && memcmp(p, "false", 5) == 0) {
    token = TOKEN_FALSE;
    len = 5;
  } else {
    return TOKEN_NEED_MORE;
  }
  if (is_word_byte(p[len]))
    return TOKEN_NEED_MORE;
  *cursor = p + len;
  return token;
}

/* The loop of lexer_run() over a private copy of the input, whose cursor
 * the compiler can keep in a register across event calls. */
static inline int run_tokens(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *origin,
                             lexer_input *in) {
  while (in->cursor < in->data_end) {
    const unsigned char *start;
    enum lexer_token token;
    int result;

    if (lexer->mode == LEXER_STRING) {
      result = lex_string(lexer, session, in);
      if (result != RUN_DONE)
        return result;
      continue;
    }

    if (*in->cursor <= ' ') {
      skip_whitespace(lexer, in);
      if (in->cursor == in->data_end)
        break;
    }
    if (lex_punctuation(lexer, session, in, &result)) {
      if (result != RUN_DONE)
        return result;
      continue;
    }

    start = in->cursor;
    token = scan_plain_scalar(&in->cursor, in->data_end);
    if (LEXER_UNLIKELY(token == TOKEN_NEED_MORE))
      token = scan_token(&in->cursor, in->limit);
    if (token == TOKEN_NEED_MORE) {
      in->cursor = start;
      return RUN_NEED_MORE;
    }
    if (lexer_on_token(lexer, session, origin, token, start, (size_t)(in->cursor - start)))
      return RUN_STOP;
  }
  return RUN_DONE;
}

int lexer_run(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in) {
  lexer_input local = *in;
  int result = run_tokens(lexer, session, in, &local);

  in->cursor = local.cursor;
  return result;
}
