/*
 * The enumerated parameter and condition values of a resource, the merge
 * of the findings of each combination, and the note naming the values
 * behind a finding that only some combinations have.
 */
#include "template_branch_mask.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void branch_space_init(branch_space *space) {
  memset(space, 0, sizeof *space);
  space->combinations = 1;
}

/* Returns the index in parameter j's enumerated values in combination. */
static size_t choice_index(const branch_space *space, size_t combination, size_t j) {
  size_t digits = combination >> space->condition_count;
  for (size_t i = 0; i < j; i++)
    digits /= space->allowed[i]->count;
  return digits % space->allowed[j]->count;
}

void branch_space_assume(const branch_space *space, size_t combination, intrinsic_context *ctx) {
  ctx->assumed_count = space->condition_count;
  for (size_t i = 0; i < space->condition_count; i++) {
    ctx->assumed_names[i] = space->conditions[i];
    ctx->assumed_values[i] = !(combination >> i & 1);
  }

  ctx->choice_count = space->parameter_count;
  for (size_t j = 0; j < space->parameter_count; j++) {
    const tnode *value = space->allowed[j]->items[choice_index(space, combination, j)];
    ctx->choice_names[j] = space->parameters[j];
    ctx->choice_values[j] = intrinsic_scalar_text(value);
    ctx->choice_indexes[j] = choice_index(space, combination, j);
  }
  ctx->closed_candidates = space->closed_candidates;
  ctx->closed_candidate_count = space->closed_candidate_count;
}

/* Leaves a call's candidates out: its value stays unknown, so the values
 * are unverified instead of failing the resource. */
static void close_candidates(branch_space *space, const char *name) {
  for (size_t i = 0; i < space->closed_candidate_count; i++)
    if (strcmp(space->closed_candidates[i], name) == 0)
      return;
  if (space->closed_candidate_count < BRANCH_MAX_LEFT_OUT)
    space->closed_candidates[space->closed_candidate_count++] = name;
}

/* Records a parameter or condition left out, once. A pass meets the same
 * ones again, so the first record of each stays. */
static void leave_out(branch_space *space, const char *name, int condition, size_t factor) {
  for (size_t i = 0; i < space->left_out_count; i++)
    if (space->left_out[i].condition == condition && strcmp(space->left_out[i].name, name) == 0)
      return;

  if (space->left_out_count == BRANCH_MAX_LEFT_OUT) {
    space->left_out_full = 1;
    return;
  }
  space->left_out[space->left_out_count++] = (branch_left_out){name, condition, factor};
}

static int add_parameters(branch_space *space, const intrinsic_context *ctx) {
  int added = 0;
  for (size_t i = 0; i < ctx->open_choice_count; i++) {
    size_t count = ctx->open_choice_allowed[i]->count;
    int full = space->parameter_count == INTRINSIC_MAX_CHOICES ||
               space->combinations * count > BRANCH_MAX_COMBINATIONS;
    if (ctx->open_choice_is_candidate[i] && full) {
      close_candidates(space, ctx->open_choice_names[i]);
      continue;
    }
    if (space->parameter_count == INTRINSIC_MAX_CHOICES) {
      space->too_many_parameters = 1;
      leave_out(space, ctx->open_choice_names[i], 0, count);
      continue;
    }
    if (space->combinations * count > BRANCH_MAX_COMBINATIONS) {
      space->too_many_combinations = 1;
      leave_out(space, ctx->open_choice_names[i], 0, count);
      continue;
    }
    if (ctx->open_choice_is_list[i] && !space->partial_list)
      space->partial_list = ctx->open_choice_names[i];
    space->parameters[space->parameter_count] = ctx->open_choice_names[i];
    space->candidate[space->parameter_count] = ctx->open_choice_is_candidate[i];
    space->allowed[space->parameter_count++] = ctx->open_choice_allowed[i];
    space->combinations *= count;
    added = 1;
  }
  space->too_many_parameters |= ctx->too_many_choices;
  for (size_t i = 0; i < ctx->extra_choice_count; i++)
    leave_out(space, ctx->extra_choice_names[i], 0, 0);
  return added;
}

