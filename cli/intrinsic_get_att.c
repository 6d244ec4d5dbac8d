/*
 * Fn::GetAtt. Its value exists only after deployment, but its arguments
 * are checked offline: a resource of this template and an attribute name.
 */
#include <string.h>

#include "intrinsic.h"

static const char get_att_shape[] =
    "Fn::GetAtt expects [LogicalId, AttributeName] or \"LogicalId.AttributeName\"";

/* Returns the resolved attribute argument after checking it: a string, or a
 * Ref, the one function CloudFormation accepts there. With the
 * AWS::LanguageExtensions transform any function is accepted. */
static const tnode *get_att_attribute(intrinsic_context *ctx, const tnode *attribute) {
  if (attribute->kind == TNODE_STRING && attribute->len > 0)
    return attribute;

  int is_call = attribute->kind == TNODE_OBJECT && attribute->count == 1 &&
                (strcmp(attribute->members[0].key, "Ref") == 0 || ctx->language_extensions);
  if (!is_call)
    return intrinsic_fail(ctx, attribute, "%s, found %s as the attribute name", get_att_shape,
                          attribute->kind == TNODE_STRING ? "an empty string"
                                                          : tnode_kind_name(attribute->kind));
  return intrinsic_resolve(ctx, attribute);
}

/* Returns the logical ID argument: a string, or with the
 * AWS::LanguageExtensions transform a function resolved to one. */
static const tnode *get_att_logical_id(intrinsic_context *ctx, const tnode *resource) {
  if (resource->kind == TNODE_OBJECT && ctx->language_extensions)
    resource = intrinsic_resolve(ctx, resource);
  if (!resource || resource->kind == TNODE_UNKNOWN)
    return resource;
  if (resource->kind != TNODE_STRING || resource->len == 0)
    return intrinsic_fail(ctx, resource, "%s, found %s as the logical ID", get_att_shape,
                          resource == &intrinsic_no_value ? "AWS::NoValue"
                                                          : tnode_kind_name(resource->kind));
  return resource;
}

/* Returns the unknown value of a GetAtt of resource, which must be a
 * resource of the template. */
static const tnode *get_att_value(intrinsic_context *ctx, const tnode *call, const char *resource,
                                  size_t len) {
  char name[256];

  if (len >= sizeof name)
    len = sizeof name - 1;
  memcpy(name, resource, len);
  name[len] = '\0';
  if (!intrinsic_names_resource(ctx->resources, name, len))
    return intrinsic_fail(ctx, call, "Fn::GetAtt names '%s', which is not a resource", name);

  /* NOTE: the attribute's type is not read from the target's provider
   * schema, so even a string attribute (Arn) is of unknown type and fails
   * a type check under --strict. */
  const tnode *unknown = tnode_new_unknown(ctx->arena, "Fn::GetAtt is known only after deployment",
                                           call->line, call->column);
  return unknown ? unknown : intrinsic_fail(ctx, call, "out of memory");
}

/* Checks the dotted string form, split at the first dot. */
static const tnode *get_att_dotted(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const char *dot = strchr(args->text, '.');

  if (!dot || dot == args->text || dot[1] == '\0')
    return intrinsic_fail(ctx, args, "%s, found \"%s\"", get_att_shape, args->text);
  return get_att_value(ctx, call, args->text, (size_t)(dot - args->text));
}

const tnode *intrinsic_get_att(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (args->kind == TNODE_STRING)
    return get_att_dotted(ctx, call, args);
  if (args->kind == TNODE_ARRAY && args->count != 2)
    return intrinsic_fail(ctx, args, "%s, found a list of %zu item%s", get_att_shape, args->count,
                          args->count == 1 ? "" : "s");
  if (args->kind != TNODE_ARRAY)
    return intrinsic_fail(ctx, args, "%s, found %s", get_att_shape, tnode_kind_name(args->kind));

  const tnode *resource = get_att_logical_id(ctx, args->items[0]);
  if (!resource)
    return NULL;

  const tnode *attribute = get_att_attribute(ctx, args->items[1]);
  if (!attribute || attribute == &intrinsic_no_value)
    return attribute ? intrinsic_fail(ctx, args->items[1], "%s, found AWS::NoValue",
                                      get_att_shape)
                     : NULL;
  if (resource->kind == TNODE_UNKNOWN)
    return resource;
  return get_att_value(ctx, call, resource->text, resource->len);
}
