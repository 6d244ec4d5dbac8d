/*
 * cfgate runtime: executes compiled validators (flat tables) over a JSON byte
 * stream or a stream of value events, in constant memory and without calling
 * malloc while validating. Depends on libc only.
 */
#ifndef CFGATE_H
#define CFGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CFGATE_VERSION "0.1.0"

/* Returns the runtime version string, CFGATE_VERSION at build time. */
const char *cfgate_version(void);

/* A string that is not NUL-terminated. */
typedef struct cfgate_str {
  const char *data;
  size_t len;
} cfgate_str;

/* Compiled validator tables. Immutable, shareable between threads and
 * sessions. Produced by the compiler, either in memory or as emitted C. */
typedef struct cfgate_validator cfgate_validator;

/* Per-document validation state over a caller-owned workspace. */
typedef struct cfgate_session cfgate_session;

/* Named placeholder values bound for one session (AWS::AccountId, ...). */
typedef struct cfgate_context {
  const cfgate_str *names;
  const cfgate_str *values;
  size_t count;
} cfgate_context;

/* Session limits. Exceeding one is an error, never a pass. */
typedef struct cfgate_limits {
  uint32_t max_depth;      /* nesting of values, scalars included: the top-level value is 1 */
  uint32_t max_path;       /* bytes of the instance JSON pointer kept for errors */
  uint32_t max_unique;     /* items remembered per uniqueItems array */
  uint32_t max_string;     /* bytes buffered where a keyword needs the whole string */
  uint32_t max_errors;     /* errors kept in all-errors mode; later ones are only counted */
  uint32_t max_frames;     /* schema frames active at once: one per subschema applied to an
                              open value, including every allOf/anyOf/oneOf branch */
  uint32_t max_members;    /* property names of the open objects, remembered to reject a
                              name repeated in one object */
} cfgate_limits;

/* Maximum values of two limits. Instance path lengths are uint32_t, and
 * a path of max_path bytes plus one more segment must not wrap. A
 * uniqueItems table has a hash index of a power of two at least twice
 * max_unique entries, and one table of CFGATE_MAX_UNIQUE_LIMIT items takes
 * 2.5 GiB of the frame arena, which must stay under 4 GiB. Other limits
 * need no maximum of their own: any workspace size that fits in size_t
 * works for them. */
#define CFGATE_MAX_PATH_LIMIT (1u << 30)
#define CFGATE_MAX_UNIQUE_LIMIT (1u << 27)


/* Outcome of validating one document. Everything but CFGATE_VALID denies. */
typedef enum cfgate_verdict {
  CFGATE_VALID = 0,      /* every constraint is satisfied */
  CFGATE_INVALID = 1,    /* at least one constraint is violated */
  CFGATE_UNVERIFIED = 2, /* structure allowed, but a value was unknown (event API only) */
  CFGATE_MALFORMED = 3,  /* the bytes are not one RFC 8259 JSON text, or nest arrays and
                            objects more than 1024 deep, the tokenizer's limit */
  CFGATE_FAILED = 4      /* a limit was exceeded or a placeholder has no value */
} cfgate_verdict;

/* One finding. Strings point into the session workspace and stay valid until
 * the next cfgate_session_reset() or the end of the workspace. */
typedef struct cfgate_error {
  const char *instance_path; /* JSON pointer of the offending value, "" for the root */
  size_t instance_path_len;  /* bytes of instance_path: a NUL byte of a property name is kept,
                                so the pointer may contain NUL before its end */
  const char *schema_path;   /* JSON pointer of the failing keyword in the schema */
  const char *keyword;       /* "pattern", "required", "additionalProperties", ... */
  const char *message;       /* expected and actual value, in English */
  const char *because;       /* the policy rule's because message, or NULL */
  int unverified;            /* 1 when the value was unknown rather than wrong */
  uint64_t offset;           /* byte offset in the JSON text: of the syntax error, or of the
                                start of the offending value; 0 with value events */
  uint32_t line, column;     /* 1-based position of the same place (column in code points);
                                0 with value events */
} cfgate_error;

/* Session options. Start from cfgate_options_default(). */
typedef struct cfgate_options {
  cfgate_limits limits;
  int all_errors;      /* 0: stop at the first error (fastest); 1: collect up to max_errors */
  int coerce;          /* CloudFormation coercion: "10", "true" accepted as number/boolean */
  int assert_formats;  /* treat "format" as an assertion instead of an annotation */
} cfgate_options;

/* Fills *options with the default limits and modes. */
void cfgate_options_default(cfgate_options *options);

/* Returns the workspace size in bytes a session of this validator needs with
 * these options. It depends on the validator, the limits and the lengths of
 * the context values, never on the document. Returns 0 when a limit is zero
 * or above its maximum (CFGATE_MAX_PATH_LIMIT, CFGATE_MAX_UNIQUE_LIMIT),
 * the frame arena would reach 4 GiB, the size does not fit in size_t, the
 * validator has more than 64 placeholders, or validator or options is NULL
 * (cfgate_registry_find() returns NULL for a denied type). */