static int add_conditions(branch_space *space, const intrinsic_context *ctx) {
  int added = 0;
  for (size_t i = 0; i < ctx->undecided_count; i++) {
    if (space->condition_count == INTRINSIC_MAX_ASSUMED) {
      space->too_many_conditions = 1;
      continue;
    }
    if (space->combinations * 2 > BRANCH_MAX_COMBINATIONS) {
      space->too_many_combinations = 1;
      leave_out(space, ctx->undecided_names[i], 1, 2);
      continue;
    }
    space->conditions[space->condition_count++] = ctx->undecided_names[i];
    space->combinations *= 2;
    added = 1;
  }
  space->too_many_conditions |= ctx->too_many_undecided;
  return added;
}

int branch_space_add(branch_space *space, const intrinsic_context *ctx, int with_conditions) {
  int added = add_parameters(space, ctx);
  if (with_conditions)
    added |= add_conditions(space, ctx);
  return added;
}

void branch_space_describe_limit(const branch_space *space, char *out, size_t size) {
  size_t parameters = space->parameter_count, calls = 0;
  for (size_t i = 0; i < space->left_out_count; i++)
    parameters += !space->left_out[i].condition;
  for (size_t j = 0; j < space->parameter_count; j++)
    calls += space->candidate[j];
  const char *more = space->left_out_full ? "more than " : "";

  /* Calls with candidates count toward the same limit, so the message
   * names them too. */
  out[0] = '\0';
  if (space->too_many_parameters) {
    snprintf(out, size,
             "too many parameters with AllowedValues%s (found %s%zu, limit is %d): pass "
             "--parameter values for some of them",
             calls ? " and Fn::FindInMap or Fn::Select calls with an unknown key" : "", more,
             parameters, INTRINSIC_MAX_CHOICES);
    return;
  }
  if (!space->too_many_combinations)
    return;

  /* Without a parameter past the count limit, every factor is known. */
  size_t product = space->combinations;
  int saturated = 0;
  for (size_t i = 0; i < space->left_out_count; i++) {
    size_t factor = space->left_out[i].factor;
    if (factor && product > SIZE_MAX / factor)
      saturated = 1;
    else if (factor)
      product *= factor;
  }
  snprintf(out, size,
           "too many combinations of parameter AllowedValues and undecidable conditions "
           "(found %s%zu, limit is %d): pass --parameter values for some of the parameters",
           saturated || space->left_out_full ? "more than " : "", product,
           BRANCH_MAX_COMBINATIONS);
}

void branch_space_describe(const branch_space *space, size_t combination, char *out,
                           size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t j = 0; j < space->parameter_count && used < size; j++) {
    const char *name = space->parameters[j];
    const tnode *item = space->allowed[j]->items[choice_index(space, combination, j)];
    const char *value = intrinsic_scalar_text(item);
    used += (size_t)snprintf(out + used, size - used, "%s%s%.*s is %.*s",
                             j ? " and " : "", space->candidate[j] ? "" : "parameter ",
                             (int)utf8_cut(name, strlen(name), 100), name,
                             (int)utf8_cut(value, strlen(value), 100), value);
  }
}

static size_t words_for(size_t combinations) { return (combinations + 63) / 64; }

static int bit_is_set(const uint64_t *bits, size_t k) { return bits[k / 64] >> (k % 64) & 1; }

void branch_mask_init(branch_mask *mask, size_t first, size_t combinations) {
  memset(mask, 0, sizeof *mask);
  mask->first = first;
  mask->words = words_for(combinations);
  mask->created = calloc(mask->words, sizeof mask->created[0]);
  mask->tried = calloc(mask->words, sizeof mask->tried[0]);
  if (!mask->created || !mask->tried)
    abort();
}

void branch_mask_fini(branch_mask *mask) {
  free(mask->bits);
  free(mask->created);
  free(mask->tried);
}

/* Resizes every finding's bits to the new word count, all clear. */
void branch_mask_reset(branch_mask *mask, size_t combinations) {
  mask->words = words_for(combinations);
  free(mask->created);
  mask->created = calloc(mask->words, sizeof mask->created[0]);
  free(mask->tried);
  mask->tried = calloc(mask->words, sizeof mask->tried[0]);
  free(mask->bits);
  mask->capacity = mask->count;
  mask->bits = calloc(mask->count * mask->words + 1, sizeof mask->bits[0]);
  if (!mask->created || !mask->tried || !mask->bits)
    abort();
}

