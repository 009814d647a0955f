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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one list of columns: the schema, the writer and the reader of older rows all come from it. */
class ColumnsTest {

    static HistoryRecord record() {
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        return new HistoryRecord("s", 3, 1, "a1", "normal (0 identity, 1 identity, add) concat 2 | reduction "
                + "(0 identity, 1 identity, add) concat 2", "ppo", Status.OK, 0.7, -3.2, List.of(0.6, 0.7), 0.9, 1000,
                2000, 1, 50.0, 12.5, 1L << 30, "host", "", 42, "n=1,f=8", "hash", "dev", start, start.plusSeconds(20),
                null, 1, 2, "sum", "p1", 0.71, 0, 0.69, 0.4, "gbt", 1, 2, List.of(0.6, 0.7), 31.5,
                new ChildMeasures(0.65, 0.8, 0.3, new ZeroCost(1.5, 2.5, 3.5, 0.2)));
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
}
