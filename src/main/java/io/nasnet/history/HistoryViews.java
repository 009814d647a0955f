package io.nasnet.history;

import org.apache.spark.sql.SparkSession;

/**
 * SQL views over the history table, for the {@code sql} command and notebooks:
 * <ul>
 *   <li>{@code nas_history}: the table as it is;</li>
 *   <li>{@code nas_best}: each architecture's best trained evaluation, per search;</li>
 *   <li>{@code nas_rounds}: per search and round, children done, failed and cached, mean and best
 *       reward, and the best reward so far.</li>
 * </ul>
 */
public final class HistoryViews {

    private HistoryViews() {
    }

    public static void register(SparkSession spark, HistoryTable table) {
        table.all().createOrReplaceTempView("nas_history");
        spark.sql("""
                SELECT * FROM (
                  SELECT *, row_number() OVER (PARTITION BY search_id, arch_id ORDER BY reward DESC, round, child_index) AS rank
                  FROM nas_history WHERE status = 'OK')
                WHERE rank = 1""").drop("rank").createOrReplaceTempView("nas_best");
        spark.sql("""
                SELECT search_id, round,
                       count_if(status = 'OK') AS done, count_if(status IN ('FAILED', 'DIVERGED')) AS failed,
                       count_if(status = 'CACHED') AS cached,
                       avg(reward) AS mean_reward, max(reward) AS best_reward,
                       max(max(reward)) OVER (PARTITION BY search_id ORDER BY round) AS best_so_far
                FROM nas_history GROUP BY search_id, round""").createOrReplaceTempView("nas_rounds");
    }
}
