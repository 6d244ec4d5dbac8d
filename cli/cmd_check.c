/*
 * cfgate check: validates the resources of CloudFormation templates against
 * a policy and prints a report in text, json, sarif or junit.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_placeholders.h"
#include "cli_args.h"
#include "check_policy.h"
#include "commands.h"
#include "hook_region.h"
#include "report.h"
#include "stack_arn.h"
#include "template_check.h"
#include "template_files.h"
#include "template_prefix.h"
#include "utf8.h"

enum {
  CHECK_MAX_POLICY_PATHS = 256,  /* --policy paths */
  CHECK_MAX_BINDINGS = 256,      /* --context and --parameter values */
  CHECK_MAX_STACK_NAME = 128     /* characters of a CloudFormation stack name */
};

typedef struct check_args {
  const char *policy_paths[CHECK_MAX_POLICY_PATHS];
  size_t policy_count;
  const char *schemas;
  const char *baseline; /* compiled folder the .gate policy is compared with, or NULL */
  check_settings settings;
  intrinsic_binding parameters[CHECK_MAX_BINDINGS];
  unsigned char parameter_used[CHECK_MAX_BINDINGS];
  intrinsic_binding contexts[CHECK_MAX_BINDINGS];
  size_t context_count;
  cfgate_str context_names[CHECK_MAX_BINDINGS + 4];
  cfgate_str context_values[CHECK_MAX_BINDINGS + 4];
  report_format format;
  int strict;
  template_files files;
  stack_arn stack_id;     /* parts of --stack-id, when given */
} check_args;

static void check_usage(FILE *out) {
  fputs("usage: cfgate check --policy DIR|FILE.gate... [--schemas DIR|ZIP]\n"
        "                    [--account-id ID] [--region R] [--partition P] [--stack-name NAME]\n"
        "                    [--stack-id ARN]\n"
        "                    [--context NAME=VALUE]... [--parameter KEY=VALUE]...\n"
        "                    [--format text|json|sarif|junit] [--strict] TEMPLATE|DIR|-...\n"
        "\n"
        "Checks each resource's Properties against the restricted schema of its type.\n"
        "  --policy PATH        .gate files or folders (compiled in memory), or one folder\n"
        "                       written by 'cfgate compile'; repeat for more files\n"
        "  --schemas PATH       provider schema folder or CloudformationSchema.zip\n"
        "                       (default: $CFGATE_SCHEMAS)\n"
        "  --baseline DIR       folder written by 'cfgate compile' from the same .gate\n"
        "                       policy: a type whose provider schema changed since must\n"
        "                       admit nothing that DIR's template rejects (such as a\n"
        "                       property AWS added under '*'); otherwise the findings\n"
        "                       are listed and nothing is checked (exit status 2)\n"
        "  --account-id ID      value of AWS::AccountId (12 digits)\n"
        "  --region R           value of AWS::Region; also sets the partition and URL suffix\n"
        "  --partition P        value of AWS::Partition (default: derived from --region)\n"
        "  --stack-name NAME    value of AWS::StackName\n"
        "  --stack-id ARN       value of AWS::StackId; also sets the partition, region,\n"
        "                       account id and stack name it contains\n"
        "  --context NAME=VALUE value of a policy context placeholder\n"
        "  --parameter KEY=VALUE  template parameter value; without it, a parameter\n"
        "                       with AllowedValues is checked with each of them, and\n"
        "                       one without is unknown (its Default is not assumed)\n"
        "  --format F           report format: text (default), json, sarif or junit\n"
        "  --strict             values unknown offline fail instead of warning\n"
        "--policy, --context and --parameter may be repeated (each --context name and\n"
        "--parameter key once); any other option may be given once. A value may follow\n"
        "the option or an '=' (--format=json).\n"
        "Directories are searched recursively for *.json, *.yaml, *.yml and *.template;\n"
        "'-' reads one template from standard input.\n"
        "\n"
        "Exit status: 0 every resource compliant, 1 a violation or denied type (or an\n"
        "unverified value with --strict), 2 usage error or a template that cannot be read\n"
        "or parsed (the message names file, line and column).\n",
        out);
}