size_t cfgate_workspace_size(const cfgate_validator *validator, const cfgate_options *options,
                             const cfgate_context *context);

/* Starts a session in a caller-owned workspace of at least
 * cfgate_workspace_size() bytes, aligned to max_align_t. Binds the
 * placeholders from context, copying their values into the workspace.
 * Returns NULL when validator or options is NULL, a placeholder has no
 * value, a binding has an empty value or repeats the name of an earlier
 * one, cfgate_workspace_size() would return 0, or the workspace is too
 * small or misaligned. It then fills *error, unless error is NULL. A message that
 * names a placeholder lives in the workspace (static text when the
 * workspace is under 256 bytes), so read it before freeing or reusing the
 * workspace. Allocates nothing. */
cfgate_session *cfgate_session_init(void *workspace, size_t size, const cfgate_validator *validator,
                                    const cfgate_options *options, const cfgate_context *context,
                                    cfgate_error *error);

/* Prepares the session for the next document, keeping validator and binding. */
void cfgate_session_reset(cfgate_session *session);

/* Feeds the next chunk of JSON text, of any size down to one byte. Returns
 * nonzero once the input is known to be malformed, and 0 otherwise. A
 * UTF-8 byte order mark is not JSON text and is not skipped: a caller that
 * reads files skips one at the start of a file, as cfgate validate does. After
 * the verdict is decided the rest of the text is still tokenized (syntax
 * only, no validation), so that malformed input turns the verdict into
 * CFGATE_MALFORMED: feed the whole document before cfgate_finish(). A feed
 * after cfgate_finish() and before cfgate_session_reset(), even of 0
 * bytes, returns nonzero and makes the verdict CFGATE_MALFORMED. */
int cfgate_feed(cfgate_session *session, const void *bytes, size_t size);

/* Ends the document and returns the verdict. Calling it again returns the
 * same verdict until the session is fed or reset. */
cfgate_verdict cfgate_finish(cfgate_session *session);

/* Value events: the same validation driven by a caller's own parser (a YAML
 * template loader, for example). Keys and strings are complete and decoded,
 * in UTF-8: one that is not valid UTF-8 (an overlong form, a surrogate, a
 * code point above U+10FFFF, a truncated sequence) makes the document
 * CFGATE_MALFORMED, as in JSON text. Numbers are given as JSON number text.
 * A NULL text with len 0 is the empty text. A NULL text with a nonzero len
 * is not read and makes the document CFGATE_MALFORMED, as does an event
 * sequence that does not form one JSON value.
 * cfgate_event_unknown() stands for a value that cannot be known offline:
 * structure is still checked, value constraints on it become unverified
 * findings. cfgate_event_unknown_string() stands for a string whose text is
 * unknown offline: its type is checked, and only the constraints a string's
 * text decides become unverified. Each returns nonzero once the verdict is
 * decided. Finish with cfgate_finish(). A document takes either JSON text
 * or value events: the first event after a cfgate_feed() call (even of 0
 * bytes), or the first cfgate_feed() after an event, makes it
 * CFGATE_MALFORMED until cfgate_session_reset(). */
int cfgate_event_begin_object(cfgate_session *session);
int cfgate_event_key(cfgate_session *session, const char *key, size_t len);
int cfgate_event_end_object(cfgate_session *session);
int cfgate_event_begin_array(cfgate_session *session);
int cfgate_event_end_array(cfgate_session *session);
int cfgate_event_string(cfgate_session *session, const char *text, size_t len);
int cfgate_event_number(cfgate_session *session, const char *text, size_t len);
int cfgate_event_bool(cfgate_session *session, int value);
int cfgate_event_null(cfgate_session *session);
int cfgate_event_unknown(cfgate_session *session);
int cfgate_event_unknown_string(cfgate_session *session);

/* Findings of the current document, in the order found. In all-errors mode
 * at most max_errors are kept: later findings are counted by
 * cfgate_errors_omitted() and dropped, and the verdict stays
 * CFGATE_INVALID. An exceeded limit replaces the last kept finding when the
 * list is full, and a syntax error replaces all findings. */
size_t cfgate_error_count(const cfgate_session *session);
const cfgate_error *cfgate_error_at(const cfgate_session *session, size_t index);

/* Returns the number of findings of the current document that were not kept
 * because max_errors were already recorded. */
size_t cfgate_errors_omitted(const cfgate_session *session);

/* A table of validators by resource type name, as emitted C provides it. */
typedef struct cfgate_registry_entry {
  const char *type_name;
  const cfgate_validator *validator;
} cfgate_registry_entry;

typedef struct cfgate_registry {
  const cfgate_registry_entry *entries; /* sorted by type_name */
  size_t count;
} cfgate_registry;

/* Returns the validator for type_name, or NULL when the type has none (deny). */
const cfgate_validator *cfgate_registry_find(const cfgate_registry *registry, const char *type_name);

#ifdef __cplusplus
}
#endif

#endif /* CFGATE_H */
