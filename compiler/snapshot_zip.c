/*
 * Loading libzip at run time. The shared object name comes from the build
 * (CFGATE_LIBZIP_SONAME, the libzip the headers belong to).
 */
#include "snapshot_zip.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#ifndef CFGATE_LIBZIP_SONAME
#error "CFGATE_LIBZIP_SONAME must name the libzip shared object, such as libzip.so.4"
#endif

/* Sets *slot to the address of symbol name. Copying the bytes avoids a cast
 * from void * to a function pointer, which ISO C does not define. */
static int snapshot_zip_symbol(void *library, const char *name, void *slot, char *error,
                               size_t error_size) {
  void *address = dlsym(library, name);
  if (!address) {
    snprintf(error, error_size, "%s has no function %s", CFGATE_LIBZIP_SONAME, name);
    return 0;
  }
  memcpy(slot, &address, sizeof address);
  return 1;
}

#define SNAPSHOT_ZIP_BIND(field, name) \
  snapshot_zip_symbol(library, name, &api->field, error, error_size)

static int snapshot_zip_bind(void *library, snapshot_zip_api *api, char *error,
                             size_t error_size) {
  return SNAPSHOT_ZIP_BIND(open, "zip_open") &&
         SNAPSHOT_ZIP_BIND(get_num_entries, "zip_get_num_entries") &&
         SNAPSHOT_ZIP_BIND(get_name, "zip_get_name") &&
         SNAPSHOT_ZIP_BIND(stat_index, "zip_stat_index") &&
         SNAPSHOT_ZIP_BIND(fopen_index, "zip_fopen_index") &&
         SNAPSHOT_ZIP_BIND(fread, "zip_fread") && SNAPSHOT_ZIP_BIND(fclose, "zip_fclose") &&
         SNAPSHOT_ZIP_BIND(strerror, "zip_strerror") &&
         SNAPSHOT_ZIP_BIND(file_strerror, "zip_file_strerror") &&
         SNAPSHOT_ZIP_BIND(discard, "zip_discard") &&
         SNAPSHOT_ZIP_BIND(error_init_with_code, "zip_error_init_with_code") &&
         SNAPSHOT_ZIP_BIND(error_strerror, "zip_error_strerror") &&
         SNAPSHOT_ZIP_BIND(error_fini, "zip_error_fini");
}

const snapshot_zip_api *snapshot_zip_load(char *error, size_t error_size) {
  static snapshot_zip_api api;
  static int loaded;
  if (loaded)
    return &api;

  /* The library stays loaded until the process exits. */
  void *library = dlopen(CFGATE_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    snprintf(error, error_size, "cannot load %s, which reads zip files: %s (install libzip)",
             CFGATE_LIBZIP_SONAME, dlerror());
    return NULL;
  }
  if (!snapshot_zip_bind(library, &api, error, error_size)) {
    dlclose(library);
    return NULL;
  }
  loaded = 1;
  return &api;
}