static int usage_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("cfgate check: ", stderr);
  vfprintf(stderr, format, args);
  va_end(args);
  fputs("\nRun 'cfgate check --help' for the options.\n", stderr);
  return EXIT_USAGE;
}

static int parse_binding(char *text, intrinsic_binding *binding) {
  char *equals = strchr(text, '=');
  if (!equals || equals == text)
    return 0;
  *equals = '\0';
  binding->name = text;
  binding->value = equals + 1;
  return 1;
}

static int parse_format(const char *name, report_format *format) {
  static const struct { const char *name; report_format format; } formats[] = {
    {"text", FORMAT_TEXT}, {"json", FORMAT_JSON}, {"sarif", FORMAT_SARIF}, {"junit", FORMAT_JUNIT},
  };
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    if (strcmp(name, formats[i].name) == 0) {
      *format = formats[i].format;
      return 1;
    }
  }
  return 0;
}

static int is_account_id(const char *text) {
  size_t len = strlen(text);
  return len == 12 && strspn(text, "0123456789") == 12;
}

static int set_policy(check_args *args, char *value) {
  if (args->policy_count >= CHECK_MAX_POLICY_PATHS)
    return usage_error("too many --policy paths (limit is %d)", CHECK_MAX_POLICY_PATHS);
  args->policy_paths[args->policy_count++] = value;
  return EXIT_PASS;
}

static int set_schemas(check_args *args, char *value) {
  args->schemas = value;
  return EXIT_PASS;
}

static int set_baseline(check_args *args, char *value) {
  args->baseline = value;
  return EXIT_PASS;
}

static int set_account_id(check_args *args, char *value) {
  if (!is_account_id(value))
    return usage_error("invalid --account-id '%s': expected 12 digits", value);
  args->settings.account_id = value;
  return EXIT_PASS;
}

static int set_region(check_args *args, char *value) {
  if (!hook_region_is_valid(value))
    return usage_error("invalid --region '%s': expected a region name such as us-east-1", value);
  args->settings.region = value;
  return EXIT_PASS;
}

static int set_partition(check_args *args, char *value) {
  if (!hook_partition_is_known(value))
    return usage_error("invalid --partition '%s': expected aws, aws-cn, aws-us-gov, aws-iso, "
                       "aws-iso-b, aws-iso-e or aws-iso-f", value);
  args->settings.partition = value;
  return EXIT_PASS;
}

/* CloudFormation stack names start with a letter and contain only letters,
 * digits and hyphens. */
static int is_stack_name(const char *text) {
  size_t len = strlen(text);
  if (len == 0 || len > CHECK_MAX_STACK_NAME || !isalpha((unsigned char)text[0]))
    return 0;
  return strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == len;
}

static int set_stack_name(check_args *args, char *value) {
  if (!is_stack_name(value))
    return usage_error("invalid --stack-name '%s': expected a letter followed by letters, "
                       "digits or hyphens, at most %d characters", value, CHECK_MAX_STACK_NAME);
  args->settings.stack_name = value;
  return EXIT_PASS;
}

static int set_format(check_args *args, char *value) {
  if (!parse_format(value, &args->format))
    return usage_error("invalid --format '%s': expected text, json, sarif or junit", value);
  return EXIT_PASS;
}

static int add_binding(intrinsic_binding *list, size_t *count, const char *option, char *value) {
  if (*count >= CHECK_MAX_BINDINGS)
    return usage_error("too many %s values (limit is %d)", option, CHECK_MAX_BINDINGS);
  if (!parse_binding(value, &list[*count]))
    return usage_error("invalid %s value '%s': expected NAME=VALUE", option, value);
  (*count)++;
  return EXIT_PASS;
}

