/*
 * cfgate hook: responds to one CloudFormation Hook invocation. Reads the
 * event from --event FILE or standard input and writes the response JSON to
 * standard output. Every failure responds FAILED, never SUCCESS.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_policy.h"
#include "cli_args.h"
#include "commands.h"
#include "hook_event.h"
#include "hook_read.h"
#include "hook_region.h"
#include "hook_response.h"
#include "hook_validate.h"
#include "utf8.h"

enum {
  HOOK_MAX_POLICY_PATHS = 256, /* --policy paths */
  HOOK_MAX_CONTEXT = 256,      /* --context values */
  HOOK_MESSAGE_BYTES = 16384   /* message buffer before the cut to HOOK_MAX_MESSAGE characters */
};

typedef struct hook_args {
  const char *policy_paths[HOOK_MAX_POLICY_PATHS];
  size_t policy_count;
  const char *schemas, *event_path, *region;
  const char *baseline; /* compiled folder the .gate policy is compared with, or NULL */
  cfgate_str context_names[HOOK_MAX_CONTEXT + 4];
  cfgate_str context_values[HOOK_MAX_CONTEXT + 4];
  size_t context_count;
} hook_args;

static void hook_usage(FILE *out) {
  fputs("usage: cfgate hook --policy DIR|FILE.gate... [--schemas DIR|ZIP] [--event FILE]\n"
        "                   [--region R] [--context NAME=VALUE]... [--baseline DIR]\n"
        "\n"
        "Answers one CloudFormation Hook invocation (Lambda hook event or\n"
        "cloudformation-cli request) read from --event FILE or standard input, and\n"
        "writes {\"hookStatus\", \"errorCode\", \"message\", \"clientRequestToken\"} to\n"
        "standard output.\n"
        "  --policy PATH        .gate files or folders, or one 'cfgate compile' folder\n"
        "  --schemas PATH       provider schema folder or zip (default: $CFGATE_SCHEMAS)\n"
        "  --event FILE         the invocation event, at most 6 MiB (default: standard\n"
        "                       input)\n"
        "  --region R           region when the event has no stackId (Cloud Control);\n"
        "                       default $AWS_REGION. The partition follows from it.\n"
        "                       An event whose stackId is in another region than\n"
        "                       --region fails; $AWS_REGION is not compared, and the\n"
        "                       stackId's region is used. Every event without a stackId\n"
        "                       or a region fails.\n"
        "  --context NAME=VALUE value of a policy context placeholder\n"
        "  --baseline DIR       folder written by 'cfgate compile' from the same .gate\n"
        "                       policy: a type whose provider schema changed since must\n"
        "                       admit nothing that DIR's template rejects; otherwise\n"
        "                       the policy does not load (FAILED, InternalFailure)\n"
        "--policy and --context may be repeated; any other option may be given once.\n"
        "A value may follow the option or an '=' (--region=us-east-1).\n"
        "Create and update are validated. Once the region is known and the policy loads,\n"
        "delete succeeds, and STACK and CHANGE_SET targets succeed with a message,\n"
        "because resource-level targets enforce the policy.\n"
        "\n"
        "Exit status: 0 SUCCESS, 1 FAILED (NonCompliant or InternalFailure),\n"
        "2 usage error (a FAILED InternalFailure response is still written).\n",
        out);
}

static int write_limited_response(hook_status status, const char *message, const char *token,
                                  size_t max_chars) {
  errno = 0;
  if (hook_response_write(stdout, status, message, token, max_chars) != 0 ||
      fflush(stdout) != 0) {
    fprintf(stderr, "cfgate hook: writing the response failed%s%s\n", errno ? ": " : "",
            errno ? strerror(errno) : "");
    return EXIT_USAGE;
  }
  return status == HOOK_SUCCESS ? EXIT_PASS : EXIT_VIOLATION;
}

/* Writes the response to a usage error or an event that could not be read,
 * so no token is echoed. */
static int write_response(hook_status status, const char *message) {
  return write_limited_response(status, message, NULL, HOOK_MAX_MESSAGE);
}

/* Returns how many characters of the message CloudFormation keeps for
 * event: 1024 for a Cloud Control API operation, 4096 otherwise. */
