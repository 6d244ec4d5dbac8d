/*
 * Cycles of resource dependencies. A resource depends on the resources
 * that its DependsOn names and that Ref, Fn::GetAtt and Fn::Sub read in
 * its Properties. CloudFormation creates a resource after the ones it
 * depends on, so it rejects a template in which a resource depends on
 * itself ("Circular dependency between resources").
 *
 * NOTE: a reference inside Fn::If is left out, so a cycle that only a
 * branch of an Fn::If closes is not reported. A cycle through a resource
 * whose Condition is false is reported.
 */
#include "template_dependencies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sub_variables.h"
#include "utf8.h"

enum { DEPENDENCY_NAME_MAX = 255 }; /* maximum bytes of a logical ID quoted in a message */

typedef struct dependency {
  size_t target;      /* index of the resource depended on */
  const tnode *where; /* the DependsOn name or the call that reads the resource */
} dependency;

typedef struct dependency_graph {
  const tnode *resources;
  size_t *sorted;     /* member indexes of resources, sorted by key, for lookups */
  dependency *edges;  /* the dependencies of resource i are edges[first[i]..first[i + 1]) */
  size_t *first;
  size_t edge_count, edge_capacity;
  int out_of_memory;
} dependency_graph;

static const tnode *sort_resources; /* the Resources mapping compare_keys() reads */

static int compare_keys(const void *a, const void *b) {
  const tnode_member *x = &sort_resources->members[*(const size_t *)a];
  const tnode_member *y = &sort_resources->members[*(const size_t *)b];
  size_t len = x->key_len < y->key_len ? x->key_len : y->key_len;
  int order = memcmp(x->key, y->key, len);
  if (order != 0)
    return order;
  return (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/* Returns the member index of the resource name[0..len), or -1. */
static long find_resource(const dependency_graph *graph, const char *name, size_t len) {
  size_t low = 0, high = graph->resources->count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    const tnode_member *member = &graph->resources->members[graph->sorted[middle]];
    size_t common = len < member->key_len ? len : member->key_len;
    int order = memcmp(name, member->key, common);
    if (order == 0)
      order = (len > member->key_len) - (len < member->key_len);
    if (order == 0)
      return (long)graph->sorted[middle];
    if (order < 0)
      high = middle;
    else
      low = middle + 1;
  }
  return -1;
}

static void add_edge(dependency_graph *graph, const char *name, size_t len, const tnode *where) {
  long target = find_resource(graph, name, len);
  if (target < 0 || graph->out_of_memory)
    return;

  if (graph->edge_count == graph->edge_capacity) {
    size_t capacity = graph->edge_capacity ? graph->edge_capacity * 2 : 64;
    dependency *edges = realloc(graph->edges, capacity * sizeof *edges);
    if (!edges) {
      graph->out_of_memory = 1;
      return;
    }
    graph->edges = edges;
    graph->edge_capacity = capacity;
  }
  graph->edges[graph->edge_count].target = (size_t)target;
  graph->edges[graph->edge_count].where = where;
  graph->edge_count++;
}

/* Adds the resources that the ${NAME} and ${NAME.Attribute} variables of an
 * Fn::Sub format read, skipping ${!Literal} and the names that variables
 * (the list form's map, or NULL) defines. */
static void add_sub_edges(dependency_graph *graph, const tnode *call, const char *format,
                          const tnode *variables) {
  const char *cursor = format;
  sub_variable variable;
  while (sub_next_variable(&cursor, &variable)) {
    const char *name = variable.name;
    size_t len = variable.len;
    const char *dot = memchr(name, '.', len);
    size_t resource_len = dot ? (size_t)(dot - name) : len;

    int defined = 0;
    for (size_t i = 0; variables && i < variables->count && !defined; i++)
      defined = variables->members[i].key_len == len &&
                memcmp(variables->members[i].key, name, len) == 0;
    if (!defined && resource_len > 0)
      add_edge(graph, name, resource_len, call);
  }
}

static void add_value_edges(dependency_graph *graph, const tnode *node);

static void add_call_edges(dependency_graph *graph, const tnode *call) {
  const char *key = call->members[0].key;
  const tnode *args = call->members[0].value;

  if (strcmp(key, "Fn::If") == 0)
    return;
  if (strcmp(key, "Ref") == 0 && args->kind == TNODE_STRING) {
    add_edge(graph, args->text, args->len, call);
  } else if (strcmp(key, "Fn::GetAtt") == 0 && args->kind == TNODE_STRING) {
    const char *dot = strchr(args->text, '.');
    add_edge(graph, args->text, dot ? (size_t)(dot - args->text) : args->len, call);
  } else if (strcmp(key, "Fn::GetAtt") == 0 && args->kind == TNODE_ARRAY && args->count >= 1 &&
             args->items[0]->kind == TNODE_STRING) {
    add_edge(graph, args->items[0]->text, args->items[0]->len, call);
  } else if (strcmp(key, "Fn::Sub") == 0 && args->kind == TNODE_STRING) {
    add_sub_edges(graph, call, args->text, NULL);
  } else if (strcmp(key, "Fn::Sub") == 0 && args->kind == TNODE_ARRAY && args->count == 2 &&
             args->items[0]->kind == TNODE_STRING) {
    const tnode *variables = args->items[1]->kind == TNODE_OBJECT ? args->items[1] : NULL;
    add_sub_edges(graph, call, args->items[0]->text, variables);
  }
  add_value_edges(graph, args);
}

/* Adds the dependencies of a value. The body of an Fn::ForEach names its
 * own loop variables, so it is left out. */
static void add_value_edges(dependency_graph *graph, const tnode *node) {
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      add_value_edges(graph, node->items[i]);
    return;
  }
  if (node->kind != TNODE_OBJECT)
    return;
  if (tnode_is_call(node) && strncmp(node->members[0].key, "Fn::ForEach::", 13) != 0) {
    add_call_edges(graph, node);
    return;
  }
  for (size_t i = 0; i < node->count; i++)
    if (strncmp(node->members[i].key, "Fn::ForEach::", 13) != 0)
      add_value_edges(graph, node->members[i].value);
}

