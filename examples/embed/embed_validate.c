/*
 * Embedding example: validates a resource's properties (a JSON object) for
 * a resource type with validators compiled into the program by
 * "cfgate compile --emit-c DIR". It links only the generated C and the cfgate
 * runtime: no compiler, no JSON library, no schema files at run time.
 *
 *   embed_validate TYPE [FILE] [--context NAME=VALUE...]
 *
 * Reads standard input when FILE is absent, and skips a UTF-8 byte order
 * mark at the start of the input. Exit status: 0 valid, 1 invalid or no
 * validator for TYPE (a type without a policy is denied), 2 bad usage,
 * unreadable or malformed input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgate.h"
#include "cfgate_policy.h"

/* Maximum --context bindings. */
#define EMBED_MAX_CONTEXT 32
/* Bytes read and fed to the runtime at a time. */
#define EMBED_CHUNK_SIZE 4096

typedef struct embed_args {
  const char *type_name;
  const char *path; /* NULL for standard input */
  cfgate_str names[EMBED_MAX_CONTEXT];
  cfgate_str values[EMBED_MAX_CONTEXT];
  size_t context_count;
} embed_args;

static int add_context(embed_args *args, const char *binding) {
  const char *equals = strchr(binding, '=');

  if (equals == NULL || equals == binding) {
    fprintf(stderr, "embed_validate: invalid --context '%s': expected NAME=VALUE\n", binding);
    return -1;
  }
  if (args->context_count == EMBED_MAX_CONTEXT) {
    fprintf(stderr, "embed_validate: too many --context values (limit is %d)\n", EMBED_MAX_CONTEXT);
    return -1;
  }
  args->names[args->context_count] = (cfgate_str){binding, (size_t)(equals - binding)};
  args->values[args->context_count] = (cfgate_str){equals + 1, strlen(equals + 1)};
  args->context_count++;
  return 0;
}

static int parse_args(embed_args *args, int argc, char **argv) {
  memset(args, 0, sizeof *args);

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--context") == 0) {
      if (i + 1 == argc) {
        fprintf(stderr, "embed_validate: --context needs a value: NAME=VALUE\n");
        return -1;
      }
      if (add_context(args, argv[++i]) != 0)
        return -1;
    } else if (args->type_name == NULL) {
      args->type_name = argv[i];
    } else if (args->path == NULL) {
      args->path = argv[i];
    } else {
      fprintf(stderr, "embed_validate: unexpected argument '%s'\n", argv[i]);
      return -1;
    }
  }
  if (args->type_name == NULL) {
    fprintf(stderr, "usage: embed_validate TYPE [FILE] [--context NAME=VALUE...]\n");
    return -1;
  }
  return 0;
}

/* Streams the input through the session and returns the verdict, or -1 when
 * the input cannot be read. cfgate_feed() reads JSON text alone, in which a
 * UTF-8 byte order mark is a syntax error, so the program skips one at the
 * start of the input, as cfgate validate does. */
static int validate_input(cfgate_session *session, const char *path) {
  static const unsigned char byte_order_mark[3] = {0xEF, 0xBB, 0xBF};
  unsigned char chunk[EMBED_CHUNK_SIZE];
  FILE *in = path != NULL ? fopen(path, "rb") : stdin;
  int at_start = 1;
  size_t n;

  if (in == NULL) {
    fprintf(stderr, "embed_validate: cannot open %s\n", path);
    return -1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
    const unsigned char *bytes = chunk;

    if (at_start && n >= sizeof byte_order_mark &&
        memcmp(chunk, byte_order_mark, sizeof byte_order_mark) == 0) {
      bytes += sizeof byte_order_mark;
      n -= sizeof byte_order_mark;
    }
    at_start = 0;
    cfgate_feed(session, bytes, n);
  }
  int read_failed = ferror(in);
  if (in != stdin)
    fclose(in);
  if (read_failed) {
    fprintf(stderr, "embed_validate: cannot read %s\n", path != NULL ? path : "standard input");
    return -1;
  }
  return (int)cfgate_finish(session);
}

/* Prints each error at the line and column of the offending value, or of the
 * syntax error for malformed input. */
static void print_errors(const cfgate_session *session, int malformed) {
  for (size_t i = 0; i < cfgate_error_count(session); i++) {
    const cfgate_error *error = cfgate_error_at(session, i);

    printf("  %u:%u: ", error->line, error->column);
    if (malformed)
      printf("%s\n", error->message);
    else
      printf("%s: %s (%s)\n", error->instance_path[0] ? error->instance_path : "(root)", error->message,
             error->keyword);
    if (error->because != NULL)
      printf("    because: %s\n", error->because);
  }
}

/* Exit status for a verdict: a failed session (a limit exceeded) denies like
 * an invalid document; malformed input is an input error. */
static int exit_status(int verdict) {
  switch (verdict) {
  case CFGATE_VALID:
    return 0;
  case CFGATE_INVALID:
  case CFGATE_UNVERIFIED:
  case CFGATE_FAILED:
    return 1;
  default:
    return 2;
  }
}

static const char *verdict_word(int verdict) {
  switch (verdict) {
  case CFGATE_VALID:
    return "valid";
  case CFGATE_MALFORMED:
    return "malformed";
  case CFGATE_UNVERIFIED:
    return "unverified";
  case CFGATE_FAILED:
    return "failed";
  default:
    return "invalid";
  }
}

static int run(const embed_args *args, const cfgate_validator *validator) {
  cfgate_context context = {args->names, args->values, args->context_count};
  cfgate_options options;
  cfgate_error error;

  cfgate_options_default(&options);
  options.all_errors = 1;
  size_t size = cfgate_workspace_size(validator, &options, &context);
  void *workspace = malloc(size);
  cfgate_session *session =
      workspace != NULL ? cfgate_session_init(workspace, size, validator, &options, &context, &error) : NULL;
  if (session == NULL) {
    fprintf(stderr, "embed_validate: %s\n", workspace != NULL ? error.message : "out of memory");
    free(workspace);
    return 2;
  }

  int verdict = validate_input(session, args->path);
  int status = exit_status(verdict);
  if (verdict >= 0) {
    printf("%s: %s\n", args->type_name, verdict_word(verdict));
    print_errors(session, verdict == CFGATE_MALFORMED);
  }
  free(workspace);
  return status;
}

int main(int argc, char **argv) {
  embed_args args;

  if (parse_args(&args, argc, argv) != 0)
    return 2;

  const cfgate_validator *validator = cfgate_registry_find(&cfgate_policy_registry, args.type_name);
  if (validator == NULL) {
    printf("%s: denied: the policy has no validator for this type\n", args.type_name);
    return 1;
  }
  return run(&args, validator);
}