static size_t event_message_chars(const hook_event *event) {
  return hook_event_is_cloud_control(event) ? HOOK_MAX_CLOUD_CONTROL_MESSAGE : HOOK_MAX_MESSAGE;
}

/* Writes the response to event. Cutting the message here keeps the "..."
 * mark at the end of the text the operator reads. */
static int write_event_response(const hook_event *event, hook_status status,
                                const char *message) {
  return write_limited_response(status, message, event->client_request_token,
                                event_message_chars(event));
}

static int usage_failure(const char *message, const char *value) {
  char text[1024];
  const char *value_text = value ? value : "";
  snprintf(text, sizeof text, "cfgate hook: %.*s%s%.*s", (int)utf8_cut(message, strlen(message), 300),
           message, value ? ": " : "", (int)utf8_cut(value_text, strlen(value_text), 600), value_text);
  fprintf(stderr, "%s\nRun 'cfgate hook --help' for the options.\n", text);
  write_response(HOOK_INTERNAL_FAILURE, text);
  return EXIT_USAGE;
}

static int has_context(const hook_args *args, const char *name) {
  for (size_t i = 0; i < args->context_count; i++)
    if (strcmp(args->context_names[i].data, name) == 0)
      return 1;
  return 0;
}

/* Adds one NAME=VALUE binding. The AWS:: placeholders come from the event
 * alone, so --context cannot set them, and a name may be given once. */
static const char *add_context(hook_args *args, char *binding) {
  char *equals = strchr(binding, '=');
  if (!equals || equals == binding || args->context_count >= HOOK_MAX_CONTEXT)
    return "invalid --context value (expected NAME=VALUE, at most 256)";

  *equals = '\0';
  if (strncmp(binding, "AWS::", 5) == 0)
    return "--context cannot set an AWS:: placeholder (the event provides it)";
  if (has_context(args, binding))
    return "duplicate --context name";
  if (equals[1] == '\0')
    return "empty --context value (a placeholder needs a value)";
  if (!utf8_is_text(equals + 1, strlen(equals + 1)))
    return "--context value is not valid UTF-8";

  args->context_names[args->context_count] = (cfgate_str){binding, strlen(binding)};
  args->context_values[args->context_count] = (cfgate_str){equals + 1, strlen(equals + 1)};
  args->context_count++;
  return NULL;
}

static const char *parse_option(hook_args *args, const char *option, char *value) {
  if (strcmp(option, "--policy") == 0) {
    if (args->policy_count >= HOOK_MAX_POLICY_PATHS)
      return "too many --policy paths (limit is 256)";
    args->policy_paths[args->policy_count++] = value;
  } else if (strcmp(option, "--schemas") == 0) {
    args->schemas = value;
  } else if (strcmp(option, "--baseline") == 0) {
    args->baseline = value;
  } else if (strcmp(option, "--event") == 0) {
    args->event_path = value;
  } else if (strcmp(option, "--region") == 0) {
    args->region = value;
  } else if (strcmp(option, "--context") == 0) {
    return add_context(args, value);
  } else {
    return "unknown option";
  }
  return NULL;
}

/* Every option of cfgate hook. Only --policy and --context may be repeated. */
static const cli_option hook_options[] = {
  {"--policy", NULL, 1, 1}, {"--schemas", NULL, 1, 0}, {"--event", NULL, 1, 0},
  {"--region", NULL, 1, 0}, {"--context", NULL, 1, 1}, {"--help", "-h", 0, 1},
  {"--baseline", NULL, 1, 0},
};

static int parse_args(hook_args *args, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] != '-' || i + 1 >= argc)
      return usage_failure("unexpected argument or missing option value", argv[i]);

    const char *option = argv[i];
    const char *problem = parse_option(args, option, argv[++i]);

    /* --policy takes several paths: every argument up to the next option. */
    while (!problem && strcmp(option, "--policy") == 0 && i + 1 < argc && argv[i + 1][0] != '-')
      problem = parse_option(args, option, argv[++i]);
    if (problem)
      return usage_failure(problem, strcmp(option, "--context") == 0 ? argv[i] : option);
  }
  if (args->policy_count == 0)
    return usage_failure("missing --policy", NULL);
  if (args->region && !hook_region_is_valid(args->region))
    return usage_failure("invalid --region (expected a region name such as us-east-1)",
                         args->region);
  return EXIT_PASS;
}

