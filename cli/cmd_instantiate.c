/*
 * cfgate instantiate: fills a restricted schema template's placeholders and
 * prints the resulting draft-07 JSON Schema.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_args.h"
#include "commands.h"
#include "instantiate.h"
#include "placeholder_names.h"
#include "placeholder_values.h"
#include "template_verify.h"

static void instantiate_usage(FILE *out) {
  fprintf(out, "usage: cfgate instantiate TEMPLATE.json [--context NAME=VALUE]...\n"
               "\n"
               "Replaces the placeholders of a restricted schema template (such as\n"
               "${AWS::AccountId}) and prints the plain draft-07 JSON Schema to stdout.\n"
               "Inside a pattern, a value is matched literally (it is regex-escaped).\n"
               "\n"
               "options:\n"
               "  --context NAME=VALUE  value of one placeholder; repeat for each one\n"
               "  -h, --help            print this help\n"
               "\n"
               "Exit status: 0 the schema was printed, 2 bad usage, a template that cannot\n"
               "be read or is invalid, a placeholder without a valid --context value, or\n"
               "a failed write to standard output.\n");
}

/* Returns whether a --context value for the name text[0..len) is given. */
static int instantiate_find(const instantiate_value *values, size_t count, const char *text, size_t len) {
  for (size_t i = 0; i < count; i++)
    if (strlen(values[i].name) == len && memcmp(values[i].name, text, len) == 0)
      return 1;
  return 0;
}

/* Takes the arguments after "--", which ends the options: the template
 * path, when none came before. */
static int instantiate_take_rest(int argc, char **argv, int first, const char **path) {
  if (argc - first > 1 || (argc > first && *path)) {
    fprintf(stderr, "cfgate instantiate: only one template may be given\n");
    return -1;
  }

  if (argc > first)
    *path = argv[first];
  if (!*path) {
    fprintf(stderr, "cfgate instantiate: no template given\n");
    return -1;
  }
  return 0;
}

static int instantiate_parse(int argc, char **argv, const char **path, instantiate_value *values,
                             size_t *count) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      return instantiate_take_rest(argc, argv, i + 1, path);
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
      return 1;
    if (strcmp(argv[i], "--context") == 0) {
      const char *pair = i + 1 < argc ? argv[++i] : NULL;
      const char *equals = pair ? strchr(pair, '=') : NULL;
      if (!equals || equals == pair) {
        fprintf(stderr, "cfgate instantiate: --context needs NAME=VALUE, got '%s'\n",
                pair ? pair : "");
        return -1;
      }
      if (equals[1] == '\0') {
        fprintf(stderr, "cfgate instantiate: empty --context value for '%.*s': a placeholder "
                "needs a value\n", (int)(equals - pair), pair);
        return -1;
      }
      if (instantiate_find(values, *count, pair, (size_t)(equals - pair))) {
        fprintf(stderr, "cfgate instantiate: duplicate --context %.*s: give each placeholder one value\n",
                (int)(equals - pair), pair);
        return -1;
      }
      char *name = strndup(pair, (size_t)(equals - pair));
      if (name == NULL) {
        fprintf(stderr, "cfgate instantiate: out of memory\n");
        return -1;
      }
      values[(*count)++] = (instantiate_value){name, equals + 1};
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "cfgate instantiate: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (*path) {
      fprintf(stderr, "cfgate instantiate: only one template may be given\n");
      return -1;
    } else {
      *path = argv[i];
    }
  }
  if (!*path) {
    fprintf(stderr, "cfgate instantiate: no template given\n");
    return -1;
  }
  return 0;
}

/* Returns 1 for the names every template may use, which scripts pass to
 * every template. */
static int instantiate_is_builtin(const char *name) {
  static const char *const builtins[] = {"AWS::AccountId", "AWS::Region", "AWS::Partition",
                                         "AWS::URLSuffix"};
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (strcmp(name, builtins[i]) == 0)
      return 1;
  return 0;
}

/* Warns about each --context name, other than a built-in one, that the
 * template does not list in x-cfgate.placeholders: its value is not used,
 * which is usually a typo. The warning names the placeholders there are. */
static void instantiate_warn_unused(const char *path, json_t *template_schema,
                                    const instantiate_value *values, size_t count) {
  char known[1024] = "";
  placeholder_names_append(template_schema, 0, known, sizeof known);

  for (size_t i = 0; i < count; i++) {
    if (placeholder_names_contains(template_schema, values[i].name) ||
        instantiate_is_builtin(values[i].name))
      continue;
    fprintf(stderr,
            "%s: warning: the template has no placeholder '${%s}', so --context %s=... is "
            "not used (%s%s)\n",
            path, values[i].name, values[i].name,
            known[0] ? "its placeholders: " : "it has no placeholders", known);
  }
}