static void add_resource_edges(dependency_graph *graph, const tnode_member *member) {
  const tnode *resource = member->value;
  if (resource->kind != TNODE_OBJECT || strncmp(member->key, "Fn::ForEach::", 13) == 0)
    return;

  const tnode *depends_on = tnode_get(resource, "DependsOn");
  if (depends_on && depends_on->kind == TNODE_STRING)
    add_edge(graph, depends_on->text, depends_on->len, depends_on);
  for (size_t i = 0; depends_on && depends_on->kind == TNODE_ARRAY && i < depends_on->count; i++)
    if (depends_on->items[i]->kind == TNODE_STRING)
      add_edge(graph, depends_on->items[i]->text, depends_on->items[i]->len, depends_on->items[i]);

  const tnode *properties = tnode_get(resource, "Properties");
  if (properties)
    add_value_edges(graph, properties);
}

static int build_graph(dependency_graph *graph, const tnode *resources) {
  size_t count = resources->count;
  graph->resources = resources;
  graph->sorted = malloc((count ? count : 1) * sizeof *graph->sorted);
  graph->first = malloc((count + 1) * sizeof *graph->first);
  if (!graph->sorted || !graph->first)
    return 0;

  for (size_t i = 0; i < count; i++)
    graph->sorted[i] = i;
  sort_resources = resources;
  qsort(graph->sorted, count, sizeof *graph->sorted, compare_keys);
  sort_resources = NULL;

  for (size_t i = 0; i < count; i++) {
    graph->first[i] = graph->edge_count;
    add_resource_edges(graph, &resources->members[i]);
  }
  graph->first[count] = graph->edge_count;
  return !graph->out_of_memory;
}

static report_resource *report_of(report_template *tmpl, const tnode_member *member) {
  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (strcmp(tmpl->resources[i].logical_id, member->key) == 0)
      return &tmpl->resources[i];
  return NULL;
}

