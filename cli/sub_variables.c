#include "sub_variables.h"

#include <string.h>

int sub_next_variable(const char **cursor, sub_variable *out) {
  for (const char *open = strstr(*cursor, "${"); open; open = strstr(open + 2, "${")) {
    const char *close = strchr(open + 2, '}');
    if (!close)
      return 0;
    if (open[2] == '!')
      continue;

    const char *name = open + 2;
    size_t len = (size_t)(close - name);
    while (len && *name == ' ') {
      name++;
      len--;
    }
    while (len && name[len - 1] == ' ')
      len--;

    *cursor = open + 2;
    out->name = name;
    out->len = len;
    return 1;
  }
  return 0;
}
