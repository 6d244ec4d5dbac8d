/*
 * Writers for the individual tables of a validator (one static const array
 * each), used by emit_c.c.
 */
#ifndef CFGATE_EMIT_C_TABLES_H
#define CFGATE_EMIT_C_TABLES_H

#include "cfgate_ir.h"
#include "emit_c_writer.h"

/* Each writes "static const T name[N] = {...};" for the validator's table
 * and nothing when the table is empty (the validator then gets NULL). */
void emit_table_nodes(emit_writer *writer, const cfgate_validator *validator);
void emit_table_names(emit_writer *writer, const cfgate_validator *validator);
void emit_table_pattern_props(emit_writer *writer, const cfgate_validator *validator);
void emit_table_dependencies(emit_writer *writer, const cfgate_validator *validator);
void emit_table_strings(emit_writer *writer, const cfgate_validator *validator);
void emit_table_segments(emit_writer *writer, const cfgate_validator *validator);
void emit_table_numbers(emit_writer *writer, const cfgate_validator *validator);
void emit_table_u32(emit_writer *writer, const char *name, const uint32_t *values, uint32_t count);
void emit_table_pool(emit_writer *writer, const cfgate_validator *validator);

/* Writes the patterns' own arrays through re_emit_c() and then the array
 * "static const cfgate_re patterns[N]". Returns 0, or -1 when memory runs out
 * or re_emit_c() output lacks its "static const cfgate_re NAME =" initializer. */
int emit_table_patterns(emit_writer *writer, const cfgate_validator *validator);

#endif
