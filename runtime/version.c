#include "cfgate.h"

const char *cfgate_version(void) { return CFGATE_VERSION; }
