/**
 * The search history: a plain Parquet table, partitioned by search id, holding one row per child
 * evaluated. A search writes one file per round into its folder and a compaction rewrites them into
 * few; a re-run round replaces its own file only, and searches sharing the table never touch each
 * other's folders.
 */
package io.nasnet.history;
