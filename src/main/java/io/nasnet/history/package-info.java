/**
 * The search history: a plain Parquet table, partitioned by search id and round, holding one row
 * per child evaluated. Rounds are written with dynamic partition overwrite, so a re-run round
 * replaces itself and searches sharing the table never touch each other's partitions.
 */
package io.nasnet.history;
