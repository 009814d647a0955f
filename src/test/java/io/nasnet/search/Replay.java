package io.nasnet.search;

import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.controller.Strategies;
import io.nasnet.controller.Strategy;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.apache.hadoop.conf.Configuration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The check that a search's controller learned from each row of its table once, for tests of any package. */
public final class Replay {

    private Replay() {
    }

    /**
     * Replays the search from the table: a fresh strategy, sampling then learning from each
     * round's rows as read back, must sample exactly the table's architectures and end in
     * exactly the checkpointed state.
     */
    public static void assertControllerMatchesTable(SearchConfig c, HistoryTable table, Configuration hadoop)
            throws Exception {
        Encoding enc = new Encoding(c.blocks());
        Strategy replay = Strategies.create(c.strategy(), enc, c.strategies(), c.seed());
        List<Integer> rounds = table.rounds(c.searchId());
        for (int r : rounds) {
            List<Sample> samples = replay.sample(c.population());
            List<HistoryRecord> rows = table.read(c.searchId(), r);
            assertThat(rows.stream().map(HistoryRecord::genotype).toList())
                    .isEqualTo(samples.stream().map(x -> x.genotype().text()).toList());
            replay.learn(rows.stream().map(h -> new Scored(enc.encode(Genotype.parse(h.genotype())), h.reward(),
                    h.logProb())).toList());
        }
        Checkpoints.Saved saved = new Checkpoints(c.checkpointPath(), hadoop)
                .load(c.searchId()).orElseThrow();
        assertThat(saved.round()).isEqualTo(rounds.get(rounds.size() - 1));
        assertThat(saved.state()).isEqualTo(replay.checkpoint());
    }
}