/* Reports the cycle that path[start..length) closes: each resource there
 * depends on the next, and the last on the first. The finding goes to
 * the resource of the cycle that comes first in the template. */
static void report_cycle(report_template *tmpl, const dependency_graph *graph,
                         const size_t *path, const size_t *via, size_t start, size_t length,
                         int strict) {
  size_t head = start;
  for (size_t i = start + 1; i < length; i++)
    if (path[i] < path[head])
      head = i;

  const tnode_member *members = graph->resources->members;
  char message[4 * DEPENDENCY_NAME_MAX + 200];
  size_t used = (size_t)snprintf(message, sizeof message, "resource '%.*s' depends on itself",
                                 (int)utf8_cut(members[path[head]].key,
                                               members[path[head]].key_len, DEPENDENCY_NAME_MAX),
                                 members[path[head]].key);
  size_t cycle_length = length - start;
  for (size_t step = 1; step < cycle_length && used < sizeof message; step++) {
    const tnode_member *member = &members[path[start + (head - start + step) % cycle_length]];
    used += (size_t)snprintf(message + used, sizeof message - used, "%s'%.*s'",
                             step > 1 ? " -> " : " through ",
                             (int)utf8_cut(member->key, member->key_len, DEPENDENCY_NAME_MAX),
                             member->key);
    if (step == 3 && step + 1 < cycle_length) {
      snprintf(message + used, sizeof message - used, " and %zu more",
               cycle_length - step - 1);
      break;
    }
  }

  const tnode *where = graph->edges[via[head]].where;
  report_resource *resource = report_of(tmpl, &members[path[head]]);
  if (!resource)
    return;
  resource_add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", where->line, where->column,
                       message);
  if (resource->status == STATUS_SKIPPED)
    resource->status = STATUS_COMPLIANT;
  report_finish_resource(resource, strict);
}

enum { UNVISITED = 0, ON_PATH, DONE };

/* Walks the graph depth first without recursion, so a long chain of
 * dependencies cannot overflow the stack. A dependency on a resource on
 * the current path closes a cycle. */
static int find_cycles(report_template *tmpl, const dependency_graph *graph, int strict) {
  size_t count = graph->resources->count;
  unsigned char *state = calloc(count ? count : 1, 1);
  size_t *path = malloc((count ? count : 1) * sizeof *path);
  size_t *via = malloc((count ? count : 1) * sizeof *via); /* the edge followed from path[i] */
  size_t *position = malloc((count ? count : 1) * sizeof *position);
  if (!state || !path || !via || !position) {
    free(state);
    free(path);
    free(via);
    free(position);
    return 0;
  }

  for (size_t root = 0; root < count; root++) {
    if (state[root] != UNVISITED)
      continue;
    size_t length = 0;
    path[length] = root;
    via[length] = graph->first[root];
    position[root] = length++;
    state[root] = ON_PATH;

    while (length > 0) {
      size_t top = path[length - 1];
      size_t edge = via[length - 1];
      if (edge == graph->first[top + 1]) {
        state[top] = DONE;
        length--;
        if (length > 0)
          via[length - 1]++;
        continue;
      }

      size_t target = graph->edges[edge].target;
      if (state[target] == ON_PATH) {
        report_cycle(tmpl, graph, path, via, position[target], length, strict);
        via[length - 1]++;
      } else if (state[target] == DONE) {
        via[length - 1]++;
      } else {
        path[length] = target;
        via[length] = graph->first[target];
        position[target] = length++;
        state[target] = ON_PATH;
      }
    }
  }
  free(state);
  free(path);
  free(via);
  free(position);
  return 1;
}

void template_check_dependencies(report_template *tmpl, const template_sections *sections,
                                 int strict) {
  dependency_graph graph = {0};
  if (!build_graph(&graph, sections->resources) || !find_cycles(tmpl, &graph, strict))
    report_set_unparseable(tmpl, 0, 0, "out of memory while checking resource dependencies");
  free(graph.sorted);
  free(graph.first);
  free(graph.edges);
}