/* Adds one --context binding. The AWS:: placeholders come from --account-id,
 * --region and the other options alone, and a name may be given once. */
static int add_context(check_args *args, char *value) {
  int status = add_binding(args->contexts, &args->context_count, "--context", value);
  if (status != EXIT_PASS)
    return status;

  const char *name = args->contexts[args->context_count - 1].name;
  if (strncmp(name, "AWS::", 5) == 0)
    return usage_error("invalid --context name '%s': AWS:: placeholders are set by "
                       "--account-id, --region, --partition, --stack-name and --stack-id", name);
  for (size_t i = 0; i + 1 < args->context_count; i++)
    if (strcmp(args->contexts[i].name, name) == 0)
      return usage_error("duplicate --context name '%s'", name);
  const char *context_value = args->contexts[args->context_count - 1].value;
  if (context_value[0] == '\0')
    return usage_error("empty --context value for '%s': a placeholder needs a value", name);
  if (!utf8_is_text(context_value, strlen(context_value)))
    return usage_error("--context value for '%s' is not valid UTF-8", name);
  return EXIT_PASS;
}

/* Adds one --parameter binding. A key may be given once, because a second
 * value would be ignored. */
static int add_parameter(check_args *args, char *value) {
  size_t *count = &args->settings.parameter_count;
  int status = add_binding(args->parameters, count, "--parameter", value);
  if (status != EXIT_PASS)
    return status;

  const char *name = args->parameters[*count - 1].name;
  for (size_t i = 0; i + 1 < *count; i++)
    if (strcmp(args->parameters[i].name, name) == 0)
      return usage_error("duplicate --parameter key '%s': give each parameter one value", name);
  return EXIT_PASS;
}

static int set_stack_id(check_args *args, char *value) {
  if (!stack_arn_parse(value, &args->stack_id) || !is_stack_name(args->stack_id.stack_name))
    return usage_error("invalid --stack-id '%s': expected "
                       "arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID", value);
  args->settings.stack_id = value;
  return EXIT_PASS;
}

typedef struct valued_option {
  const char *name;
  int (*apply)(check_args *args, char *value);
} valued_option;

static const valued_option valued_options[] = {
  {"--policy", set_policy},         {"--schemas", set_schemas},
  {"--account-id", set_account_id}, {"--region", set_region},
  {"--partition", set_partition},   {"--stack-name", set_stack_name},
  {"--format", set_format},         {"--context", add_context},
  {"--parameter", add_parameter},     {"--stack-id", set_stack_id},
  {"--baseline", set_baseline},
};

/* Every option of cfgate check. Only --policy, --context and --parameter
 * may be repeated. */
static const cli_option check_options[] = {
  {"--policy", NULL, 1, 1},     {"--schemas", NULL, 1, 0},   {"--account-id", NULL, 1, 0},
  {"--region", NULL, 1, 0},     {"--partition", NULL, 1, 0}, {"--stack-name", NULL, 1, 0},
  {"--stack-id", NULL, 1, 0},   {"--format", NULL, 1, 0},    {"--context", NULL, 1, 1},
  {"--parameter", NULL, 1, 1},  {"--strict", NULL, 0, 0},    {"--help", "-h", 0, 1},
  {"--baseline", NULL, 1, 0},
};

static const valued_option *find_valued_option(const char *name) {
  for (size_t i = 0; i < sizeof valued_options / sizeof valued_options[0]; i++)
    if (strcmp(name, valued_options[i].name) == 0)
      return &valued_options[i];
  return NULL;
}

static int add_template_path(check_args *args, const char *path) {
  char error[4200];
  if (template_files_add(&args->files, path, error, sizeof error) != 0) {
    fprintf(stderr, "cfgate check: %s\n", error);
    return EXIT_USAGE;
  }
  return EXIT_PASS;
}

/* Extra .gate paths right after a --policy value belong to it. */
static int is_gate_file(const char *arg) {
  size_t len = strlen(arg);
  return len > 5 && strcmp(arg + len - 5, ".gate") == 0;
}