static void add_placeholder(hook_args *args, const char *name, const char *value) {
  size_t n = args->context_count++;
  args->context_names[n] = (cfgate_str){name, strlen(name)};
  args->context_values[n] = (cfgate_str){value, strlen(value)};
}

/* Sets *region from --region, else from $AWS_REGION, for an event without
 * a stackId. Returns NULL, or a message when neither gives a region name. */
static const char *fallback_region(const hook_args *args, const char **region) {
  static char message[512];
  const char *env = getenv("AWS_REGION");
  if (args->region) {
    *region = args->region;
    return NULL;
  }
  if (!env)
    return "no region: the event has no stackId, so pass --region or set AWS_REGION";
  if (!hook_region_is_valid(env)) {
    snprintf(message, sizeof message, "invalid AWS_REGION '%.*s': expected a region name such as "
             "us-east-1 (the event has no stackId, so the region comes from --region or "
             "AWS_REGION)", (int)utf8_cut(env, strlen(env), 100), env);
    return message;
  }
  *region = env;
  return NULL;
}

/* Binds the built-in placeholders from the event and the region. Returns
 * NULL, or a message when no region is known. */
static const char *bind_placeholders(hook_args *args, const hook_event *event) {
  const char *region = event->region;
  const char *partition = event->partition;
  if (!region) {
    const char *problem = fallback_region(args, &region);
    if (problem)
      return problem;
    partition = hook_partition_for_region(region);
  }

  add_placeholder(args, "AWS::AccountId", event->account_id);
  add_placeholder(args, "AWS::Region", region);
  add_placeholder(args, "AWS::Partition", partition);
  add_placeholder(args, "AWS::URLSuffix", hook_url_suffix(partition));
  return NULL;
}

static int validate_with_policy(hook_args *args, check_policy *policy, const hook_event *event,
                                const char *bytes) {
  static char message[HOOK_MESSAGE_BYTES];

  json_t *schema = NULL;
  int denied = 0;
  const cfgate_validator *validator = check_policy_find(policy, event->target_name, &schema,
                                                        &denied, message, sizeof message);
  if (!validator) {
    char named[HOOK_MESSAGE_BYTES + 256];
    snprintf(named, sizeof named, "%.*s: %s", (int)utf8_cut(event->logical_id, strlen(event->logical_id), 200),
             event->logical_id, message);
    return write_event_response(event, denied ? HOOK_NON_COMPLIANT : HOOK_INTERNAL_FAILURE,
                                named);
  }

  cfgate_context context = {args->context_names, args->context_values, args->context_count};
  hook_properties properties = {"{}", 2, 1, 1};
  if (event->properties_end)
    properties = (hook_properties){bytes + event->properties_start,
                                   event->properties_end - event->properties_start,
                                   event->properties_line, event->properties_column};
  hook_status status = hook_validate(validator, schema, &context, event->logical_id,
                                     event->target_name, &properties, message, sizeof message,
                                     event_message_chars(event));
  return write_event_response(event, status, message);
}

static int validate_event(hook_args *args, check_policy *policy, const hook_event *event,
                          const char *bytes) {
  const char *problem = bind_placeholders(args, event);
  if (problem)
    return write_event_response(event, HOOK_INTERNAL_FAILURE, problem);

  return validate_with_policy(args, policy, event, bytes);
}

/* Writes into message why --region conflicts with the event, and returns
 * 1; returns 0 when it does not. The stackId gives a stack event's region
 * and --region gives it for events without one. A --region that names
 * another region than stackId shows a hook set up for another region, so
 * the event fails instead of being checked with either region. */
static int region_conflicts(const hook_args *args, const hook_event *event, char *message,
                            size_t size) {
  if (!args->region || !event->region || strcmp(args->region, event->region) == 0)
    return 0;

  snprintf(message, size, "--region %s does not match the region %s of the event's stackId: "
           "--region gives the region of events without a stackId (Cloud Control), so "
           "leave it out or set it to %s", args->region, event->region, event->region);
  return 1;
}

