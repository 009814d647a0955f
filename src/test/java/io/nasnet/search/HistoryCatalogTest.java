package io.nasnet.search;

import io.nasnet.Slow;
import io.nasnet.TestSearch;
import io.nasnet.config.ConfigException;
import io.nasnet.history.HistoryTable;
import io.nasnet.train.FinalTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code history.catalog}: with Spark's embedded Hive metastore (a real Derby store), a search
 * registers its tables, and a new session on the same metastore queries {@code nasnet.nas_history}
 * and {@code nasnet.nas_rounds} by name, with every round of every search; a session without a
 * metastore, or whose metastore does not answer, fails the setting before any child trains.
 */
class HistoryCatalogTest {

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = TinyData.write(shared.resolve("data"), 120, 40);
        System.setProperty("derby.stream.error.file", shared.resolve("derby.log").toString());
    }

    /** A session on the Derby metastore under {@code dir}, with the project's settings. */
    static SparkSession hive(Path dir, String... conf) {
        SparkSession.Builder b = io.nasnet.TestSpark.builder()
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
                .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true")
                .enableHiveSupport();
        for (int i = 0; i < conf.length; i += 2) {
            b = b.config(conf[i], conf[i + 1]);
        }
        return io.nasnet.TestSpark.own(b);
    }

    @Slow
    @Test
    void aNewSessionOnTheSameMetastoreQueriesTheTablesByName(@TempDir Path dir) throws Exception {
        SparkSession spark = hive(dir);
        try {
            SearchConfig a = TestSearch.config(data, dir, "search.id=a", "history.catalog=nasnet");
            new SearchJob(spark, a, SyntheticTrainer.factory(List.of())).run();
            // while the table is registered, a second search's rounds appear under the same name
            SearchConfig b = TestSearch.config(data, dir, "search.id=b", "search.rounds=3", "history.catalog=nasnet",
                    "history.compact=true");
            new SearchJob(spark, b, SyntheticTrainer.factory(List.of())).run();
            assertThat(spark.sql("SELECT count(*) FROM nasnet.nas_history").first().getLong(0)).isEqualTo(15);
            Object[] training = new Object[FinalTable.SCHEMA.size()];
            training[0] = "arch-1";
            spark.createDataFrame(List.of(RowFactory.create(training)), FinalTable.SCHEMA).write().parquet(a.finalPath());
            io.nasnet.history.HistoryCatalog.open(spark, "nasnet", new HistoryTable(spark, a.historyPath()))
                    .finals(a.finalPath(), FinalTable.SCHEMA);
        } finally {
            spark.stop();
        }

        SparkSession later = hive(dir);
        try {
            List<Row> searches = later.sql("SELECT search_id, count(*), max(round) FROM nasnet.nas_history "
                    + "GROUP BY search_id ORDER BY search_id").collectAsList();
            assertThat(searches).containsExactly(RowFactory.create("a", 6L, 1), RowFactory.create("b", 9L, 2));
            assertThat(later.sql("SELECT search_id, round, done FROM nasnet.nas_rounds ORDER BY search_id, round")
                    .collectAsList()).hasSize(5).allSatisfy(r -> assertThat(r.getLong(2)).isEqualTo(3));
            assertThat(later.sql("SELECT count(DISTINCT arch_id) FROM nasnet.nas_best").first().getLong(0))
                    .isPositive();
            assertThat(later.sql("SELECT arch_id FROM nasnet.nas_final").collectAsList()).hasSize(1);
            assertThat(later.catalog().getTable("nasnet", "nas_history").tableType()).isEqualTo("EXTERNAL");
            assertThat(later.sql("SHOW PARTITIONS nasnet.nas_history").collectAsList())
                    .extracting(r -> r.getString(0)).containsExactly("search_id=a", "search_id=b");
        } finally {
            later.stop();
        }
    }

    @Slow
    @Test
    void aCatalogTableOfAnEarlierReleaseTakesTheNewColumns(@TempDir Path dir) throws Exception {
        SparkSession spark = hive(dir);
        try {
            SearchConfig a = TestSearch.config(data, dir, "search.id=a", "search.rounds=1");
            new SearchJob(spark, a, SyntheticTrainer.factory(List.of())).run();
            // the table as a release before the measurement columns registered it
            org.apache.spark.sql.types.StructType older = new org.apache.spark.sql.types.StructType(
                    java.util.Arrays.copyOf(io.nasnet.history.HistoryRecord.SCHEMA.fields(),
                            io.nasnet.history.HistoryRecord.SCHEMA.fieldNames().length - 7));
            spark.sql("CREATE DATABASE nasnet");
            spark.sql("CREATE TABLE nasnet.nas_history (" + older.toDDL() + ") USING parquet PARTITIONED BY "
                    + "(search_id) LOCATION '" + a.historyPath() + "'");
            assertThat(spark.table("nasnet.nas_history").columns()).doesNotContain("naswot");

            SearchConfig b = TestSearch.config(data, dir, "search.id=a", "search.rounds=1", "history.catalog=nasnet");
            new SearchJob(spark, b, SyntheticTrainer.factory(List.of())).run();
            assertThat(spark.table("nasnet.nas_history").columns()).contains("accuracy_mean", "validation_loss",
                    "train_loss_area", "naswot", "synflow", "grad_norm", "zero_cost_seconds");
            assertThat(spark.sql("SELECT count(validation_loss), count(*) FROM nasnet.nas_history")
                    .first().toString()).as("every row by name, the measurement of both rounds' children")
                    .isEqualTo("[6,6]");
        } finally {
            spark.stop();
        }
    }

    @Slow
    @Test
    void aDeltaHistoryIsRegisteredAsTheDeltaTableItIs(@TempDir Path dir) throws Exception {
        SparkSession spark = hive(dir);
        try {
            SearchConfig c = TestSearch.config(data, dir, "search.id=d", "search.rounds=1", "history.format=delta",
                    "history.catalog=lake");
            new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
            assertThat(spark.sql("DESCRIBE DETAIL lake.nas_history").first().<String>getAs("format")).isEqualTo("delta");
            assertThat(spark.sql("SELECT search_id, round, count(*) FROM lake.nas_history GROUP BY 1, 2").collectAsList())
                    .containsExactly(RowFactory.create("d", 0, 3L));
            assertThat(spark.sql("SELECT done FROM lake.nas_rounds").first().getLong(0)).isEqualTo(3);
            // the next night appends to the table the catalog already holds
            new SearchJob(spark, c, SyntheticTrainer.factory(List.of())).run();
            assertThat(spark.sql("SELECT count(*) FROM lake.nas_history").first().getLong(0)).isEqualTo(6);
        } finally {
            spark.stop();
        }
    }

    @Slow
    @Test
    void aCatalogThatCannotHoldTheTablesFailsBeforeAnyChildTrains(@TempDir Path dir) throws Exception {
        SearchConfig c = TestSearch.config(data, dir, "search.id=x", "history.catalog=nasnet");
        SparkSession inMemory = io.nasnet.TestSpark.local();
        assertThatThrownBy(() -> new SearchJob(inMemory, c, SyntheticTrainer.factory(List.of())).run())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nasnet.history.catalog = nasnet").hasMessageContaining("in-memory")
                .hasMessageContaining("spark.sql.catalogImplementation=hive");
        assertThat(dir.resolve("history/search_id=x")).doesNotExist();

        SparkSession unreachable = hive(dir, "spark.hadoop.hive.metastore.uris", "thrift://127.0.0.1:1",
                "spark.hadoop.hive.metastore.connect.retries", "1",
                "spark.hadoop.hive.metastore.client.connect.retry.delay", "0s");
        try {
            assertThatThrownBy(() -> new SearchJob(unreachable, c, SyntheticTrainer.factory(List.of())).run())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("nasnet.history.catalog = nasnet: the Spark session's catalog (hive) "
                            + "cannot be reached or refused CREATE DATABASE");
        } finally {
            unreachable.stop();
        }
        assertThat(dir.resolve("history/search_id=x")).as("no child trained").doesNotExist();
    }
}