/* Reads every argument from argv[first] on as a template path: they follow
 * "--", which ends the options. */
static int add_remaining_templates(check_args *args, int argc, char **argv, int first) {
  int status = EXIT_PASS;
  for (int i = first; status == EXIT_PASS && i < argc; i++)
    status = add_template_path(args, argv[i]);
  return status;
}

static int parse_args(check_args *args, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const valued_option *option = find_valued_option(arg);
    int status = EXIT_PASS;

    if (strcmp(arg, "--") == 0) {
      return add_remaining_templates(args, argc, argv, i + 1);
    } else if (strcmp(arg, "--strict") == 0) {
      args->strict = 1;
    } else if (option) {
      if (i + 1 >= argc)
        return usage_error("option %s needs a value", arg);
      status = option->apply(args, argv[++i]);
      while (status == EXIT_PASS && option->apply == set_policy && i + 1 < argc &&
             is_gate_file(argv[i + 1]))
        status = set_policy(args, argv[++i]);
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return usage_error("unknown option '%s'", arg);
    } else {
      status = add_template_path(args, arg);
    }

    if (status != EXIT_PASS)
      return status;
  }
  return EXIT_PASS;
}

static void add_placeholder(check_args *args, const char *name, const char *value) {
  size_t n = args->settings.context.count;
  if (!value)
    return;
  args->context_names[n] = (cfgate_str){name, strlen(name)};
  args->context_values[n] = (cfgate_str){value, strlen(value)};
  args->settings.context.count = n + 1;
}

/* Fills the pseudo parameters that --stack-id contains and the command
 * line does not give; a given value must match the ARN. */
static int apply_stack_id(check_args *args) {
  check_settings *s = &args->settings;
  const stack_arn *arn = &args->stack_id;
  const char *given[] = {s->partition, s->region, s->account_id, s->stack_name};
  const char *from_arn[] = {arn->partition, arn->region, arn->account_id, arn->stack_name};
  static const char *const options[] = {"--partition", "--region", "--account-id",
                                        "--stack-name"};
  if (!s->stack_id)
    return EXIT_PASS;

  for (size_t i = 0; i < 4; i++)
    if (given[i] && strcmp(given[i], from_arn[i]) != 0)
      return usage_error("%s '%s' does not match --stack-id, which has '%s'", options[i],
                         given[i], from_arn[i]);
  if (!hook_partition_is_known(arn->partition) || !hook_region_is_valid(arn->region) ||
      !is_account_id(arn->account_id))
    return usage_error("invalid --stack-id '%s': unknown partition, invalid region or account id",
                       s->stack_id);

  s->partition = arn->partition;
  s->region = arn->region;
  s->account_id = arn->account_id;
  s->stack_name = arn->stack_name;
  return EXIT_PASS;
}

static int check_partition_matches(const check_settings *s) {
  if (!s->partition || !s->region)
    return EXIT_PASS;

  const char *expected = hook_partition_for_region(s->region);
  if (strcmp(s->partition, expected) == 0)
    return EXIT_PASS;
  return usage_error("--partition '%s' does not match --region '%s', which is in partition %s",
                     s->partition, s->region, expected);
}

/* Fills the derived pseudo parameters and the placeholder values. */
static void finish_settings(check_args *args) {
  check_settings *s = &args->settings;
  if (!s->partition && s->region)
    s->partition = hook_partition_for_region(s->region);
  if (s->partition)
    s->url_suffix = hook_url_suffix(s->partition);

  s->context.names = args->context_names;
  s->context.values = args->context_values;
  add_placeholder(args, "AWS::AccountId", s->account_id);
  add_placeholder(args, "AWS::Region", s->region);
  add_placeholder(args, "AWS::Partition", s->partition);
  add_placeholder(args, "AWS::URLSuffix", s->url_suffix);
  for (size_t i = 0; i < args->context_count; i++)
    add_placeholder(args, args->contexts[i].name, args->contexts[i].value);
  s->parameters = args->parameters;
  s->parameter_used = args->parameter_used;
}

