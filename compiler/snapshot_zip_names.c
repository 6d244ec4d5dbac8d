/*
 * A check that the local header of each zip entry names the same file as
 * its central directory record. libzip takes names from the central
 * directory, and a reader that streams a zip from its start takes them from
 * the local headers. So a zip whose two names differ shows two readers two
 * different snapshots (`unzip -t` warns about it). The libzip 1.7 API gives
 * no local header offsets, so this file reads the end of central directory
 * record and the central directory itself, ZIP64 records included. It
 * compares each name with libzip's to be sure that both read the same
 * directory.
 */
#define _POSIX_C_SOURCE 200809L /* pread */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot_internal.h"

/* Maximum size of a zip's central directory. The directory of 1692 schema
 * files takes about 150 KB. */
#define SNAPSHOT_ZIP_MAX_DIRECTORY_BYTES (64u << 20)

enum {
  ZIP_END_BYTES = 22,         /* end of central directory record */
  ZIP_MAX_COMMENT = 65535,    /* archive comment after it */
  ZIP64_LOCATOR_BYTES = 20,   /* ZIP64 end of central directory locator */
  ZIP64_END_BYTES = 56,       /* ZIP64 end of central directory record */
  ZIP_CENTRAL_BYTES = 46,     /* fixed part of a central directory record */
  ZIP_LOCAL_BYTES = 30,       /* fixed part of a local header */
  ZIP_MAX_NAME = 65535,
  ZIP_SHOWN_BYTES = 160       /* bytes of a name quoted in an error */
};

typedef struct zip_names_check {
  int fd;
  const char *path;
  uint64_t file_size;
  uint64_t directory_offset, directory_size, entry_count;
  char *error;
  size_t error_size;
} zip_names_check;

static uint64_t zip_le(const unsigned char *bytes, size_t width) {
  uint64_t value = 0;
  for (size_t i = width; i-- > 0;)
    value = value << 8 | bytes[i];
  return value;
}

static int zip_read_at(const zip_names_check *check, uint64_t offset, void *buffer, size_t size) {
  if (offset > check->file_size || size > check->file_size - offset)
    return 0;
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(check->fd, (char *)buffer + done, size - done, (off_t)(offset + done));
    if (n <= 0 && !(n < 0 && errno == EINTR))
      return 0;
    done += n > 0 ? (size_t)n : 0;
  }
  return 1;
}

__attribute__((format(printf, 2, 3))) static int zip_names_fail(zip_names_check *check,
                                                                 const char *format, ...) {
  char reason[600];
  va_list args;
  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);
  snprintf(check->error, check->error_size,
           "cannot check the local headers of provider schema zip '%s': %s", check->path, reason);
  return 0;
}

/* Writes name[0..length) into out with bytes outside printable ASCII as
 * \xNN, shortened to ZIP_SHOWN_BYTES. */
static void zip_show_name(const unsigned char *name, size_t length, char *out, size_t out_size) {
  size_t used = 0;
  for (size_t i = 0; i < length && i < ZIP_SHOWN_BYTES && used + 5 < out_size; i++) {
    if (name[i] >= 0x20 && name[i] < 0x7f && name[i] != '\\')
      out[used++] = (char)name[i];
    else
      used += (size_t)snprintf(out + used, out_size - used, "\\x%02x", name[i]);
  }
  snprintf(out + used, out_size - used, "%s", length > ZIP_SHOWN_BYTES ? "..." : "");
}

/* Reads the ZIP64 end of central directory record that the locator before
 * the end record at end_offset points to. */
static int zip_read_zip64_end(zip_names_check *check, uint64_t end_offset) {
  unsigned char locator[ZIP64_LOCATOR_BYTES], record[ZIP64_END_BYTES];
  if (end_offset < ZIP64_LOCATOR_BYTES ||
      !zip_read_at(check, end_offset - ZIP64_LOCATOR_BYTES, locator, sizeof locator) ||
      memcmp(locator, "PK\6\7", 4) != 0)
    return zip_names_fail(check, "no ZIP64 end of central directory locator");
  if (!zip_read_at(check, zip_le(locator + 8, 8), record, sizeof record) ||
      memcmp(record, "PK\6\6", 4) != 0)
    return zip_names_fail(check, "no ZIP64 end of central directory record");

  check->entry_count = zip_le(record + 32, 8);
  check->directory_size = zip_le(record + 40, 8);
  check->directory_offset = zip_le(record + 48, 8);
  return 1;
}