/* Loads the policy for every event, the delete and stack events included,
 * so that a hook whose policy does not load fails on every event. */
static check_policy *open_policy_reporting(const hook_args *args, const hook_event *event,
                                          FILE *diagnostics) {
  if (event->action == HOOK_DELETE || hook_event_is_stack_target(event))
    return check_policy_open(args->policy_paths, args->policy_count, args->schemas,
                             args->baseline, diagnostics);

  return check_policy_open_type(args->policy_paths, args->policy_count, args->schemas,
                                args->baseline, event->target_name, diagnostics);
}

/* Writes "the policy could not be loaded: " and the first error of
 * diagnostics (else its first line) to message. */
static void describe_load_failure(const char *diagnostics, char *message, size_t size) {
  const char *line = diagnostics ? strstr(diagnostics, "error:") : NULL;
  if (line) {
    while (line > diagnostics && line[-1] != '\n')
      line--;
  } else {
    line = diagnostics;
  }

  size_t len = line ? strcspn(line, "\n") : 0;
  if (len == 0) {
    snprintf(message, size, "the policy could not be loaded (see the hook's standard error)");
    return;
  }
  snprintf(message, size, "the policy could not be loaded: %.*s",
           (int)utf8_cut(line, len, size > 64 ? size - 64 : 0), line);
}

/* Writes to message, and returns 1, when the diagnostics of a load with
 * --baseline contain the summary of the baseline comparison: the policy
 * loaded and admits count properties or values that the baseline templates
 * reject. The message names the first finding and how to approve them.
 * Returns 0 for any other load failure. */
static int describe_baseline_failure(const char *baseline, const char *diagnostics,
                                     char *message, size_t size) {
  static const char admits[] = ": error: the policy admits ";
  if (!baseline || !diagnostics)
    return 0;
  size_t baseline_len = strlen(baseline), count = 0;
  const char *summary = diagnostics;
  while (summary && !(strncmp(summary, baseline, baseline_len) == 0 &&
                      strncmp(summary + baseline_len, admits, sizeof admits - 1) == 0)) {
    summary = strchr(summary, '\n');
    summary = summary ? summary + 1 : NULL;
  }
  if (!summary || sscanf(summary + baseline_len + sizeof admits - 1, "%zu", &count) != 1 ||
      count == 0)
    return 0;

  /* The first finding is the first error line before the summary. */
  const char *finding = strstr(diagnostics, "error:");
  while (finding && finding > diagnostics && finding[-1] != '\n')
    finding--;
  size_t len = finding && finding < summary ? strcspn(finding, "\n") : 0;
  int shown_baseline = (int)utf8_cut(baseline, baseline_len, 200);
  int shown_finding = (int)utf8_cut(finding ? finding : "", len, size > 560 ? size - 560 : 0);
  if (count == 1)
    snprintf(message, size,
             "the policy admits 1 property or value that the templates in %.*s reject: %.*s; "
             "review it, then approve it with cfgate compile --accept-new-properties into %.*s",
             shown_baseline, baseline, shown_finding, finding ? finding : "", shown_baseline,
             baseline);
  else
    snprintf(message, size,
             "the policy admits %zu properties or values that the templates in %.*s reject, "
             "the first: %.*s; review them (the hook's standard error lists them all), then "
             "approve them with cfgate compile --accept-new-properties into %.*s",
             count, shown_baseline, baseline, shown_finding, finding ? finding : "",
             shown_baseline, baseline);
  return 1;
}

/* Opens the policy; on failure message gets the reason. The load's
 * diagnostics are captured, then written to standard error. */
static check_policy *open_policy(const hook_args *args, const hook_event *event, char *message,
                                 size_t size) {
  char *diagnostics = NULL;
  size_t diagnostics_size = 0;
  FILE *capture = open_memstream(&diagnostics, &diagnostics_size);
  check_policy *policy = open_policy_reporting(args, event, capture ? capture : stderr);
  if (capture) {
    fclose(capture);
    fputs(diagnostics, stderr);
  }

  if (!policy && !describe_baseline_failure(args->baseline, diagnostics, message, size))
    describe_load_failure(diagnostics, message, size);
  free(diagnostics);
  return policy;
}

