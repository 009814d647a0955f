package io.nasnet.search;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.TestSpark;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks that die after their child trained, before the round is written: Spark runs them again
 * (local[2, 2]: two attempts per task) and the table and the controller still see each child once.
 */
@Slow
class TaskRetryTest {

    @Test
    void aTaskLostAfterTrainingLeavesEachChildOnceInTableAndController(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.own(TestSpark.builder().master("local[2, 2]"));
        try {
            Path data = TinyData.write(dir.resolve("data"), 120, 40);
            SearchConfig c = TestSearch.config(data, dir, "search.id=retry", "search.population=4");
            int before = SyntheticTrainer.FAILED_AFTER_TRAINING.get();
            new SearchJob(spark, c, SyntheticTrainer.failsAfterTraining(List.of(1, 3))).run();
            assertThat(SyntheticTrainer.FAILED_AFTER_TRAINING.get() - before).as("tasks that failed after training")
                    .isGreaterThanOrEqualTo(2); // children 1 and 3 of round 0, and of round 1 unless reused
            HistoryTable table = new HistoryTable(spark, c.historyPath());
            assertThat(table.records("retry")).extracting(h -> h.round() + "/" + h.childIndex())
                    .containsExactly("0/0", "0/1", "0/2", "0/3", "1/0", "1/1", "1/2", "1/3");
            assertThat(table.records("retry")).extracting(HistoryRecord::status).isSubsetOf(
                    io.nasnet.child.Status.OK, io.nasnet.child.Status.CACHED);
            SearchJobTest.assertControllerMatchesTable(c, table);
        } finally {
            spark.stop();
        }
    }
}