/* Gives every finding of resource from first on a (zero) entry, including
 * findings added outside branch_mask_merge. */
static void mask_sync(branch_mask *mask, const report_resource *resource) {
  size_t needed = resource->finding_count - mask->first;
  if (needed > mask->capacity) {
    mask->capacity = needed * 2;
    mask->bits = realloc(mask->bits, mask->capacity * mask->words * sizeof mask->bits[0]);
    if (!mask->bits)
      abort();
  }
  if (needed > mask->count)
    memset(mask->bits + mask->count * mask->words, 0,
           (needed - mask->count) * mask->words * sizeof mask->bits[0]);
  mask->count = needed;
}

static report_finding *find_same(report_resource *resource, size_t first,
                                 const report_finding *finding) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *other = &resource->findings[i];
    if (strcmp(other->pointer, finding->pointer) == 0 &&
        strcmp(other->message, finding->message) == 0)
      return other;
  }
  return NULL;
}

/* Appends a finding. Slots past the count stay zeroed, because
 * report_add_finding() frees the fields of the slot it fills. */
static void append_finding(report_resource *resource, const report_finding *finding) {
  if (resource->finding_count == resource->finding_capacity) {
    size_t old_capacity = resource->finding_capacity;
    resource->finding_capacity = old_capacity ? 2 * old_capacity : 8;
    resource->findings = realloc(resource->findings,
                                 resource->finding_capacity * sizeof resource->findings[0]);
    if (!resource->findings)
      abort();
    memset(resource->findings + old_capacity, 0,
           (resource->finding_capacity - old_capacity) * sizeof resource->findings[0]);
  }
  resource->findings[resource->finding_count++] = *finding;
}

static void set_bit(uint64_t *bits, size_t k) { bits[k / 64] |= (uint64_t)1 << (k % 64); }

static void merge_findings(branch_mask *mask, report_resource *resource, report_finding *found,
                           size_t found_count, size_t combination) {
  for (size_t i = 0; i < found_count; i++) {
    mask_sync(mask, resource);
    report_finding *same = find_same(resource, mask->first, &found[i]);
    if (same) {
      size_t index = (size_t)(same - resource->findings) - mask->first;
      set_bit(mask->bits + index * mask->words, combination);
      report_finding_free(&found[i]);
      continue;
    }
    append_finding(resource, &found[i]);
    mask_sync(mask, resource);
    set_bit(mask->bits + (mask->count - 1) * mask->words, combination);
  }
  free(found);
}

void branch_mask_merge(branch_mask *mask, report_resource *resource, report_finding *found,
                       size_t found_count, size_t combination) {
  set_bit(mask->created, combination);
  set_bit(mask->tried, combination);
  merge_findings(mask, resource, found, found_count, combination);
}

void branch_mask_merge_invalid(branch_mask *mask, report_resource *resource,
                               report_finding *found, size_t combination) {
  set_bit(mask->tried, combination);
  merge_findings(mask, resource, found, 1, combination);
}

/* A note being built, cut at a code point boundary when it fills text.
 * Values of a parameter are listed up to NOTE_MAX_LISTED bytes of the
 * note, then counted ("and 12 more"), so a cut never hides a value. */
enum { NOTE_MAX_LISTED = 400 };

typedef struct note_text {
  char text[600];
  size_t used;
} note_text;

static void note_append(note_text *note, const char *text, size_t len) {
  size_t room = sizeof note->text - 1 - note->used;
  size_t cut = utf8_cut(text, len, len < room ? len : room);
  memcpy(note->text + note->used, text, cut);
  note->used += cut;
  note->text[note->used] = '\0';
}

static void note_add(note_text *note, const char *text) { note_append(note, text, strlen(text)); }

/* The values one dimension takes in the finding's combinations and in all
 * validated combinations, by value index. */
typedef struct value_sets {
  unsigned char in_finding[BRANCH_MAX_COMBINATIONS];
  unsigned char in_created[BRANCH_MAX_COMBINATIONS];
  size_t count;
} value_sets;

