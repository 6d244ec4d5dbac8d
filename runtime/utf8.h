/*
 * UTF-8 helpers for validated text: decoding one code point, counting code
 * points (which is how JSON Schema measures string length) and cutting text
 * at a code point boundary.
 */
#ifndef CFGATE_UTF8_H
#define CFGATE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at text[0..len) into *code_point and returns its
 * length in bytes (1 to 4). Returns 0 for an empty, truncated or invalid
 * sequence (overlong, surrogate, above U+10FFFF) and sets *code_point to
 * U+FFFD. */
size_t utf8_decode(const char *text, size_t len, uint32_t *code_point);

/* What makes a byte sequence invalid UTF-8 (RFC 3629). */
typedef enum utf8_fault {
  UTF8_VALID,          /* a complete sequence of a code point UTF-8 encodes */
  UTF8_CONTINUATION,   /* 80 to BF where a sequence starts: no lead byte before it */
  UTF8_NEVER,          /* F8 to FF, bytes that no UTF-8 sequence has */
  UTF8_TRUNCATED,      /* fewer continuation bytes than the lead byte announces */
  UTF8_OVERLONG,       /* more bytes than the code point needs (C0 AF for '/') */
  UTF8_SURROGATE,      /* U+D800 to U+DFFF, which only UTF-16 uses */
  UTF8_ABOVE_MAXIMUM   /* above U+10FFFF */
} utf8_fault;

/* Tells what is wrong with the sequence at text[0..len), len > 0. Stores in
 * *length the bytes it spans: the first byte and the continuation bytes
 * after it, at most as many as that byte announces. Stores in *code_point
 * the value they encode when they are all there, else U+FFFD. The first
 * two bytes decide an overlong encoding, a surrogate or a code point above
 * U+10FFFF, so those are named even when the sequence is cut short. */
utf8_fault utf8_diagnose(const char *text, size_t len, size_t *length, uint32_t *code_point);

/* Writes bytes[0..count) as "byte C0" or "bytes C0 AF" into out. */
void utf8_name_bytes(const unsigned char *bytes, size_t count, char *out, size_t out_size);

/* Writes prefix and what makes the sequence at text[0..len), len > 0,
 * invalid UTF-8 into message, naming its bytes: with the prefix "invalid
 * UTF-8: ", "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F".
 * The bytes shown are those utf8_diagnose() finds the sequence spans. */
void utf8_describe(const char *text, size_t len, const char *prefix, char *message,
                   size_t message_size);

/* Returns the number of code points in valid UTF-8 text[0..len). It counts
 * the bytes that are not continuation bytes, so it may be applied chunk by
 * chunk to text split at code point boundaries. */
size_t utf8_count(const char *text, size_t len);

/* Returns the length of the longest prefix of text[0..len) that is valid
 * UTF-8, NUL bytes included: len when the whole text is valid, else the
 * offset of the first invalid or truncated sequence. */
size_t utf8_valid_prefix(const char *text, size_t len);

/* Returns 1 when text[0..len) is valid UTF-8 without NUL bytes. */
int utf8_is_text(const char *text, size_t len);

/* Returns the byte length of the longest prefix of text[0..len) that has at
 * most max bytes and does not end inside a UTF-8 sequence, so that a message
 * can show a cut value and stay valid UTF-8. A sequence that is incomplete
 * at the end of text[0..len) is dropped too. */
size_t utf8_cut(const char *text, size_t len, size_t max);

/* Returns the code point of the UTF-8 sequence at text (NUL-terminated) and
 * stores its length in *len when terminals and editors show it as a line
 * break, as a change of direction or not at all. Returns 0 for any other
 * character, and for every ASCII one: callers escape C0 controls and DEL
 * themselves. The characters are those of Unicode's
 * Default_Ignorable_Code_Point property (U+00AD, U+200B, U+2060, U+FE0F,
 * the tags U+E0000 to U+E0FFF, ...), the format characters (general
 * category Cf: U+0600, U+FEFF, U+1D173, ...), the bidirectional controls
 * (U+061C, U+200E, U+202A to U+202E, U+2066 to U+2069), the C1 controls
 * (U+0080 to U+009F) and the line and paragraph separators (U+2028,
 * U+2029). runtime/gen_invisible_table.py lists them from the Unicode
 * Character Database. Reports escape them (utf8_escape()), so a value
 * cannot forge lines or hide text. */
uint32_t utf8_invisible(const char *text, size_t *len);

enum {
  UTF8_ESCAPE_SIZE = 13 /* the longest escape of utf8_escape(), "\ud834\udd73", and a NUL */
};

/* Writes code (at most U+10FFFF) as a JSON escape into out: \uXXXX with
 * lowercase hex digits, or for a code point above U+FFFF the escapes of
 * its UTF-16 surrogate pair (U+1D173 is \ud834\udd73), which JSON and
 * JavaScript read back as the code point. Returns the length written. */
size_t utf8_escape(uint32_t code, char out[UTF8_ESCAPE_SIZE]);

/* Returns the encoding a UTF-16 or UTF-32 byte order mark at the start of
 * bytes names ("UTF-16LE", "UTF-32BE", ...), or NULL. */
const char *utf8_wide_byte_order_mark(const void *bytes, size_t len);

#endif /* CFGATE_UTF8_H */
