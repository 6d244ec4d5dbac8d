/*
 * A scan of YAML text for flow collections ([ and {) nested too deep, run
 * before libyaml: libyaml's scanner takes time quadratic in the flow depth
 * before the loader can apply its nesting limit.
 */
#ifndef CFGATE_CLI_TEMPLATE_FLOW_DEPTH_H
#define CFGATE_CLI_TEMPLATE_FLOW_DEPTH_H

#include <stddef.h>
#include <stdint.h>

/* Flow depth past which the scan rejects the text without parsing it. It is
 * well above the loader's own limit, so brackets that the scan cannot tell
 * from text (in block scalars, or plain scalars such as a[b) never reject a
 * template the loader accepts. */
#define TEMPLATE_FLOW_DEPTH_REJECT 1000

/* Returns 1 when [ and { outside quotes and comments nest deeper than
 * TEMPLATE_FLOW_DEPTH_REJECT. Then *line and *column (1-based, in code
 * points) give where the nesting first went past limit. */
int template_flow_too_deep(const unsigned char *bytes, size_t size, uint32_t limit, uint32_t *line,
                           uint32_t *column);

#endif