/* Fills sets for condition (parameter < 0) or parameter dimension. */
static void collect_values(const uint64_t *universe, const uint64_t *bits,
                           const branch_space *space, int condition, int parameter,
                           value_sets *sets) {
  sets->count = parameter >= 0 ? space->allowed[parameter]->count : 2;
  memset(sets->in_finding, 0, sets->count);
  memset(sets->in_created, 0, sets->count);
  for (size_t k = 0; k < space->combinations; k++) {
    if (!bit_is_set(universe, k))
      continue;
    size_t value = parameter >= 0 ? choice_index(space, k, (size_t)parameter)
                                  : (k >> condition & 1);
    sets->in_created[value] = 1;
    sets->in_finding[value] |= (unsigned char)bit_is_set(bits, k);
  }
}

/* Appends the values v of parameter j with in_finding[v] == in_finding,
 * among the validated ones, until the note reaches NOTE_MAX_LISTED bytes,
 * and then how many more there are. */
static void list_values(note_text *note, const branch_space *space, size_t j,
                        const value_sets *sets, unsigned char in_finding, size_t count) {
  size_t listed = 0;
  for (size_t v = 0; v < sets->count; v++) {
    if (!sets->in_created[v] || sets->in_finding[v] != in_finding)
      continue;

    const char *value = intrinsic_scalar_text(space->allowed[j]->items[v]);
    size_t len = utf8_cut(value, strlen(value), 100);
    if (note->used + len + 2 > NOTE_MAX_LISTED) {
      char more[40];
      snprintf(more, sizeof more, " and %zu more", count - listed);
      note_add(note, more);
      return;
    }
    note_add(note, listed++ ? ", " : "");
    note_append(note, value, len);
  }
}

/* Appends "parameter Alg is AES256", "parameter Env is one of a, b" or,
 * when that is shorter, "parameter Env is not prod" or "is none of a, b",
 * when the finding holds for some of the parameter's values only. */
static int describe_parameter(const branch_space *space, size_t j, const value_sets *sets,
                              note_text *note) {
  size_t seen = 0, created = 0;
  for (size_t v = 0; v < sets->count; v++) {
    seen += sets->in_finding[v];
    created += sets->in_created[v];
  }
  if (memcmp(sets->in_finding, sets->in_created, sets->count) == 0)
    return 0;

  const char *name = space->parameters[j];
  size_t unseen = created - seen;
  int by_exclusion = unseen < seen;
  note_add(note, note->used ? " and " : "");
  note_add(note, space->candidate[j] ? "" : "parameter ");
  note_append(note, name, utf8_cut(name, strlen(name), 200));
  if (by_exclusion)
    note_add(note, unseen > 1 ? " is none of " : " is not ");
  else
    note_add(note, seen > 1 ? " is one of " : " is ");
  list_values(note, space, j, sets, by_exclusion ? 0 : 1, by_exclusion ? unseen : seen);
  return 1;
}

/* Appends "condition A is false" or "conditions A is true and B is false"
 * for the conditions whose value is fixed in the finding's combinations
 * but not in every validated one. */
static int describe_conditions(const uint64_t *universe, const uint64_t *bits,
                               const branch_space *space, note_text *note) {
  note_text clauses = {"", 0};
  size_t fixed = 0;
  for (size_t c = 0; c < space->condition_count; c++) {
    value_sets sets;
    collect_values(universe, bits, space, (int)c, -1, &sets);
    int both = sets.in_finding[0] && sets.in_finding[1];
    if (both || memcmp(sets.in_finding, sets.in_created, 2) == 0)
      continue;

    const char *name = space->conditions[c];
    note_add(&clauses, fixed++ ? " and " : "");
    note_append(&clauses, name, utf8_cut(name, strlen(name), 100));
    note_add(&clauses, sets.in_finding[1] ? " is false" : " is true");
  }
  if (!fixed)
    return 0;

  note_add(note, note->used ? " and " : "");
  note_add(note, fixed > 1 ? "conditions " : "condition ");
  note_add(note, clauses.text);
  return 1;
}

/* Fills note with the values behind bits; returns 0 when no parameter or
 * condition has fewer values in them than in the validated combinations. */
static int describe(const uint64_t *universe, const uint64_t *bits, const branch_space *space,
                    int with_conditions, note_text *note) {
  value_sets sets;
  int described = 0;
  for (size_t j = 0; j < space->parameter_count; j++) {
    collect_values(universe, bits, space, 0, (int)j, &sets);
    described |= describe_parameter(space, j, &sets, note);
  }
  if (with_conditions)
    described |= describe_conditions(universe, bits, space, note);
  return described;
}

