/*
 * Locates a syntax error in the --schema file with the runtime's JSON
 * tokenizer. jansson 2.14 reports the position after the offending token,
 * so `not json` reads 1:3. The tokenizer reports where the token starts,
 * with the same messages as malformed instances.
 */
#include "validate_schema.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir_build.h"

/* Bytes read from the schema file at a time. */
#define SCHEMA_SYNTAX_CHUNK_SIZE 4096

/* Feeds the file at path to session. Returns 0 once it is read to its end. */
static int feed_file(cfgate_session *session, const char *path) {
  unsigned char chunk[SCHEMA_SYNTAX_CHUNK_SIZE];
  FILE *in = fopen(path, "rb");
  size_t n;

  if (in == NULL)
    return -1;
  validate_schema_skip_bom(in);
  while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
    if (cfgate_feed(session, chunk, n))
      break;

  int status = ferror(in) ? -1 : 0;
  fclose(in);
  return status;
}

/* Prints "path:line:column: error: message" for the first syntax error and
 * returns 1, or returns 0 when the tokenizer finds none. */
static int report_syntax(cfgate_session *session, const char *path) {
  if (feed_file(session, path) != 0 || cfgate_finish(session) != CFGATE_MALFORMED)
    return 0;

  const cfgate_error *error = cfgate_error_at(session, 0);
  if (error == NULL)
    return 0;
  fprintf(stderr, "%s:%u:%u: error: %s\n", path, error->line, error->column, error->message);
  return 1;
}

int validate_schema_syntax_error(const char *path) {
  ir_build_options options;
  ir_error build_error;
  ir_build_options_default(&options);
  cfgate_validator *any = ir_build(json_true(), &options, &build_error);
  if (any == NULL)
    return 0;

  cfgate_options runtime;
  cfgate_options_default(&runtime);
  size_t size = cfgate_workspace_size(any, &runtime, NULL);
  void *workspace = size > 0 ? aligned_alloc(_Alignof(max_align_t), size) : NULL;
  cfgate_error error;
  cfgate_session *session = workspace ? cfgate_session_init(workspace, size, any, &runtime, NULL, &error) : NULL;

  int reported = session != NULL && report_syntax(session, path);
  free(workspace);
  ir_free(any);
  return reported;
}
