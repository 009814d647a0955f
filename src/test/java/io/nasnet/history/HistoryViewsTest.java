package io.nasnet.history;

import io.nasnet.child.Status;
import io.nasnet.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** nas_rounds, which the report draws: the mean is over every child, failed ones at reward 0. */
class HistoryViewsTest {

    static HistoryRecord row(int round, int child, String status, double reward) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return HistoryRecord.of(Map.of("search_id", "s", "round", round, "child_index", child, "arch_id", "a" + round + child,
                "genotype", "g", "strategy", "ppo", "status", status, "reward", reward, "started_at", t,
                "finished_at", t)).with(Map.of("error", status.equals("OK") ? "" : "boom"));
    }

    /** A row of a round on 2 slots whose child trained from second {@code from} to second {@code to}. */
    static HistoryRecord timed(int child, String status, int from, int to) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return HistoryRecord.of(Map.of("search_id", "u", "child_index", child, "arch_id", "u" + child, "genotype", "g",
                "strategy", "ppo", "status", status, "reward", 0.5, "started_at", t.plusSeconds(from),
                "finished_at", t.plusSeconds(to), "slots", 2));
    }

    @Test
    void roundsCountFailuresAsZeroInTheMeanAndTrackTheBestSoFar(@TempDir Path dir) {
        SparkSession spark = TestSpark.local();
        HistoryTable table = new HistoryTable(spark, dir.resolve("h").toString());
        List<HistoryRecord> rows = List.of(row(0, 0, "OK", 0.6), row(0, 1, "FAILED", 0),
                row(1, 0, "OK", 0.5), row(1, 1, "CACHED", 0.6), row(2, 0, "DIVERGED", 0), row(2, 1, "OK", 0.7));
        table.write(table.rows(rows));
        HistoryViews.register(spark, table);
        List<Row> r = spark.sql("SELECT round, done, failed, cached, mean_reward, best_reward, best_so_far "
                + "FROM nas_rounds ORDER BY round").collectAsList();
        assertThat(r).hasSize(3);
        assertThat(r.get(0).getDouble(4)).isCloseTo(0.3, within(1e-12));
        assertThat(r.get(0).getLong(2)).isEqualTo(1);
        assertThat(r.get(1).getLong(3)).isEqualTo(1);
        assertThat(r.get(2).getLong(2)).as("diverged counts as failed").isEqualTo(1);
        assertThat(r.stream().map(x -> x.getDouble(5)).toList()).containsExactly(0.6, 0.6, 0.7);
        assertThat(r.stream().map(x -> x.getDouble(6)).toList()).containsExactly(0.6, 0.6, 0.7);
        assertThat(spark.sql("SELECT utilization FROM nas_rounds WHERE round = 0").first().isNullAt(0))
                .as("no slots recorded").isTrue();

        // children of 10, 4 and 6 s on 2 slots over 0..10 s (a cached one takes no slot):
        // 20 busy slot-seconds of 2 x 10
        table.write(table.rows(List.of(timed(0, "OK", 0, 10), timed(1, "OK", 0, 4),
                timed(2, "FAILED", 4, 10), timed(3, "CACHED", 11, 11))));
        HistoryViews.register(spark, table);
        Row u = spark.sql("SELECT slots, busy_seconds, wall_seconds, utilization FROM nas_rounds "
                + "WHERE search_id = 'u'").first();
        assertThat(u.getInt(0)).isEqualTo(2);
        assertThat(u.getDouble(1)).isEqualTo(20.0);
        assertThat(u.getDouble(2)).isEqualTo(10.0);
        assertThat(u.getDouble(3)).isEqualTo(1.0);
        table.write(table.rows(List.of(timed(0, "OK", 0, 10), timed(1, "OK", 0, 2))));
        HistoryViews.register(spark, table);
        assertThat(spark.sql("SELECT utilization FROM nas_rounds WHERE search_id = 'u'").first().getDouble(0))
                .as("one slot idle after 2 s of 10").isEqualTo(0.6);
    }
}