/* Writes into message why no region is known for an event without a
 * stackId, and returns 1; returns 0 when the event or --region or
 * AWS_REGION gives one. Delete and stack events bind no placeholder, but
 * they fail too, so that a hook set up without a region fails on every
 * event, as it does when its policy does not load. */
static int region_missing(const hook_args *args, const hook_event *event, char *message,
                          size_t size) {
  const char *region = NULL;
  const char *problem = event->region ? NULL : fallback_region(args, &region);
  if (!problem)
    return 0;
  snprintf(message, size, "%s", problem);
  return 1;
}

/* A --context name that no template of the policy reads is probably
 * misspelt, so it gets a warning on standard error, as in cfgate check.
 * Standard output keeps only the response. */
static void warn_unused_contexts(const hook_args *args, const check_policy *policy) {
  for (size_t i = 0; i < args->context_count; i++) {
    const char *name = args->context_names[i].data;
    /* The AWS:: bindings come from the event, not from --context. */
    if (strncmp(name, "AWS::", 5) != 0)
      check_policy_warn_unused_context(policy, "cfgate hook", name);
  }
}

/* Writes the response to an event whose region is known and whose policy
 * loaded. */
static int respond_with_policy(hook_args *args, check_policy *policy, hook_event *event,
                               const char *bytes) {
  char message[1024];

  if (event->action == HOOK_DELETE) {
    snprintf(message, sizeof message, "%s (%s): delete is not restricted by the policy",
             event->logical_id, event->target_name);
    return write_event_response(event, HOOK_SUCCESS, message);
  }
  if (hook_event_is_stack_target(event)) {
    snprintf(message, sizeof message,
             "%s target is not evaluated: the policy is enforced by the resource-level hook "
             "on each resource",
             event->target_name);
    return write_event_response(event, HOOK_SUCCESS, message);
  }
  return validate_event(args, policy, event, bytes);
}

static int handle_event(hook_args *args, const char *bytes, size_t size) {
  char message[1024];
  hook_event event;
  check_policy *policy = NULL;
  int status;

  if (!hook_event_parse(&event, bytes, size, message, sizeof message) ||
      region_conflicts(args, &event, message, sizeof message) ||
      region_missing(args, &event, message, sizeof message)) {
    status = write_event_response(&event, HOOK_INTERNAL_FAILURE, message);
  } else if (!(policy = open_policy(args, &event, message, sizeof message))) {
    status = write_event_response(&event, HOOK_INTERNAL_FAILURE, message);
  } else {
    warn_unused_contexts(args, policy);
    status = respond_with_policy(args, policy, &event, bytes);
  }
  if (policy)
    check_policy_free(policy);
  hook_event_fini(&event);
  return status;
}

int cmd_hook(int argc, char **argv) {
  if (cli_args_wants_help(hook_options, sizeof hook_options / sizeof hook_options[0], argc, argv)) {
    hook_usage(stdout);
    return EXIT_PASS;
  }

  static hook_args args;
  memset(&args, 0, sizeof args);
  char problem[512];
  cli_args normalized;
  int status = EXIT_PASS;
  if (cli_args_normalize(hook_options, sizeof hook_options / sizeof hook_options[0], argc, argv,
                         &normalized, problem, sizeof problem) != 0)
    status = usage_failure(problem, NULL);
  else
    status = parse_args(&args, normalized.argc, normalized.argv);
  cli_args_fini(&normalized);
  if (status != EXIT_PASS)
    return status;

  char error[4200];
  char *bytes = NULL;
  size_t size = 0;
  hook_read_status read = hook_read_event(args.event_path ? args.event_path : "-", &bytes, &size,
                                          error, sizeof error);
  if (read == HOOK_READ_TOO_LARGE) {
    fprintf(stderr, "cfgate hook: %s\n", error);
    return write_response(HOOK_INTERNAL_FAILURE, error);
  }
  if (read != HOOK_READ_OK)
    return usage_failure("the event could not be read", error);

  status = handle_event(&args, bytes, size);
  free(bytes);
  return status;
}
