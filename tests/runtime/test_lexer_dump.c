/*
 * Prints the tokenizer's event log (see test_lexer_recorder.h) for each
 * file named on the command line, each after a line "file PATH", for
 * test_lexer_python.py to compare with Python's json module.
 *
 *   test_lexer_dump [--chunk N] FILE...
 *
 * --chunk N feeds each file in chunks of N bytes instead of whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_lexer_recorder.h"

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  unsigned char *data = NULL;
  size_t cap = 0, got;

  *len = 0;
  if (file == NULL)
    return NULL;
  do {
    if (*len == cap) {
      cap = cap * 2 + 65536;
      data = realloc(data, cap);
      if (data == NULL)
        abort();
    }
    got = fread(data + *len, 1, cap - *len, file);
    *len += got;
  } while (got > 0);
  fclose(file);
  return data;
}

int main(int argc, char **argv) {
  size_t chunk = 0;
  int first = 1;

  if (argc > 2 && strcmp(argv[1], "--chunk") == 0) {
    chunk = (size_t)strtoul(argv[2], NULL, 10);
    first = 3;
  }
  for (int i = first; i < argc; i++) {
    size_t len;
    unsigned char *data = read_file(argv[i], &len);
    char *log;

    if (data == NULL) {
      fprintf(stderr, "test_lexer_dump: cannot read %s\n", argv[i]);
      return 2;
    }
    log = recorder_tokenize(data, len, chunk);
    printf("file %s\n%s", argv[i], log);
    free(log);
    free(data);
  }
  return 0;
}
