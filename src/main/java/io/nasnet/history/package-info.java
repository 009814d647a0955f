/**
 * The search history: a table, partitioned by search id, holding one row per child evaluated, its
 * columns listed once ({@code Columns}). Plain Parquet ({@code ParquetStore}: one file per round in a
 * search's folder, compacted into few; a re-run round replaces its own file only, and searches sharing
 * the table never touch each other's folders) or Delta Lake ({@code DeltaStore}); its SQL views, its
 * catalog tables and the configurations its rows were written with.
 */
package io.nasnet.history;