/* Finds the end of central directory record: the last signature whose
 * comment ends the file, else the last signature. */
static int zip_find_end(zip_names_check *check, const unsigned char *tail, size_t tail_size,
                        size_t *found) {
  int any = 0;
  for (size_t pos = tail_size - ZIP_END_BYTES + 1; pos-- > 0;) {
    if (memcmp(tail + pos, "PK\5\6", 4) != 0)
      continue;
    if (pos + ZIP_END_BYTES + zip_le(tail + pos + 20, 2) == tail_size) {
      *found = pos;
      return 1;
    }
    if (!any)
      *found = pos;
    any = 1;
  }
  return any ? 1 : zip_names_fail(check, "no end of central directory record");
}

/* Sets the directory offset, size and entry count from the end record. */
static int zip_read_end(zip_names_check *check) {
  if (check->file_size < ZIP_END_BYTES)
    return zip_names_fail(check, "the file is shorter than an end of central directory record");
  size_t tail_size = check->file_size < ZIP_END_BYTES + ZIP_MAX_COMMENT
                         ? (size_t)check->file_size
                         : ZIP_END_BYTES + ZIP_MAX_COMMENT;
  unsigned char *tail = malloc(tail_size);
  if (!tail)
    abort();
  size_t pos = 0;
  int ok = zip_read_at(check, check->file_size - tail_size, tail, tail_size)
               ? zip_find_end(check, tail, tail_size, &pos)
               : zip_names_fail(check, "the end of the file cannot be read");
  if (ok) {
    check->entry_count = zip_le(tail + pos + 10, 2);
    check->directory_size = zip_le(tail + pos + 12, 4);
    check->directory_offset = zip_le(tail + pos + 16, 4);
  }
  int zip64 = ok && (check->entry_count == 0xFFFF || check->directory_size == 0xFFFFFFFF ||
                     check->directory_offset == 0xFFFFFFFF);
  free(tail);

  if (zip64)
    ok = zip_read_zip64_end(check, check->file_size - tail_size + pos);
  return ok;
}

/* Returns the local header offset of the central record at record, taken
 * from its ZIP64 extended information field when the record's offset is
 * 0xFFFFFFFF. Returns UINT64_MAX when that field is missing or short. */
static uint64_t zip_local_offset(const unsigned char *record) {
  uint64_t offset = zip_le(record + 42, 4);
  if (offset != 0xFFFFFFFF)
    return offset;

  size_t name_length = zip_le(record + 28, 2), extra_length = zip_le(record + 30, 2);
  const unsigned char *extra = record + ZIP_CENTRAL_BYTES + name_length;
  for (size_t pos = 0; pos + 4 <= extra_length;) {
    size_t id = zip_le(extra + pos, 2), size = zip_le(extra + pos + 2, 2);
    if (pos + 4 + size > extra_length)
      break;
    if (id == 0x0001) {
      /* The field contains, in this order, each of these that the record
       * sets to 0xFFFFFFFF: uncompressed size, compressed size, offset. */
      size_t skip = 8 * ((zip_le(record + 24, 4) == 0xFFFFFFFF) +
                         (zip_le(record + 20, 4) == 0xFFFFFFFF));
      return skip + 8 <= size ? zip_le(extra + pos + 4 + skip, 8) : UINT64_MAX;
    }
    pos += 4 + size;
  }
  return UINT64_MAX;
}

/* Compares the name of central record number (0-based) with libzip's and
 * with its local header's. */
