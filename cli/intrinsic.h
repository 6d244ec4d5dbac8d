/*
 * Offline resolution of CloudFormation intrinsic functions. Values that
 * exist without deploying (pseudo parameters given on the command line,
 * Parameters with AllowedValues or --parameter values, Mappings, decidable
 * Conditions) are computed. Everything else becomes a TNODE_UNKNOWN node whose text
 * gives the reason, so validation can report it as unverified instead of
 * passing it.
 */
#ifndef CFGATE_CLI_INTRINSIC_H
#define CFGATE_CLI_INTRINSIC_H

#include <stddef.h>
#include <stdint.h>

#include "template_node.h"

enum {
  INTRINSIC_MAX_DEPTH = 64,           /* nested calls, arrays and objects in one value */
  INTRINSIC_MAX_ASSUMED = 6,          /* undecided conditions whose branches are enumerated */
  INTRINSIC_MAX_CHOICES = 8,          /* AllowedValues parameters whose values are enumerated */
  INTRINSIC_MAX_EXTRA_CHOICES = 56,   /* such parameters past the limit, counted for the message */
  INTRINSIC_MAX_CANDIDATES = 32,      /* values enumerated for one Fn::FindInMap or Fn::Select */
  INTRINSIC_MAX_STRING = 1024 * 1024  /* bytes of one computed string */
};

/* A NAME=VALUE pair from the command line. */
typedef struct intrinsic_binding {
  const char *name;
  const char *value;
} intrinsic_binding;

typedef struct intrinsic_error {
  uint32_t line, column;
  int limit; /* 1: a nesting limit was passed, so the value could not be resolved */
  char message[512];
} intrinsic_error;

typedef struct intrinsic_context {
  tnode_arena *arena;
  tnode_arena *lasting_arena; /* arena for values that outlive a pass, or NULL to use arena */

  /* Pseudo parameter values; NULL means unknown. */
  const char *account_id, *region, *partition, *url_suffix, *stack_name, *stack_id;

  /* Sections of the template; each may be NULL. */
  const tnode *parameters, *mappings, *conditions, *resources;

  int language_extensions; /* the template declares Transform: AWS::LanguageExtensions */
  int yaml11_reading;      /* the template was loaded as YAML 1.1 reads it */

  const intrinsic_binding *parameter_overrides;
  size_t parameter_override_count;

  /* Values assumed for conditions that cannot be decided offline. */
  const char *assumed_names[INTRINSIC_MAX_ASSUMED];
  int assumed_values[INTRINSIC_MAX_ASSUMED];
  size_t assumed_count;

  /* Undecidable conditions met without an assumed value, filled by
   * resolution: only those decided by their own inputs, not by another
   * condition. */
  const char *undecided_names[INTRINSIC_MAX_ASSUMED];
  size_t undecided_count;
  int too_many_undecided;
  unsigned undecided_seen; /* named conditions evaluated as undecidable so far */

  /* Values assumed for parameters that have AllowedValues and no
   * --parameter value: choice_names[i] takes choice_values[i]. */
  const char *choice_names[INTRINSIC_MAX_CHOICES];
  const char *choice_values[INTRINSIC_MAX_CHOICES];
  size_t choice_indexes[INTRINSIC_MAX_CHOICES]; /* index of choice_values[i] among the values */
  size_t choice_count;

  /* Such parameters met without an assumed value, filled by resolution
   * with the values to enumerate: the AllowedValues array, or for a list
   * parameter the lists to check, in lasting_arena. Meanwhile each takes
   * its Default, else its first allowed value. */
  const char *open_choice_names[INTRINSIC_MAX_CHOICES];
  const tnode *open_choice_allowed[INTRINSIC_MAX_CHOICES];
  int open_choice_is_list[INTRINSIC_MAX_CHOICES]; /* 1: only some lists are enumerated */
  int open_choice_is_candidate[INTRINSIC_MAX_CHOICES]; /* 1: a call's candidates, not a parameter */
  size_t open_choice_count;
  int too_many_choices;

  /* Calls whose candidates a limit left out of the enumeration: their
   * value stays unknown. */
  const char *const *closed_candidates;
  size_t closed_candidate_count;

  /* Such parameters met past INTRINSIC_MAX_CHOICES, each once, so that the
   * message can give how many a resource reads. */
  const char *extra_choice_names[INTRINSIC_MAX_EXTRA_CHOICES];
  size_t extra_choice_count;

  /* Named conditions being evaluated, outermost first, to find a cycle. */
  const char *condition_chain[INTRINSIC_MAX_DEPTH];
  unsigned condition_chain_length;

  /* Values of the named conditions decided during the outermost condition
   * evaluation in progress, one per member of conditions, so a condition
   * that several others read is evaluated once (in arena, NULL until
   * needed). An entry counts while its round is condition_round. */
  struct intrinsic_memo *condition_memo;
  unsigned condition_round;

  unsigned depth;
  intrinsic_error error;
} intrinsic_context;

