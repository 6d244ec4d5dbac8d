/*
 * Key positions of a YAML mapping from libyaml's event stream. Only the
 * error path of a key (a duplicate, a tag, a key that is not a scalar)
 * reads them, so the text is parsed a second time only for a template that
 * fails.
 */
#include "template_yaml_keys.h"

/* State of the walk over the events to one mapping and through its keys. */
typedef struct key_walk {
  size_t mapping_id, mapping_index;
  const size_t *wanted;
  size_t count;   /* number of wanted keys */
  yaml_mark_t *marks;
  size_t nodes;   /* nodes created so far, as libyaml's loader counts them */
  int inside;     /* 1 once the mapping has started */
  size_t depth;   /* collections open inside the mapping's current entry */
  size_t entries; /* keys and values of the mapping walked so far */
  size_t found;   /* number of the wanted keys seen */
} key_walk;

static int starts_node(yaml_event_type_t type) {
  return type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
         type == YAML_MAPPING_START_EVENT;
}

/* Counts the nodes before the mapping. Returns 1 to stop the walk when the
 * node with the mapping's id is not a mapping at the expected position. */
static int walk_outside(key_walk *walk, const yaml_event_t *event) {
  if (!starts_node(event->type) || ++walk->nodes != walk->mapping_id)
    return 0;
  if (event->type != YAML_MAPPING_START_EVENT ||
      event->start_mark.index != walk->mapping_index)
    return 1;
  walk->inside = 1;
  return 0;
}

/* Walks one event inside the mapping. Returns 1 when the walk is done. */
static int walk_inside(key_walk *walk, const yaml_event_t *event) {
  yaml_event_type_t type = event->type;
  if (walk->depth > 0) {
    if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
      walk->depth++;
    else if ((type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) &&
             --walk->depth == 0)
      walk->entries++;
    return 0;
  }
  if (type == YAML_MAPPING_END_EVENT)
    return 1;

  if (walk->entries % 2 == 0) {
    for (size_t i = 0; i < walk->count; i++) {
      if (walk->entries / 2 == walk->wanted[i]) {
        walk->marks[i] = event->start_mark;
        walk->found++;
      }
    }
  }
  if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
    walk->depth = 1;
  else
    walk->entries++;
  return walk->found == walk->count;
}

int template_yaml_key_marks(const unsigned char *bytes, size_t size, size_t mapping_id,
                            size_t mapping_index, const size_t *keys, size_t count,
                            yaml_mark_t *marks) {
  yaml_parser_t parser;
  if (count == 0 || !yaml_parser_initialize(&parser))
    return 0;
  yaml_parser_set_input_string(&parser, bytes, size);

  key_walk walk = {.mapping_id = mapping_id, .mapping_index = mapping_index,
                   .wanted = keys, .count = count, .marks = marks};
  int done = 0;
  while (!done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event))
      break;
    done = event.type == YAML_DOCUMENT_END_EVENT || event.type == YAML_STREAM_END_EVENT ||
           (walk.inside ? walk_inside(&walk, &event) : walk_outside(&walk, &event));
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return walk.found == count;
}
