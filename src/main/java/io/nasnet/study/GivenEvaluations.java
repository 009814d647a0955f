package io.nasnet.study;

import io.nasnet.child.ChildSpec;
import io.nasnet.search.SearchConfig;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.engine.ChildTask;
import io.nasnet.engine.RoundEngine;
import io.nasnet.search.Preflight;
import io.nasnet.search.SparkEvaluator;
import io.nasnet.search.TableHistory;
import io.nasnet.search.TrainerFactory;
import io.nasnet.space.Genotype;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Architectures a study gives (not a strategy's samples) evaluated with given seeds as a search
 * evaluates children: Spark tasks on the executors, rows in one search id of the history table with
 * strategy {@link HistoryRecord#GIVEN}. An (architecture, seed) the table already holds there at the
 * same budget is not trained again, so a stopped study resumes.
 */
final class GivenEvaluations {

    private static final Logger LOG = LoggerFactory.getLogger(GivenEvaluations.class);

    /**
     * One evaluation: an architecture and the seed of its child (initialization, data order); a null
     * seed asks for one evaluation at whatever seed, the search's own for the child when it trains.
     */
    record Item(Genotype genotype, Long seed) {
        String key() {
            return genotype.id() + "/" + (seed == null ? "any" : seed);
        }
    }

    private GivenEvaluations() {
    }

    /**
     * The rows of the items in search {@code searchId} at {@code proxy}'s child budget, evaluating
     * those the table lacks as one more round of that search.
     */
    static Map<Item, HistoryRecord> evaluate(SparkSession spark, SearchConfig proxy, TrainerFactory trainers,
                                             String searchId, List<Item> items) {
        HistoryTable history = HistoryTable.forWriting(spark, proxy.historyPath(), proxy.historyFormat());
        String budget = proxy.child().budgetKey();
        Map<String, HistoryRecord> have = new LinkedHashMap<>();
        List<HistoryRecord> earlier = history.records(searchId);
        earlier.stream().filter(r -> r.budget().equals(budget)).forEach(r -> known(have, r));
        int round = earlier.stream().mapToInt(HistoryRecord::round).max().orElse(-1) + 1;
        List<ChildTask> tasks = new ArrayList<>();
        Set<String> queued = new HashSet<>();
        for (Item it : items) {
            if (!have.containsKey(it.key()) && queued.add(it.key())) {
                long seed = it.seed() == null ? RoundEngine.childSeed(proxy.seed(), round, tasks.size()) : it.seed();
                tasks.add(new ChildTask(new ChildSpec(searchId, round, tasks.size(), it.genotype().text(), seed),
                        it.genotype().id(), HistoryRecord.GIVEN, 0.0, null, budget, proxy.hash(), null));
            }
        }
        if (!tasks.isEmpty()) {
            LOG.info("{}: {} evaluation(s) at {} (train-limit {})", searchId, tasks.size(), budget,
                    proxy.data().trainLimit());
            String checksum = Preflight.check(proxy, spark.sparkContext().hadoopConfiguration());
            TableHistory rounds = TableHistory.open(spark, proxy, java.time.Instant.now());
            SparkEvaluator evaluator = new SparkEvaluator(spark, proxy.data(), proxy.child(), trainers);
            List<HistoryRecord> rows = evaluator.evaluate(tasks);
            int slots = evaluator.slots();
            rounds.append(rows.stream().map(h -> h.inRound(slots, checksum, null, null, null)).toList());
            rounds.round(searchId, round).forEach(r -> known(have, r));
        }
        Map<Item, HistoryRecord> out = new LinkedHashMap<>();
        for (Item it : items) {
            HistoryRecord r = have.get(it.key());
            if (r == null) {
                throw new IllegalStateException("no row of " + it.key() + " in " + searchId + " after its evaluation");
            }
            out.put(it, r);
        }
        return out;
    }

    /** A row as the evaluation of its seed and as one of its architecture at any seed. */
    private static void known(Map<String, HistoryRecord> have, HistoryRecord r) {
        have.putIfAbsent(r.archId() + "/" + r.seed(), r);
        have.putIfAbsent(r.archId() + "/any", r);
    }
}
