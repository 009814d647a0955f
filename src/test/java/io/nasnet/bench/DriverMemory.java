package io.nasnet.bench;

import io.nasnet.child.MemoryProbe;
import io.nasnet.controller.PolicyGradient;
import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.engine.Screen;
import io.nasnet.space.Encoding;
import io.nasnet.surrogate.Predictor;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a driver holds over a night, measured: a Spark session, the controller (PPO with the
 * paper's settings, sampling and learning every round), every row of the night (architecture and
 * reward), and the predictor refitted on them. Prints the heap in use after a collection and the
 * process's resident memory after each part, and its peak. In local mode the predictor's Spark tasks
 * run in this process too, so the figures are an upper bound on a cluster's driver. Arguments:
 * {@code [rounds=100] [population=8]}.
 */
public final class DriverMemory {

    private DriverMemory() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int population = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        SparkSession spark = SparkSession.builder().master("local[1]").appName("driver-memory")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.range(1).count();
        report("Spark session", 0);
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, new Encoding(5),
                PolicyGradient.Settings.paper(), 1);
        SplittableRandom rewards = new SplittableRandom(2);
        List<Screen.Example> rows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Sample> sampled = ppo.sample(population);
            List<Scored> scored = new ArrayList<>();
            for (Sample s : sampled) {
                double reward = 0.6 + 0.2 * rewards.nextDouble();
                scored.add(new Scored(s.decisions(), reward, s.logProb()));
                rows.add(new Screen.Example(s.genotype(), reward));
            }
            ppo.learn(scored);
        }
        report("the controller after " + rounds + " rounds of " + population, rows.size());
        Screen.Fit fit = Predictor.fit(spark, rows, 1, 7);
        report("the predictor fitted (" + fit.note() + ")", rows.size());
        System.out.printf(Locale.ROOT, "driver: peak RSS %.0f MB%n", MemoryProbe.status("VmHWM:") / 1e6);
        spark.stop();
    }

    private static void report(String after, int rows) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "after %s: heap used %.0f MB, RSS %.0f MB, %d rows%n", after, heap / 1e6,
                MemoryProbe.status("VmRSS:") / 1e6, rows);
    }
}