static int zip_check_record(zip_names_check *check, const snapshot_zip_api *zip,
                            zip_t *archive, zip_uint64_t number, const unsigned char *record) {
  size_t name_length = zip_le(record + 28, 2);
  const unsigned char *name = record + ZIP_CENTRAL_BYTES;
  char shown[ZIP_SHOWN_BYTES * 4 + 8], other[ZIP_SHOWN_BYTES * 4 + 8];

  const char *libzip_name = zip->get_name(archive, number, ZIP_FL_ENC_RAW);
  int same = libzip_name && strlen(libzip_name) == name_length &&
             memcmp(libzip_name, name, name_length) == 0;
  if (!same) {
    zip_show_name(name, name_length, shown, sizeof shown);
    return zip_names_fail(check, "entry %llu is '%s' in the central directory, but libzip reads "
                          "another name",
                          (unsigned long long)number + 1, shown);
  }

  unsigned char local[ZIP_LOCAL_BYTES + ZIP_MAX_NAME];
  uint64_t offset = zip_local_offset(record);
  if (offset == UINT64_MAX || !zip_read_at(check, offset, local, ZIP_LOCAL_BYTES) ||
      memcmp(local, "PK\3\4", 4) != 0 ||
      !zip_read_at(check, offset + ZIP_LOCAL_BYTES, local + ZIP_LOCAL_BYTES,
                   zip_le(local + 26, 2))) {
    zip_show_name(name, name_length, shown, sizeof shown);
    return zip_names_fail(check, "entry %llu '%s' has no local header",
                          (unsigned long long)number + 1, shown);
  }

  size_t local_length = zip_le(local + 26, 2);
  if (local_length == name_length && memcmp(local + ZIP_LOCAL_BYTES, name, name_length) == 0)
    return 1;
  zip_show_name(name, name_length, shown, sizeof shown);
  zip_show_name(local + ZIP_LOCAL_BYTES, local_length, other, sizeof other);
  snprintf(check->error, check->error_size,
           "provider schema zip '%s' names entry %llu '%s' in its central directory but '%s' in "
           "its local header; tools that read the local header would see another file",
           check->path, (unsigned long long)number + 1, shown, other);
  return 0;
}

/* Walks the central directory and checks each record. */
static int zip_check_directory(zip_names_check *check, const snapshot_zip_api *zip,
                               zip_t *archive) {
  zip_int64_t libzip_count = zip->get_num_entries(archive, 0);
  if (libzip_count < 0 || (uint64_t)libzip_count != check->entry_count)
    return zip_names_fail(check, "the central directory lists %llu entries, but libzip reads %lld",
                          (unsigned long long)check->entry_count, (long long)libzip_count);
  if (check->directory_size > SNAPSHOT_ZIP_MAX_DIRECTORY_BYTES)
    return zip_names_fail(check, "the central directory is too large (limit is %u bytes)",
                          SNAPSHOT_ZIP_MAX_DIRECTORY_BYTES);

  unsigned char *directory = malloc(check->directory_size ? check->directory_size : 1);
  if (!directory)
    abort();
  int ok = zip_read_at(check, check->directory_offset, directory, check->directory_size)
               ? 1
               : zip_names_fail(check, "the central directory lies outside the file");
  size_t pos = 0;
  for (uint64_t i = 0; ok && i < check->entry_count; i++) {
    const unsigned char *record = directory + pos;
    size_t left = check->directory_size - pos;
    size_t record_size = left < ZIP_CENTRAL_BYTES
                             ? SIZE_MAX
                             : ZIP_CENTRAL_BYTES + zip_le(record + 28, 2) +
                                   zip_le(record + 30, 2) + zip_le(record + 32, 2);
    if (record_size > left || memcmp(record, "PK\1\2", 4) != 0) {
      ok = zip_names_fail(check, "the central directory is cut short at entry %llu",
                          (unsigned long long)i + 1);
      break;
    }
    ok = zip_check_record(check, zip, archive, i, record);
    pos += record_size;
  }
  free(directory);
  return ok;
}

int snapshot_zip_check_names(const snapshot_zip_api *zip, zip_t *archive, const char *path,
                             char *error, size_t error_size) {
  zip_names_check check;
  memset(&check, 0, sizeof check);
  check.path = path;
  check.error = error;
  check.error_size = error_size;

  struct stat info;
  check.fd = open(path, O_RDONLY | O_CLOEXEC);
  if (check.fd < 0 || fstat(check.fd, &info) != 0) {
    int ok = zip_names_fail(&check, "%s", strerror(errno));
    if (check.fd >= 0)
      close(check.fd);
    return ok;
  }
  check.file_size = (uint64_t)info.st_size;

  int ok = zip_read_end(&check) && zip_check_directory(&check, zip, archive);
  close(check.fd);
  return ok;
}
