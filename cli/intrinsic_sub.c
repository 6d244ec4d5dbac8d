/*
 * Fn::Sub in both forms: "text ${Name} text" and ["text", {Name: value}].
 * ${!Literal} writes "${Literal}"; ${Res.Attr} is a Fn::GetAtt and unknown.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "intrinsic_text.h"

typedef struct sub_state {
  intrinsic_context *ctx;
  const tnode *call;
  const tnode *variables; /* resolved variable map, or NULL */
  intrinsic_text out;
  const tnode *unknown;   /* first unknown variable */
  size_t known_len;       /* bytes of out written before the first unknown variable */
} sub_state;

static const tnode *variable_value(sub_state *state, const char *name) {
  const tnode *local = tnode_get(state->variables, name);
  if (local)
    return local;

  const char *dot = strchr(name, '.');
  if (dot && !tnode_get(state->ctx->parameters, name)) {
    char resource[256];
    snprintf(resource, sizeof resource, "%.*s", (int)(dot - name), name);
    if (!intrinsic_names_resource(state->ctx->resources, resource, strlen(resource)))
      return intrinsic_fail(state->ctx, state->call,
                            "Fn::Sub variable ${%s} names '%s', which is not a resource", name,
                            resource);

    const tnode *unknown = tnode_new_unknown(state->ctx->arena,
                                             "Fn::Sub attribute is known only after deployment",
                                             state->call->line, state->call->column);
    return unknown ? unknown : intrinsic_fail(state->ctx, state->call, "out of memory");
  }
  return intrinsic_sub_variable_ref(state->ctx, name, state->call);
}

static int substitute(sub_state *state, const char *name, size_t len) {
  char key[256];
  /* CloudFormation accepts spaces around a variable name: ${ AWS::Region }. */
  while (len && *name == ' ') {
    name++;
    len--;
  }
  while (len && name[len - 1] == ' ')
    len--;

  if (len >= sizeof key) {
    intrinsic_fail(state->ctx, state->call, "Fn::Sub variable name too long (limit is %zu bytes)",
                   sizeof key - 1);
    return 0;
  }
  memcpy(key, name, len);
  key[len] = '\0';

  const tnode *value = intrinsic_number_text(state->ctx, variable_value(state, key));
  if (!value)
    return 0;
  if (value->kind == TNODE_UNKNOWN) {
    if (!state->unknown) {
      state->unknown = value;
      state->known_len = state->out.len;
    }
    return 1;
  }

  const char *text = intrinsic_scalar_text(value);
  if (!text) {
    intrinsic_fail(state->ctx, state->call, "Fn::Sub variable ${%s} is %s, not a string", key,
                   value == &intrinsic_no_value ? "AWS::NoValue" : tnode_kind_name(value->kind));
    return 0;
  }
  return intrinsic_text_append(&state->out, text, strlen(text));
}

/* Copies format to state->out, replacing each ${...}. */
static int expand_format(sub_state *state, const char *format) {
  const char *p = format;
  while (*p) {
    const char *open = strstr(p, "${");
    if (!open)
      return intrinsic_text_append(&state->out, p, strlen(p));

    intrinsic_text_append(&state->out, p, (size_t)(open - p));
    const char *close = strchr(open + 2, '}');
    if (!close) {
      intrinsic_fail(state->ctx, state->call, "Fn::Sub: unterminated ${ in '%s'", format);
      return 0;
    }

    if (open[2] == '!') {
      intrinsic_text_append(&state->out, "${", 2);
      intrinsic_text_append(&state->out, open + 3, (size_t)(close - open - 2));
    } else if (!substitute(state, open + 2, (size_t)(close - open - 2))) {
      return 0;
    }
    p = close + 1;
  }
  return 1;
}

/* Resolves the variable map of the list form. A variable that resolves to
 * AWS::NoValue stays in the map, so its use is reported by its name rather
 * than as a Ref to an undefined name. */
static const tnode *resolve_variables(intrinsic_context *ctx, const tnode *map) {
  if (ctx->depth >= INTRINSIC_MAX_DEPTH)
    return intrinsic_fail_limit(ctx, map, "arrays and objects");

  tnode *copy = tnode_new(ctx->arena, TNODE_OBJECT, map->line, map->column);
  if (copy)
    copy->members = tnode_alloc(ctx->arena, (map->count + 1) * sizeof *copy->members);
  if (!copy || !copy->members)
    return intrinsic_fail(ctx, map, "out of memory");

  ctx->depth++;
  for (size_t i = 0; i < map->count; i++) {
    const tnode *value = intrinsic_resolve(ctx, map->members[i].value);
    if (!value) {
      ctx->depth--;
      return NULL;
    }
    copy->members[i] = map->members[i];
    copy->members[i].value = (tnode *)value;
  }
  ctx->depth--;
  copy->count = map->count;
  return copy;
}

static const tnode *sub_arguments(intrinsic_context *ctx, const tnode *call, const tnode *args,
                                  const tnode **variables) {
  *variables = NULL;
  if (args->kind == TNODE_STRING || args->kind == TNODE_UNKNOWN)
    return args;
  if (args->kind == TNODE_OBJECT && args->count == 1) {
    const tnode *computed = intrinsic_resolve(ctx, args);
    if (!computed || computed->kind == TNODE_STRING || computed->kind == TNODE_UNKNOWN)
      return computed;
  }

  if (args->kind != TNODE_ARRAY || args->count != 2 || args->items[0]->kind != TNODE_STRING ||
      args->items[1]->kind != TNODE_OBJECT)
    return intrinsic_fail(ctx, args, "Fn::Sub expects a string or [string, {variables}]");

  *variables = resolve_variables(ctx, args->items[1]);
  return *variables ? args->items[0] : NULL;
}

static const tnode *sub_result(sub_state *state) {
  intrinsic_context *ctx = state->ctx;
  if (state->out.overflow)
    return intrinsic_fail(ctx, state->call, "Fn::Sub result too long (limit is %d bytes)",
                          INTRINSIC_MAX_STRING);
  if (state->unknown)
    return intrinsic_unknown_after(ctx, state->unknown, state->out.data ? state->out.data : "",
                                   state->known_len);

  const char *data = state->out.data ? state->out.data : "";
  const tnode *result = tnode_new_string(ctx->arena, data, state->out.len, state->call->line,
                                         state->call->column);
  return result ? result : intrinsic_fail(ctx, state->call, "out of memory");
}

const tnode *intrinsic_sub(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  sub_state state = {ctx, call, NULL, {0}, NULL, 0};
  const tnode *format = sub_arguments(ctx, call, args, &state.variables);
  if (!format || format->kind == TNODE_UNKNOWN)
    return intrinsic_unknown_string(ctx, format);

  intrinsic_text_init(&state.out);
  /* An append past INTRINSIC_MAX_STRING stops the expansion without an
   * error, which sub_result() then reports. */
  int expanded = expand_format(&state, format->text);
  const tnode *result = expanded || state.out.overflow ? sub_result(&state) : NULL;
  intrinsic_text_fini(&state.out);
  return result;
}
