/*
 * cfgate compile: .gate policies and provider schemas in, restricted schema
 * templates and a manifest out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_args.h"
#include "commands.h"
#include "compile_stats.h"
#include "diag.h"
#include "ir/emit_c.h"
#include "ir/emit_c_output.h"
#include "policy.h"
#include "widening_print.h"

static void compile_usage(FILE *out) {
  fprintf(out,
          "usage: cfgate compile POLICY.gate|DIR... [--schemas DIR|ZIP] -o OUTDIR [--emit-c DIR]\n"
          "                      [--accept-new-properties] [--stats] [--max-errors N]\n"
          "\n"
          "Compiles .gate policies (a folder stands for its .gate files) against AWS\n"
          "resource provider schemas and writes one restricted schema template per\n"
          "allowed type to OUTDIR/templates/, plus OUTDIR/manifest.json.\n"
          "\n"
          "options:\n"
          "  --schemas DIR|ZIP  provider schema folder or CloudformationSchema.zip\n"
          "                     (default: $CFGATE_SCHEMAS)\n"
          "  -o, --output DIR   output folder, created when missing. A later compile\n"
          "                     into it replaces the templates listed in its\n"
          "                     manifest.json and removes those the policy no longer\n"
          "                     allows. It replaces or removes no other file: a .json\n"
          "                     file in DIR/templates/ that the manifest does not list, a\n"
          "                     manifest.json that cfgate did not write, and a\n"
          "                     symbolic link as DIR/templates or DIR/manifest.json\n"
          "                     are errors (exit status 2) and nothing is written.\n"
          "                     When a type's provider schema changed since DIR was\n"
          "                     written, the new template is compared with the old\n"
          "                     one: what only the new one admits (a property AWS\n"
          "                     added under a kept subtree or '*', a new enum value,\n"
          "                     a looser bound) is listed with the rule that admits\n"
          "                     it, and nothing is written (exit status 3)\n"
          "  --accept-new-properties\n"
          "                     write the templates even when they admit such new\n"
          "                     properties or values, which are still listed\n"
          "  --emit-c DIR       also write the validators as C source for embedding:\n"
          "                     cfgate_policy.h, cfgate_policy_registry.c and one .c per\n"
          "                     type (see examples/embed/). DIR itself may be a\n"
          "                     symbolic link. As with -o, a link as one of the\n"
          "                     generated files is an error, and only files that\n"
          "                     cfgate wrote are replaced: a\n"
          "                     file of those names must start with the comment\n"
          "                     that starts every generated file. The generated files\n"
          "                     of types the policy no longer allows are removed\n"
          "  --stats            print how each pattern is matched (byte DFA or a\n"
          "                     fallback engine) and why each fallback was needed\n"
          "  --max-errors N     errors reported before stopping (default 20)\n"
          "  -h, --help         print this help\n"
          "Each option may be given once. A value may follow the option or an '='\n"
          "(--output=OUTDIR).\n"
          "\n"
          "Exit status: 0 the templates were written, 2 bad usage or an error in the\n"
          "policy, the provider schemas or an output folder, 3 the new templates admit\n"
          "properties or values that the ones in OUTDIR reject (nothing was written).\n");
}

typedef struct compile_args {
  const char **policies;
  size_t policy_count;
  const char *schemas;
  const char *output;
  const char *emit_c; /* folder for C source, or NULL */
  int stats;          /* 1: print pattern engine statistics */
  int accept_new;     /* 1: --accept-new-properties */
  size_t max_errors;
} compile_args;

static const char *compile_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    fprintf(stderr, "cfgate compile: option '%s' needs a value\n", argv[*i]);
    return NULL;
  }
  return argv[++*i];
}

/* Largest --max-errors value: a cap, not a way to store unbounded lists. */
#define COMPILE_MAX_ERRORS_LIMIT 10000

/* Parses --max-errors: a whole number from 1 to COMPILE_MAX_ERRORS_LIMIT.
 * Returns 0 and reports the value otherwise. */
static size_t compile_parse_max_errors(const char *value) {
  char *end = NULL;
  unsigned long number = 0;
  if (value[0] >= '0' && value[0] <= '9')
    number = strtoul(value, &end, 10);
  if (end && *end == '\0' && number >= 1 && number <= COMPILE_MAX_ERRORS_LIMIT)
    return number;

  fprintf(stderr,
          "cfgate compile: invalid --max-errors value '%s': use a whole number from 1 to %d\n",
          value, COMPILE_MAX_ERRORS_LIMIT);
  return 0;
}

/* Returns -1 on bad usage, 1 for --help, 0 otherwise. */
static int compile_parse_args(int argc, char **argv, compile_args *args) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = NULL;
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
      return 1;
    if (strcmp(arg, "--") == 0) {
      while (++i < argc)
        args->policies[args->policy_count++] = argv[i];
    } else if (strcmp(arg, "--schemas") == 0) {
      if (!(value = compile_value(argc, argv, &i)))
        return -1;
      args->schemas = value;
    } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
      if (!(value = compile_value(argc, argv, &i)))
        return -1;
      args->output = value;
    } else if (strcmp(arg, "--stats") == 0) {
      args->stats = 1;
    } else if (strcmp(arg, "--accept-new-properties") == 0) {
      args->accept_new = 1;
    } else if (strcmp(arg, "--emit-c") == 0) {
      if (!(value = compile_value(argc, argv, &i)))
        return -1;
      args->emit_c = value;
    } else if (strcmp(arg, "--max-errors") == 0) {
      if (!(value = compile_value(argc, argv, &i)))
        return -1;
      if (!(args->max_errors = compile_parse_max_errors(value)))
        return -1;
    } else if (arg[0] == '-' && arg[1]) {
      fprintf(stderr, "cfgate compile: unknown option '%s'\n", arg);
      return -1;
    } else {
      args->policies[args->policy_count++] = arg;
    }
  }

  if (args->policy_count == 0 || !args->output) {
    fprintf(stderr, "cfgate compile: %s\n", args->policy_count ? "missing output folder: pass -o OUTDIR"
                                                      : "no policy files given");
    return -1;
  }
  return 0;
}

