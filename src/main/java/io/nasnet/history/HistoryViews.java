package io.nasnet.history;

import io.nasnet.child.Status;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * SQL views over the history table, for the {@code sql} command and notebooks:
 * <ul>
 *   <li>{@code nas_history}: the table as it is;</li>
 *   <li>{@code nas_best}: each architecture's best trained evaluation through the whole proxy, per search;</li>
 *   <li>{@code nas_rounds}: per search and round, children done, failed and cached, mean and best
 *       reward, the best reward so far, and the executor utilization: the children's training time
 *       (busy slot-seconds) over the round's task slots times its wall time, first child's start to
 *       last child's finish. A round waits for its slowest child, so a low figure says the population
 *       does not fit the cluster (too few children for the slots, or children of very unequal cost; with
 *       rungs, the slots left idle while a rung waits for its last child);
 *       the rungs of successive halving and how many children reached the last ({@code whole_proxy});
 *       {@code child_seconds}, what the round's children cost, and {@code total_child_seconds}, the search's
 *       so far; and what the round's predictor did (its held-out Kendall tau, or why it was not used).</li>
 * </ul>
 */
public final class HistoryViews {

    private HistoryViews() {
    }

    public static void register(SparkSession spark, HistoryTable table) {
        register(spark, table.all());
    }

    /** The views over {@code history} (the table as it is, or as it was at a Delta version). */
    public static void register(SparkSession spark, Dataset<Row> history) {
        history.createOrReplaceTempView("nas_history");
        spark.sql(best("nas_history")).createOrReplaceTempView("nas_best");
        spark.sql(rounds("nas_history")).createOrReplaceTempView("nas_rounds");
    }

    /** The same views as persistent views of a catalog database, over its {@code nas_history} table. */
    static void persist(SparkSession spark, String database) {
        spark.sql("CREATE OR REPLACE VIEW " + database + ".nas_best AS " + best(database + ".nas_history"));
        spark.sql("CREATE OR REPLACE VIEW " + database + ".nas_rounds AS " + rounds(database + ".nas_history"));
    }

    private static String best(String history) {
        return """
                SELECT %3$s FROM (
                  SELECT *, row_number() OVER (PARTITION BY search_id, arch_id ORDER BY reward DESC, round, child_index) AS rank
                  FROM %1$s WHERE %2$s AND coalesce(rung, 0) = coalesce(rungs, 1) - 1)
                WHERE rank = 1""".formatted(history, Status.sql(Status::trained),
                String.join(", ", HistoryRecord.SCHEMA.fieldNames()));
    }

    private static String rounds(String history) {
        return """
                SELECT search_id, round, done, failed, cached, mean_reward, best_reward, best_so_far, slots,
                       busy_seconds, wall_seconds,
                       CASE WHEN slots > 0 AND wall_seconds > 0 THEN busy_seconds / (slots * wall_seconds) END
                         AS utilization,
                       rungs, whole_proxy, busy_seconds AS child_seconds,
                       sum(busy_seconds) OVER (PARTITION BY search_id ORDER BY round) AS total_child_seconds,
                       predictor_tau, predictor
                FROM (
                  SELECT search_id, round,
                         count_if(%2$s) AS done, count_if(%3$s) AS failed,
                         count_if(NOT %4$s) AS cached,
                         avg(reward) AS mean_reward, max(reward) AS best_reward,
                         max(max(reward)) OVER (PARTITION BY search_id ORDER BY round) AS best_so_far,
                         max(slots) AS slots,
                         coalesce(sum(coalesce(child_seconds,
                           (unix_micros(finished_at) - unix_micros(started_at)) / 1e6)) FILTER (WHERE %4$s), 0)
                           AS busy_seconds,
                         coalesce(max(rungs), 1) AS rungs,
                         count_if(%2$s AND coalesce(rung, 0) = coalesce(rungs, 1) - 1) AS whole_proxy,
                         (unix_micros(max(finished_at) FILTER (WHERE %4$s))
                           - unix_micros(min(started_at) FILTER (WHERE %4$s))) / 1e6 AS wall_seconds,
                         max(predictor_tau) AS predictor_tau, max(predictor) AS predictor
                  FROM %1$s GROUP BY search_id, round)""".formatted(history, Status.sql(Status::trained),
                Status.sql(Status::failed), Status.sql(Status::ranOnExecutor));
    }
}
