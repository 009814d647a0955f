package io.nasnet.history;

import io.nasnet.child.ChildMeasures;
import io.nasnet.child.Status;
import io.nasnet.child.ZeroCost;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one list of columns: the schema, the writer and the reader of older rows all come from it. */
class ColumnsTest {

    static HistoryRecord record() {
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        return HistoryRecord.of(Map.ofEntries(Map.entry("search_id", "s"), Map.entry("round", 3),
                Map.entry("child_index", 1), Map.entry("arch_id", "a1"),
                Map.entry("genotype", "normal (0 identity, 1 identity, add) concat 2 | reduction "
                        + "(0 identity, 1 identity, add) concat 2"), Map.entry("strategy", "ppo"),
                Map.entry("status", Status.OK), Map.entry("reward", 0.7), Map.entry("log_prob", -3.2),
                Map.entry("val_accuracy", List.of(0.6, 0.7)), Map.entry("train_loss", 0.9), Map.entry("params", 1000),
                Map.entry("mult_adds", 2000), Map.entry("epochs", 1), Map.entry("images_per_sec", 50.0),
                Map.entry("train_seconds", 12.5), Map.entry("peak_rss_bytes", 1L << 30), Map.entry("host", "host"),
                Map.entry("gpu", ""), Map.entry("seed", 42), Map.entry("budget", "n=1,f=8"),
                Map.entry("config_hash", "hash"), Map.entry("version", "dev"), Map.entry("started_at", start),
                Map.entry("finished_at", start.plusSeconds(20)), Map.entry("attempt", 1), Map.entry("slots", 2),
                Map.entry("data_checksum", "sum"), Map.entry("parent_arch_id", "p1"), Map.entry("accuracy", 0.71),
                Map.entry("predicted_reward", 0.69), Map.entry("predictor_tau", 0.4), Map.entry("predictor", "gbt"),
                Map.entry("rung", 1), Map.entry("rungs", 2), Map.entry("rung_rewards", List.of(0.6, 0.7)),
                Map.entry("child_seconds", 31.5), Map.entry("accuracy_mean", 0.65), Map.entry("validation_loss", 0.8),
                Map.entry("train_loss_area", 0.3), Map.entry("naswot", 1.5), Map.entry("synflow", 2.5),
                Map.entry("grad_norm", 3.5), Map.entry("zero_cost_seconds", 0.2)));
    }

    @Test
    void aRecordWrittenAndReadBackIsTheSameRecord() {
        HistoryRecord r = record();
        assertThat(HistoryRecord.fromRow(r.toRow())).isEqualTo(r);
        assertThat(HistoryRecord.SCHEMA.fieldNames()).hasSize(Columns.ALL.size())
                .doesNotHaveDuplicates().startsWith("search_id", "round", "child_index");
    }

    @Test
    void aRowOfATableWithoutTheLaterColumnsReadsAsTheyDefine() {
        Set<String> later = Set.of("accuracy", "reward_size", "rung", "rungs", "rung_rewards", "child_seconds",
                "attempt", "slots", "accuracy_mean", "validation_loss", "train_loss_area", "naswot", "synflow",
                "grad_norm", "zero_cost_seconds");
        HistoryRecord r = record();
        Row full = r.toRow();
        StructField[] kept = Arrays.stream(HistoryRecord.SCHEMA.fields()).filter(f -> !later.contains(f.name()))
                .toArray(StructField[]::new);
        Object[] values = Arrays.stream(kept).map(f -> full.get(full.fieldIndex(f.name()))).toArray();
        HistoryRecord old = HistoryRecord.fromRow(new GenericRowWithSchema(values, new StructType(kept)));
        assertThat(old.accuracy()).as("the reward was the accuracy").isEqualTo(0.7);
        assertThat(old.childSeconds()).as("the task's time").isEqualTo(20.0);
        assertThat(old.rungs()).isEqualTo(1);
        assertThat(old.rung()).isZero();
        assertThat(old.rungRewards()).isEmpty();
        assertThat(old.attempt()).isZero();
        assertThat(old.measures()).isEqualTo(ChildMeasures.NONE);
        assertThat(old.genotype()).isEqualTo(r.genotype());
        assertThat(old.validationAccuracy()).isEqualTo(r.validationAccuracy());
    }

    @Test
    void aCopyChangesTheNamedCellsOnlyAndReadsEachAsItsColumnsType() {
        HistoryRecord r = record();
        HistoryRecord c = r.with(Map.of("round", 7L, "reward", 1, "status", "CACHED", "predictor", "none"));
        assertThat(c.round()).isEqualTo(7);
        assertThat(c.reward()).isEqualTo(1.0);
        assertThat(c.status()).isEqualTo(Status.CACHED);
        assertThat(c.predictor()).isEqualTo("none");
        Row was = r.toRow();
        Row now = c.toRow();
        for (String column : HistoryRecord.SCHEMA.fieldNames()) {
            if (!Set.of("round", "reward", "status", "predictor").contains(column)) {
                assertThat(now.<Object>getAs(column)).as(column).isEqualTo(was.getAs(column));
            }
        }
        assertThatThrownBy(() -> r.with(Map.of("rewrad", 1.0))).hasMessage("no history column rewrad");
    }

    @Test
    void aRowOfSomeCellsReadsTheOthersAsAnOlderTablesRowWould() {
        HistoryRecord r = HistoryRecord.of(Map.of("search_id", "s", "status", "OK", "reward", 0.5));
        assertThat(r.accuracy()).as("the reward").isEqualTo(0.5);
        assertThat(r.rungs()).isEqualTo(1);
        assertThat(r.round()).isZero();
        assertThat(r.predictedReward()).isNull();
        assertThat(r.measures()).isEqualTo(ChildMeasures.NONE);
        assertThat(r.rungRewards()).isEmpty();
    }
}