/* Every option of cfgate compile. None may be repeated. */
static const cli_option compile_options[] = {
  {"--schemas", NULL, 1, 0},    {"--output", "-o", 1, 0}, {"--emit-c", NULL, 1, 0},
  {"--max-errors", NULL, 1, 0}, {"--stats", NULL, 0, 0},  {"--help", "-h", 0, 1},
  {"--accept-new-properties", NULL, 0, 0},
};

static int compile_parse_normalized(int argc, char **argv, compile_args *args) {
  char error[512];
  cli_args normalized;
  int parsed = -1;
  if (cli_args_normalize(compile_options, sizeof compile_options / sizeof compile_options[0], argc,
                         argv, &normalized, error, sizeof error) != 0)
    fprintf(stderr, "cfgate compile: %s\n", error);
  else
    parsed = compile_parse_args(normalized.argc, normalized.argv, args);

  cli_args_fini(&normalized);
  return parsed;
}

/* Rejects a policy path that is a file but not a .gate source, which the
 * compiler would otherwise parse as one. Returns 1 when every path is usable. */
static int compile_check_sources(const char *const *paths, size_t count) {
  for (size_t i = 0; i < count; i++) {
    struct stat info;
    size_t len = strlen(paths[i]);
    int is_gate = len > 5 && strcmp(paths[i] + len - 5, ".gate") == 0;
    if (stat(paths[i], &info) == 0 && S_ISREG(info.st_mode) && !is_gate) {
      fprintf(stderr,
              "%s: error: not a .gate file: cfgate compile takes .gate files or folders of "
              "them\n",
              paths[i]);
      return 0;
    }
  }
  return 1;
}

static void report_emit_error(const emit_c_error *emit_error) {
  /* A path may contain a line break or a terminal escape sequence. */
  char path[4 * sizeof emit_error->path], message[4 * sizeof emit_error->message];
  diag_escape(emit_error->path, path, sizeof path);
  diag_escape(emit_error->message, message, sizeof message);
  fprintf(stderr, "cfgate compile: --emit-c %s: %s\n", path, message);
}

/* Prints one property or value that a new template admits and the template
 * it replaces rejected: an error, or a warning under --accept-new-properties. */
static void report_widening(void *data, const policy_widening *widening) {
  const compile_args *args = data;
  widening_print(widening, args->accept_new ? "warning" : "error", stderr);
}

int cmd_compile(int argc, char **argv) {
  compile_args args = {0};
  args.policies = calloc((size_t)argc + 1, sizeof args.policies[0]);
  int parsed = compile_parse_normalized(argc, argv, &args);
  if (parsed != 0) {
    compile_usage(parsed > 0 ? stdout : stderr);
    free(args.policies);
    return parsed > 0 ? EXIT_PASS : EXIT_USAGE;
  }

  if (!compile_check_sources(args.policies, args.policy_count)) {
    free(args.policies);
    return EXIT_USAGE;
  }

  policy_options options = {args.schemas, args.max_errors, stderr, NULL, NULL};
  policy_set *set = policy_compile(args.policies, args.policy_count, &options, NULL);
  free(args.policies);
  if (!set)
    return EXIT_USAGE;

  /* Every output below reads the compiled (type, template) list `set`.
   * The --emit-c folder is checked and staged first, so an error there
   * leaves both folders as they were. Its files take their names only
   * after the -o folder is written. */
  int status = EXIT_PASS;
  emit_c_error emit_error;
  emit_c_staged staged;
  int emit_staged = args.emit_c && emit_c_policy_stage(set, args.emit_c, &staged, &emit_error) == 0;
  if (args.emit_c && !emit_staged) {
    report_emit_error(&emit_error);
    status = EXIT_USAGE;
  }

  char error[POLICY_WRITE_ERROR_SIZE];
  policy_write_options write_options = {args.accept_new, report_widening, &args, 0};
  int written = status == EXIT_PASS
                    ? policy_set_write(set, args.output, &write_options, error, sizeof error)
                    : 0;
  if (written != 0) {
    fprintf(stderr, "%s\n", error);
    status = written == POLICY_WRITE_WIDENS ? EXIT_NEW_PROPERTIES : EXIT_USAGE;
  }
  if (emit_staged && status != EXIT_PASS)
    emit_c_output_discard(&staged);
  else if (emit_staged && emit_c_output_commit(&staged, &emit_error) != 0) {
    report_emit_error(&emit_error);
    status = EXIT_USAGE;
  }
  if (status == EXIT_PASS && args.stats && compile_stats_print(set, stdout, stderr) != 0)
    status = EXIT_USAGE;
  policy_set_free(set);
  return status;
}
