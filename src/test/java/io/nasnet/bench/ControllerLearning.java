package io.nasnet.bench;

import io.nasnet.controller.PolicyGradient;
import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.history.HistoryRecord;
import io.nasnet.history.HistoryTable;
import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far a controller's policy moves on real rewards, per setting: the rows of random searches
 * (architectures drawn uniformly, rewards from the real proxy task) are replayed to a fresh PPO
 * controller in the order they were sampled, a minibatch at a time (a search of that population
 * feeds it so), each minibatch's reference log-probabilities taken from the policy just before it
 * learns (as if it had sampled them). The first three quarters of the children teach it; the rest
 * are held out. Figures, medians over controller seeds:
 * <ul>
 *   <li>lift: the mean reward of the held-out architectures weighted by the policy's probability of
 *       each, minus their plain mean: what the policy would gain choosing among them;</li>
 *   <li>gap: mean log-probability of the held-out top quarter minus the bottom quarter (nats);</li>
 *   <li>entropy: the policy's entropy per architecture as a share of the untrained policy's.</li>
 * </ul>
 * Arguments: {@code HISTORY_PATH SEARCH_ID[,SEARCH_ID...] [controller seeds = 3]}.
 */
public final class ControllerLearning {

    private ControllerLearning() {
    }

    /** A controller setting of the grid, by name, with the architectures per update (population = minibatch). */
    record Variant(String name, PolicyGradient.Settings settings) {
    }

    /** One setting's figures after the replay. */
    record Figures(double lift, double gap, double entropyShare) {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ControllerLearning HISTORY_PATH SEARCH_ID[,SEARCH_ID...] [seeds]");
            System.exit(2);
        }
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        SparkSession spark = SparkSession.builder().master("local[1]").appName("controller-learning")
                .config("spark.ui.enabled", "false").getOrCreate();
        HistoryTable table = new HistoryTable(spark, args[0]);
        List<HistoryRecord> rows = new ArrayList<>();
        for (String id : args[1].split(",")) {
            rows.addAll(table.records(id));
        }
        spark.stop();
        int teach = (int) Math.round(rows.size() * 0.75);
        List<HistoryRecord> train = rows.subList(0, teach);
        List<HistoryRecord> held = rows.subList(teach, rows.size());
        System.out.printf(Locale.ROOT, "%d children of %s: %d replayed, %d held out (mean reward %.4f)%n",
                rows.size(), args[1], train.size(), held.size(),
                held.stream().mapToDouble(HistoryRecord::reward).average().orElse(Double.NaN));
        System.out.println("| setting | lift (held out) | top-bottom gap, nats | entropy, share of untrained |");
        System.out.println("|---|---|---|---|");
        for (Variant v : grid()) {
            List<Figures> fs = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                fs.add(replay(v.settings(), s, train, held));
            }
            System.out.printf(Locale.ROOT, "| %s | %+.4f | %.2f | %.3f |%n", v.name(),
                    new Median().evaluate(fs.stream().mapToDouble(Figures::lift).toArray()),
                    new Median().evaluate(fs.stream().mapToDouble(Figures::gap).toArray()),
                    new Median().evaluate(fs.stream().mapToDouble(Figures::entropyShare).toArray()));
        }
    }

    /** The paper's settings and alternatives for budgets of hundreds of children. */
    static List<Variant> grid() {
        PolicyGradient.Settings p = PolicyGradient.Settings.paper();
        Map<String, PolicyGradient.Settings> g = new LinkedHashMap<>();
        g.put("paper: lr 3.5e-4, entropy 1e-5, 4 PPO epochs, minibatch 20", p);
        g.put("lr 1e-3", p.withLearningRate(1e-3));
        g.put("lr 3e-3", p.withLearningRate(3e-3));
        g.put("lr 1e-2", p.withLearningRate(1e-2));
        g.put("lr 3e-3, 10 PPO epochs", with(p.withLearningRate(3e-3), p.entropyWeight(), 10, p.minibatch()));
        g.put("lr 3e-3, minibatch 8", with(p.withLearningRate(3e-3), p.entropyWeight(), p.ppoEpochs(), 8));
        g.put("lr 3e-3, minibatch 4", with(p.withLearningRate(3e-3), p.entropyWeight(), p.ppoEpochs(), 4));
        g.put("lr 3e-3, entropy 1e-3", with(p.withLearningRate(3e-3), 1e-3, p.ppoEpochs(), p.minibatch()));
        g.put("lr 3e-3, entropy 1e-3, minibatch 8", with(p.withLearningRate(3e-3), 1e-3, p.ppoEpochs(), 8));
        g.put("lr 1e-2, minibatch 8", with(p.withLearningRate(1e-2), p.entropyWeight(), p.ppoEpochs(), 8));
        g.put("lr 1e-2, entropy 1e-3, minibatch 8", with(p.withLearningRate(1e-2), 1e-3, p.ppoEpochs(), 8));
        List<Variant> out = new ArrayList<>();
        g.forEach((k, v) -> out.add(new Variant(k, v)));
        return out;
    }

    private static PolicyGradient.Settings with(PolicyGradient.Settings s, double entropy, int epochs, int minibatch) {
        return new PolicyGradient.Settings(s.hidden(), s.embedding(), s.initRange(), s.learningRate(), entropy,
                s.baselineDecay(), s.clip(), epochs, minibatch);
    }

    static Figures replay(PolicyGradient.Settings settings, long seed, List<HistoryRecord> train,
                          List<HistoryRecord> held) {
        Encoding encoding = new Encoding(Genotype.parse(train.get(0).genotype()).blocks());
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, encoding, settings, seed);
        double entropy0 = meanEntropy(ppo.sample(256));
        for (int from = 0; from < train.size(); from += settings.minibatch()) {
            List<HistoryRecord> round = train.subList(from, Math.min(train.size(), from + settings.minibatch()));
            List<int[]> decisions = round.stream().map(h -> encoding.encode(Genotype.parse(h.genotype()))).toList();
            double[] now = ppo.logProbs(decisions);
            List<Scored> rows = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                rows.add(new Scored(decisions.get(i), round.get(i).reward(), now[i]));
            }
            ppo.learn(rows);
        }
        double[] lp = ppo.logProbs(held.stream().map(h -> encoding.encode(Genotype.parse(h.genotype()))).toList());
        double max = Arrays.stream(lp).max().orElse(0);
        double weighted = 0;
        double total = 0;
        for (int i = 0; i < lp.length; i++) {
            double w = Math.exp(lp[i] - max);
            weighted += w * held.get(i).reward();
            total += w;
        }
        double mean = held.stream().mapToDouble(HistoryRecord::reward).average().orElse(0);
        Integer[] order = new Integer[held.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -held.get(i).reward()));
        int q = Math.max(1, order.length / 4);
        double top = 0;
        double bottom = 0;
        for (int i = 0; i < q; i++) {
            top += lp[order[i]] / q;
            bottom += lp[order[order.length - 1 - i]] / q;
        }
        return new Figures(weighted / total - mean, top - bottom, meanEntropy(ppo.sample(256)) / entropy0);
    }

    private static double meanEntropy(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::entropy).average().orElse(Double.NaN);
    }
}
