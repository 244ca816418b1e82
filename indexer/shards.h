/* shards.h — internal: the writer's view of an index directory, one database or shards behind a stub.
 * Routes each article to the shard that holds it: by a stable hash of its id, or by its year. */
#ifndef TC_SHARDS_H
#define TC_SHARDS_H

#include "xapian_c.h"

typedef enum { TC_LAYOUT_SINGLE, TC_LAYOUT_HASH, TC_LAYOUT_YEAR } tc_layout;

#define TC_MAX_SHARDS 256

typedef struct tc_shardset tc_shardset;

/* Opens dir for writing. A new dir takes the layout asked for (want, and want_shards for HASH) and
 * forms version new_forms; an existing one keeps its own, and asking for a different layout is an
 * error that says so.
 * want == TC_LAYOUT_SINGLE with want_shards == 0 means "whatever dir already is". */
tc_shardset *tc_shardset_open(const char *dir, tc_layout want, unsigned want_shards, unsigned new_forms, char *err,
                              size_t errlen);
tc_layout tc_shardset_layout(const tc_shardset *s);
/* The forms version to write articles in (tc_document_build): the one the index records, 0 for an
 * index written before versions were, new_forms for a new one. */
unsigned tc_shardset_forms(const tc_shardset *s);
size_t tc_shardset_count(const tc_shardset *s);
const char *tc_shardset_name(const tc_shardset *s, size_t i);
/* The directory of shard i (dir itself for a single database). */
const char *tc_shardset_path(const tc_shardset *s, size_t i);

/* The shard an article belongs in; for YEAR a new year's shard is created and added to the stub.
 * Returns -1 with a message in err when that fails. */
int tc_shardset_route(tc_shardset *s, const char *id, int has_date, int64_t date, char *err, size_t errlen);
/* Shard i's writer, opened on first use (past years stay closed until an article needs them). */
tc_xwriter *tc_shardset_writer(tc_shardset *s, size_t i, char *err, size_t errlen);
/* Closes shard i's writer (committing what is pending), e.g. before its directory is swapped. */
void tc_shardset_release(tc_shardset *s, size_t i);
/* Whether shard i holds idterm, looking through its writer when open, else a reader. */
tc_status tc_shardset_holds(tc_shardset *s, size_t i, const char *idterm, int *holds, char *err, size_t errlen);
/* Marks shard i as changed; commit_dirty stamps and commits every changed shard (only those). */
void tc_shardset_touch(tc_shardset *s, size_t i);
tc_status tc_shardset_commit(tc_shardset *s, size_t i, char *err, size_t errlen);
tc_status tc_shardset_commit_dirty(tc_shardset *s, char *err, size_t errlen);
/* Bytes of the files under path (a database, or a directory of shards). */
uint64_t tc_dir_bytes(const char *path);
/* Whether shard i took a change since the set was opened. */
int tc_shardset_written(const tc_shardset *s, size_t i);
/* Rewrites shard i compactly with Xapian's compactor (its writer held meanwhile, then closed) and
 * swaps the copy in; *before and *after are its bytes on disk. */
tc_status tc_shardset_compact(tc_shardset *s, size_t i, uint64_t *before, uint64_t *after, char *err, size_t errlen);
/* Closes every writer (Xapian commits what is pending as it closes). */
void tc_shardset_close(tc_shardset *s);

#endif