/* Reports, one line each, every placeholder in x-cfgate.placeholders that no
 * --context gives a value. Returns how many there are. */
static size_t instantiate_report_missing(const char *path, json_t *template_schema,
                                         const instantiate_value *values, size_t count) {
  const json_t *names = json_object_get(json_object_get(template_schema, "x-cfgate"), "placeholders");
  size_t missing = 0;
  for (size_t i = 0; i < json_array_size(names); i++) {
    const char *name = json_string_value(json_array_get(names, i));
    if (!name || instantiate_find(values, count, name, strlen(name)))
      continue;

    fprintf(stderr, "%s: error: no value for placeholder '%s' (pass --context %s=VALUE)\n", path,
            name, name);
    missing++;
  }
  return missing;
}

static int instantiate_run(const char *path, const instantiate_value *values, size_t count) {
  json_error_t jerror;
  struct stat info;
  if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
    fprintf(stderr, "%s: error: is a directory, expected a restricted schema template file\n", path);
    return EXIT_USAGE;
  }

  json_t *template_schema = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  if (!template_schema && jerror.line < 1) {
    fprintf(stderr, "%s: error: %s\n", path, jerror.text);
    return EXIT_USAGE;
  }
  if (!template_schema) {
    /* jansson reports column 0 at the start of a line, but columns here are 1-based. */
    fprintf(stderr, "%s:%d:%d: error: %s\n", path, jerror.line,
            jerror.column > 0 ? jerror.column : 1, jerror.text);
    return EXIT_USAGE;
  }
  /* The checks of `cfgate validate`, so that both commands accept the same
   * templates: a hand-written one may be open or have a malformed placeholder list. */
  char problem[1024];
  if (json_object_get(template_schema, "x-cfgate") &&
      !template_verify(template_schema, problem, sizeof problem)) {
    fprintf(stderr, "%s: error: invalid restricted schema template: %s\n", path, problem);
    json_decref(template_schema);
    return EXIT_USAGE;
  }
  instantiate_warn_unused(path, template_schema, values, count);
  if (instantiate_report_missing(path, template_schema, values, count) > 0) {
    json_decref(template_schema);
    return EXIT_USAGE;
  }

  char error[1024];
  json_t *schema = instantiate_template(template_schema, values, count, error, sizeof error);
  json_decref(template_schema);
  if (!schema) {
    fprintf(stderr, "%s: error: %s\n", path, error);
    return EXIT_USAGE;
  }
  errno = 0;
  int failed = json_dumpf(schema, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII) != 0;
  failed |= fputc('\n', stdout) == EOF;
  failed |= fflush(stdout) != 0;
  json_decref(schema);
  if (failed) {
    fprintf(stderr, "cfgate instantiate: writing the schema to standard output failed%s%s\n",
            errno ? ": " : "", errno ? strerror(errno) : "");
    return EXIT_USAGE;
  }
  return EXIT_PASS;
}

/* Every option of cfgate instantiate. */
static const cli_option instantiate_options[] = {
  {"--context", NULL, 1, 1},
  {"--help", "-h", 0, 1},
};

static int instantiate_parse_normalized(int argc, char **argv, const char **path,
                                        instantiate_value *values, size_t *count) {
  char error[512];
  cli_args normalized;
  int parsed = -1;
  if (cli_args_normalize(instantiate_options, sizeof instantiate_options / sizeof instantiate_options[0],
                         argc, argv, &normalized, error, sizeof error) != 0)
    fprintf(stderr, "cfgate instantiate: %s\n", error);
  else
    parsed = instantiate_parse(normalized.argc, normalized.argv, path, values, count);

  cli_args_fini(&normalized);
  return parsed;
}

int cmd_instantiate(int argc, char **argv) {
  const char *path = NULL;
  size_t count = 0;
  instantiate_value *values = calloc((size_t)argc + 1, sizeof values[0]);
  int parsed = instantiate_parse_normalized(argc, argv, &path, values, &count);

  int status;
  if (parsed != 0) {
    instantiate_usage(parsed > 0 ? stdout : stderr);
    status = parsed > 0 ? EXIT_PASS : EXIT_USAGE;
  } else if (placeholder_values_check("cfgate instantiate", values, count) > 0) {
    status = EXIT_USAGE;
  } else {
    status = instantiate_run(path, values, count);
  }

  for (size_t i = 0; i < count; i++)
    free((char *)values[i].name);
  free(values);
  return status;
}
