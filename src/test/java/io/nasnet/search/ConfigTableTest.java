package io.nasnet.search;

import io.nasnet.TestSearch;
import io.nasnet.history.ConfigTable;
import io.nasnet.history.HistoryTable;
import io.nasnet.history.HistoryViews;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nas_configs}: every configuration a search's rows were written with, by their
 * {@code config_hash}, whole enough that it loads again into the same configuration.
 */
class ConfigTableTest extends LocalSearchTest {

    @Test
    void everyRowsConfigurationIsRecoveredByItsHash(@TempDir Path dir) throws Exception {
        SearchConfig first = TestSearch.config(data, dir, "search.id=c", "search.rounds=1");
        new SearchJob(spark, first, SyntheticTrainer.factory(List.of())).run();
        SearchConfig next = TestSearch.config(data, dir, "search.id=c", "search.rounds=1", "search.time-budget=6h");
        new SearchJob(spark, next, SyntheticTrainer.factory(List.of())).run();
        new SearchJob(spark, next, SyntheticTrainer.factory(List.of())).run();

        ConfigTable configs = new ConfigTable(spark, first.historyPath());
        assertThat(configs.all().count()).as("one row per configuration, however many runs used it").isEqualTo(2);
        SearchConfig recovered = SearchConfig.from(com.typesafe.config.ConfigFactory.parseString(
                "nasnet = " + configs.get(first.hash()).orElseThrow()));
        assertThat(recovered.hash()).isEqualTo(first.hash());
        assertThat(recovered.timeBudget()).isEqualTo(first.timeBudget());
        assertThat(SearchConfig.from(com.typesafe.config.ConfigFactory.parseString(
                "nasnet = " + configs.get(next.hash()).orElseThrow())).timeBudget())
                .isEqualTo(java.time.Duration.ofHours(6));

        HistoryViews.register(spark, new HistoryTable(spark, first.historyPath()));
        configs.register();
        List<Row> byRound = spark.sql("SELECT h.round, c.config FROM nas_history h JOIN nas_configs c "
                + "USING (config_hash) WHERE h.search_id = 'c' AND h.child_index = 0 ORDER BY h.round").collectAsList();
        assertThat(byRound).hasSize(3);
        assertThat(byRound.get(0).getString(1)).doesNotContain("6h");
        assertThat(byRound.get(1).getString(1)).contains("\"time-budget\":\"6h\"");
        assertThat(byRound.get(2).getString(1)).isEqualTo(byRound.get(1).getString(1));
    }
}
