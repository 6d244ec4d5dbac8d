/* Placeholder so the compiler library has a source until the front end lands. */
#include "cfgate.h"