/* A --parameter that no template declares is probably misspelt. */
static void warn_unused_parameters(const check_settings *s) {
  for (size_t i = 0; i < s->parameter_count; i++)
    if (!s->parameter_used[i])
      fprintf(stderr, "cfgate check: warning: --parameter %s is not a parameter of any checked "
                      "template\n", s->parameters[i].name);
}

/* A --context name that no template of the policy reads is probably
 * misspelt, so it gets a warning naming the placeholders there are. */
static void warn_unused_contexts(const check_args *args, const check_policy *policy) {
  for (size_t i = 0; i < args->context_count; i++)
    check_policy_warn_unused_context(policy, "cfgate check", args->contexts[i].name);
}

static void check_one(check_report *report, check_policy *policy, const check_settings *settings,
                      const char *path) {
  char error[4200];
  size_t size = 0;
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  unsigned char *bytes = template_read_file(path, &size, error, sizeof error);
  if (!bytes) {
    report_template *tmpl = report_add_template(report, name);
    report_set_unparseable(tmpl, 1, 1, error);
    return;
  }
  template_check(report, policy, settings, name, bytes, size);
  free(bytes);
}

static int run_check(check_args *args) {
  check_policy *policy = check_policy_open(args->policy_paths, args->policy_count, args->schemas,
                                           args->baseline, stderr);
  if (!policy)
    return EXIT_USAGE;
  warn_unused_contexts(args, policy);

  check_report report;
  report_init(&report);
  report.strict = args->strict;
  for (size_t i = 0; i < args->files.count; i++)
    check_one(&report, policy, &args->settings, args->files.paths[i]);
  warn_unused_parameters(&args->settings);

  int color = args->format == FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
  int status = report_exit_status(&report);
  if (check_placeholders_report_missing(stderr, &report, policy, &args->settings.context) > 0) {
    fputs("Run 'cfgate check --help' for the options.\n", stderr);
    status = EXIT_USAGE;
  } else {
    errno = 0;
    if (report_write(stdout, &report, args->format, color) != 0 || fflush(stdout) != 0) {
      fprintf(stderr, "cfgate check: writing the report failed%s%s\n", errno ? ": " : "",
              errno ? strerror(errno) : "");
      status = EXIT_USAGE;
    }
  }

  report_fini(&report);
  check_policy_free(policy);
  template_prefix_cache_free();
  return status;
}

int cmd_check(int argc, char **argv) {
  if (cli_args_wants_help(check_options, sizeof check_options / sizeof check_options[0], argc, argv)) {
    check_usage(stdout);
    return EXIT_PASS;
  }

  static check_args args;
  memset(&args, 0, sizeof args);
  char error[512];
  cli_args normalized;
  int status = EXIT_PASS;
  if (cli_args_normalize(check_options, sizeof check_options / sizeof check_options[0], argc, argv,
                         &normalized, error, sizeof error) != 0)
    status = usage_error("%s", error);
  if (status == EXIT_PASS)
    status = parse_args(&args, normalized.argc, normalized.argv);
  if (status == EXIT_PASS && args.policy_count == 0)
    status = usage_error("%s", "missing --policy: pass .gate files or a compiled folder");
  if (status == EXIT_PASS && template_files_remove_duplicates(&args.files) != 0)
    status = usage_error("%s", "out of memory");
  if (status == EXIT_PASS && args.files.count == 0)
    status = usage_error("%s", "no templates: pass files, folders or - for standard input");
  if (status == EXIT_PASS)
    status = apply_stack_id(&args);
  if (status == EXIT_PASS)
    status = check_partition_matches(&args.settings);

  if (status == EXIT_PASS) {
    finish_settings(&args);
    status = run_check(&args);
  }
  template_files_fini(&args.files);
  cli_args_fini(&normalized);
  return status;
}