/* The node standing for AWS::NoValue: the caller removes the property. */
extern const tnode intrinsic_no_value;

/* Returns a resolved copy of node in ctx->arena, &intrinsic_no_value when
 * node resolves to AWS::NoValue, or NULL with ctx->error filled when an
 * intrinsic function is used wrongly. */
const tnode *intrinsic_resolve(intrinsic_context *ctx, const tnode *node);

/* Returns the final value of a property: intrinsic_resolve() with each
 * string that contains a dynamic reference ({{resolve:...}}) made an
 * unknown string. The reference is read at deployment, wherever its text
 * came from. */
const tnode *intrinsic_value(intrinsic_context *ctx, const tnode *node);

/* Returns value with its dynamic references made unknown, as
 * intrinsic_value() does. NULL with ctx->error when out of memory. */
const tnode *intrinsic_mark_dynamic(intrinsic_context *ctx, const tnode *value);

/* Evaluates the named condition of the Conditions section: 1 true, 0
 * false, -1 undecidable offline, -2 error (ctx->error filled). */
int intrinsic_condition(intrinsic_context *ctx, const char *name, const tnode *where);

/* Fills ctx->error at node's position; returns NULL for tail calls. */
const tnode *intrinsic_fail(intrinsic_context *ctx, const tnode *node, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the message for a call of name, a function that CloudFormation
 * does not define (Fn::Joinn), with a "did you mean" hint among the
 * functions it does. */
void intrinsic_unknown_function_message(const char *name, char *out, size_t size);

/* Fails like intrinsic_fail on a call of name, a function that
 * CloudFormation does not define (Fn::Joinn), with a "did you mean" hint
 * among the functions it does. */
const tnode *intrinsic_unknown_function(intrinsic_context *ctx, const tnode *where,
                                        const char *name);

/* Fills ctx->error like intrinsic_fail for a nesting limit, which fails the
 * resource instead of marking a wrong use of a function. */
const tnode *intrinsic_fail_limit(intrinsic_context *ctx, const tnode *node, const char *what);

/* Returns a new empty array node at where's position, with room for
 * capacity items, in arena. NULL with ctx->error filled when out of
 * memory. */
tnode *intrinsic_new_array(intrinsic_context *ctx, tnode_arena *arena, const tnode *where,
                           size_t capacity);

/* Fills ctx->error at call for a function (or a form of one, such as
 * "Fn::FindInMap with DefaultValue") that needs Transform:
 * AWS::LanguageExtensions, which the template does not declare. Returns
 * NULL for tail calls. */
const tnode *intrinsic_require_transform(intrinsic_context *ctx, const tnode *call,
                                         const char *function);

/* Returns the value of a Ref target: parameter, pseudo parameter, or an
 * unknown node for a resource. NULL with ctx->error when name is undefined. */
const tnode *intrinsic_ref(intrinsic_context *ctx, const char *name, const tnode *where);

/* Resolves the Fn::Sub variable ${name} that the call's variable map does
 * not define, like intrinsic_ref(). An undefined name fails as "Fn::Sub
 * variable 'name', which is not a parameter or resource". */
const tnode *intrinsic_sub_variable_ref(intrinsic_context *ctx, const char *name,
                                        const tnode *where);

/* Returns 1 when an Fn::ForEach loop of section (Resources, Conditions or
 * Outputs) can output the key name[0..len): its ${Id} and &{Id} parts
 * match any text. */
int intrinsic_foreach_may_define(const tnode *section, const char *name, size_t len);

/* Returns 1 when name[0..len) is a resource of resources, or may be one
 * that a module resource (type NAME::MODULE) or an Fn::ForEach loop adds
 * at deployment. */
int intrinsic_names_resource(const tnode *resources, const char *name, size_t len);

/* Returns NULL when Ref can name name (a parameter, a resource or a pseudo
 * parameter), else why not: "which is not a parameter or resource". */
const char *intrinsic_ref_problem(const tnode *parameters, const tnode *resources,
                                  const char *name);

/* Function implementations, one per Fn:: name; args is the unresolved argument. */
const tnode *intrinsic_sub(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_join(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_select(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_split(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_find_in_map(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_cidr(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_base64(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_if(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_get_att(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_length(intrinsic_context *ctx, const tnode *call, const tnode *args);
const tnode *intrinsic_to_json_string(intrinsic_context *ctx, const tnode *call,
                                      const tnode *args);

/* Returns a copy of the unknown node marked as a string, for functions
 * whose result is a string whatever their unknown argument is (Fn::Join,
 * Fn::Sub, Fn::Base64). NULL with ctx->error when out of memory. */
const tnode *intrinsic_unknown_string(intrinsic_context *ctx, const tnode *unknown);

/* Returns a copy of unknown marked as a string that starts with
 * prefix[0..len) followed by unknown's own known prefix, for a string built
 * from literal text and then an unknown part. NULL with ctx->error when out
 * of memory. */
const tnode *intrinsic_unknown_after(intrinsic_context *ctx, const tnode *unknown,
                                     const char *prefix, size_t len);

/* Returns the candidate that the pass assumes for the call named name
 * (an Fn::FindInMap or Fn::Select whose key or index is unknown, so its
 * value is one of values[0..count)), or NULL. With NULL the call is
 * recorded for enumeration, each value named by labels[i] in notes, unless
 * a limit left it out; *failed is set when out of memory. */
const tnode *intrinsic_pick_candidate(intrinsic_context *ctx, const char *name,
                                      const tnode *const *values, const char *const *labels,
                                      size_t count, int *failed);

/* Returns the first number at or below value (in lists and mappings) whose
 * text CloudFormation may write as other text (10.10 as 10.1, see
 * template_yaml11_number_rewritten()), or NULL. */
const tnode *intrinsic_rewritten_number(const tnode *value);

/* Writes why such a number's text is unknown, with the fix, to out. */
void intrinsic_number_reason(const tnode *number, char *out, size_t size);

/* Returns value, or for such a number an unknown value in its place, for
 * a value whose text is used. The caller marks the unknown value as a
 * string where its result is one (Fn::Join). NULL with ctx->error when out
 * of memory. */
const tnode *intrinsic_number_text(intrinsic_context *ctx, const tnode *value);

/* Returns list, or a copy of it with intrinsic_number_text() applied to
 * each item. NULL with ctx->error when out of memory. */
const tnode *intrinsic_number_texts(intrinsic_context *ctx, const tnode *list);

/* Returns the text of a resolved scalar (string, number or boolean), or NULL. */
const char *intrinsic_scalar_text(const tnode *node);

/* Returns the member of a list parameter's value that starts at text and
 * ends at the next comma or the end, with the spaces around it removed, as
 * CloudFormation trims each member. *next is where the next member starts,
 * or NULL after the last one. */
const char *intrinsic_list_member(const char *text, size_t *len, const char **next);

/* A constraint of a parameter that a value breaks. */
typedef enum parameter_limit_kind {
  PARAMETER_LIMIT_NONE,
  PARAMETER_LIMIT_MIN_LENGTH,
  PARAMETER_LIMIT_MAX_LENGTH,
  PARAMETER_LIMIT_PATTERN,
  PARAMETER_LIMIT_NOT_NUMBER,
  PARAMETER_LIMIT_MIN_VALUE,
  PARAMETER_LIMIT_MAX_VALUE,
} parameter_limit_kind;

/* The constraint a parameter value breaks, with what a message names. */
typedef struct parameter_limit {
  parameter_limit_kind kind;
  size_t length;       /* the value's characters, for the length limits */
  double bound;        /* the MinLength, MaxLength, MinValue or MaxValue */
  const char *pattern; /* the AllowedPattern */
  const char *item;    /* the list item that breaks the pattern, in the value */
  size_t item_len;
} parameter_limit;

/* Finds the first constraint CloudFormation applies before a deployment
 * that value breaks: MinLength, MaxLength and AllowedPattern on a String
 * parameter, AllowedPattern on each item of a CommaDelimitedList, a number
 * within MinValue and MaxValue on a Number. Returns 1 with *out set, or 0.
 * Other types, and a pattern this matcher cannot read, are not checked. */
int intrinsic_parameter_limit_find(const tnode *parameter, const char *value,
                                   parameter_limit *out);

/* Checks a --parameter value with intrinsic_parameter_limit_find().
 * Returns where, or NULL with an invalid finding. */
const tnode *intrinsic_parameter_limits(intrinsic_context *ctx, const char *name,
                                        const tnode *parameter, const char *value,
                                        const tnode *where);

#endif