static int bits_equal(const branch_mask *mask, const uint64_t *bits, const uint64_t *universe) {
  return memcmp(bits, universe, mask->words * sizeof bits[0]) == 0;
}

static int bits_empty(const branch_mask *mask, const uint64_t *bits) {
  for (size_t w = 0; w < mask->words; w++)
    if (bits[w])
      return 0;
  return 1;
}

void branch_mask_name(const branch_mask *mask, report_resource *resource,
                      const branch_space *space, const size_t *lengths) {
  for (size_t i = 0; i < mask->count && mask->first + i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[mask->first + i];
    const uint64_t *bits = mask->bits + i * mask->words;
    const uint64_t *universe = finding->kind == REPORT_INVALID ? mask->tried : mask->created;
    int in_branch = strlen(finding->message) != lengths[i];
    note_text note = {"", 0};
    if (bits_empty(mask, bits) || bits_equal(mask, bits, universe) ||
        !describe(universe, bits, space, !in_branch, &note))
      continue;

    char message[1600];
    snprintf(message, sizeof message, "%.*s (when %s)",
             (int)utf8_cut(finding->message, strlen(finding->message), 900), finding->message,
             note.text);
    report_set(&finding->message, message);
  }
}

/* Returns combination k with the digits of the candidate dimensions set to
 * 0, so combinations that differ only in candidates share it. */
static size_t without_candidates(const branch_space *space, size_t k) {
  size_t digits = k >> space->condition_count, kept = 0, weight = 1;
  for (size_t j = 0; j < space->parameter_count; j++) {
    size_t radix = space->allowed[j]->count;
    if (!space->candidate[j])
      kept += digits % radix * weight;
    digits /= radix;
    weight *= radix;
  }
  size_t condition_bits = k & (((size_t)1 << space->condition_count) - 1);
  return kept << space->condition_count | condition_bits;
}

/* Returns 1 when some candidate lets the resource pass wherever the
 * finding appears: each combination in bits has a combination of universe
 * outside failing (where no violation at all was found) that differs from
 * it only in candidates. Findings of different candidates have different
 * messages, so a candidate passes only where none of them holds. */
static int holds_for_some_candidates(const branch_space *space, const uint64_t *universe,
                                     const uint64_t *failing, const uint64_t *bits,
                                     unsigned char *missing) {
  memset(missing, 0, space->combinations);
  for (size_t k = 0; k < space->combinations; k++)
    if (bit_is_set(universe, k) && !bit_is_set(failing, k))
      missing[without_candidates(space, k)] = 1;

  for (size_t k = 0; k < space->combinations; k++)
    if (bit_is_set(bits, k) && !missing[without_candidates(space, k)])
      return 0;
  return 1;
}

void branch_mask_soften(const branch_mask *mask, report_resource *resource,
                        const branch_space *space) {
  int has_candidates = 0;
  for (size_t j = 0; j < space->parameter_count; j++)
    has_candidates |= space->candidate[j];
  if (!has_candidates)
    return;

  uint64_t *failing = calloc(mask->words ? mask->words : 1, sizeof *failing);
  if (!failing)
    return; /* the findings keep their kind, which fails closed */
  for (size_t i = 0; i < mask->count && mask->first + i < resource->finding_count; i++) {
    report_kind kind = resource->findings[mask->first + i].kind;
    if (kind == REPORT_VIOLATION || kind == REPORT_INVALID)
      for (size_t w = 0; w < mask->words; w++)
        failing[w] |= mask->bits[i * mask->words + w];
  }

  unsigned char missing[BRANCH_MAX_COMBINATIONS];
  for (size_t i = 0; i < mask->count && mask->first + i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[mask->first + i];
    if (finding->kind != REPORT_VIOLATION && finding->kind != REPORT_INVALID)
      continue;

    const uint64_t *universe = finding->kind == REPORT_INVALID ? mask->tried : mask->created;
    const uint64_t *bits = mask->bits + i * mask->words;
    if (!bits_empty(mask, bits) && holds_for_some_candidates(space, universe, failing, bits, missing))
      finding->kind = REPORT_UNVERIFIED;
  }
  free(failing);
}
