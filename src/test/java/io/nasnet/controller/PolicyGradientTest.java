package io.nasnet.controller;

import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import io.nasnet.space.Op;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PolicyGradientTest {

    private static final Encoding B5 = new Encoding(5);

    /** Fraction of the genotype's 4B op decisions that satisfy {@code which}. */
    static double opFraction(Genotype g, java.util.function.Predicate<Op> which) {
        int hits = 0;
        int total = 0;
        for (var cell : List.of(g.normal(), g.reduction())) {
            for (var b : cell.blocks()) {
                hits += (which.test(b.op1()) ? 1 : 0) + (which.test(b.op2()) ? 1 : 0);
                total += 2;
            }
        }
        return (double) hits / total;
    }

    /** Fraction of op decisions that are separable convolutions (3 of 13 ops at random: 0.23). */
    static double separableFraction(Genotype g) {
        return opFraction(g, Op::isSeparable);
    }

    /** Fraction of op decisions that are the dilated 3x3 conv (1 of 13 ops at random: 0.077). */
    static double dilatedFraction(Genotype g) {
        return opFraction(g, op -> op == Op.DIL_CONV_3X3);
    }

    private static double train(Strategy s, int rounds, int population, ToDoubleFunction<Genotype> reward) {
        double last = 0;
        for (int r = 0; r < rounds; r++) {
            List<Sample> samples = s.sample(population);
            List<Scored> rows = new ArrayList<>();
            double mean = 0;
            for (Sample x : samples) {
                double rew = reward.applyAsDouble(x.genotype());
                mean += rew / population;
                rows.add(new Scored(x.decisions(), rew, x.logProb()));
            }
            s.learn(rows);
            last = mean;
        }
        return last;
    }

    private static double meanReward(Strategy s, int n, ToDoubleFunction<Genotype> reward) {
        return s.sample(n).stream().mapToDouble(x -> reward.applyAsDouble(x.genotype())).average().orElseThrow();
    }

    private static PolicyGradient.Settings fast() {
        return new PolicyGradient.Settings(32, 32, 0.1, 0.01, 1e-5, 0.95, 0.2, 4, 20);
    }

    @Test
    void ppoLearnsToPreferSeparableConvolutions() {
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, B5, fast(), 1);
        assertThat(meanReward(ppo, 200, PolicyGradientTest::separableFraction)).isLessThan(0.4);
        train(ppo, 100, 20, PolicyGradientTest::separableFraction);
        assertThat(meanReward(ppo, 200, PolicyGradientTest::separableFraction)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void reinforceLearnsToPreferDilatedConvolutions() {
        PolicyGradient reinforce = new PolicyGradient(PolicyGradient.Method.REINFORCE, B5, fast(), 2);
        assertThat(meanReward(reinforce, 200, PolicyGradientTest::dilatedFraction)).isLessThan(0.2);
        train(reinforce, 100, 20, PolicyGradientTest::dilatedFraction);
        assertThat(meanReward(reinforce, 200, PolicyGradientTest::dilatedFraction)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void randomSearchStaysFlat() {
        RandomSearch random = new RandomSearch(B5, 3);
        double before = meanReward(random, 400, PolicyGradientTest::separableFraction);
        train(random, 50, 20, PolicyGradientTest::separableFraction);
        double after = meanReward(random, 400, PolicyGradientTest::separableFraction);
        assertThat(before).isCloseTo(3.0 / 13, within(0.03));
        assertThat(after).isCloseTo(3.0 / 13, within(0.03));
    }

    @Test
    void neverSamplesAnInvalidInput() {
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, B5, fast(), 4);
        // push the policy toward high input indices, which masking must still keep in range
        train(ppo, 10, 20, g -> g.normal().blocks().stream().mapToInt(b -> b.input1() + b.input2()).sum() / 30.0);
        for (Sample s : ppo.sample(3000)) {
            for (int k = 0; k < s.decisions().length; k++) {
                assertThat(s.decisions()[k]).isBetween(0, B5.slots().get(k).choices() - 1);
            }
            assertThat(s.logProb()).isNegative().isFinite();
            assertThat(s.entropy()).isPositive();
            assertThat(java.util.Arrays.stream(s.decisionLogProbs()).sum()).isCloseTo(s.logProb(), within(1e-9));
            assertThat(java.util.Arrays.stream(s.decisionLogProbs()).max().orElseThrow()).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void logProbOfASampleIsWhatTheDecisionsScore() {
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, B5, fast(), 5);
        List<Sample> s = ppo.sample(5);
        int[][] d = s.stream().map(Sample::decisions).toArray(int[][]::new);
        LstmPolicy.Rollout r = ppo.policy().forward(5, d, new SplitMix64(0));
        for (int i = 0; i < 5; i++) {
            assertThat(r.logProb[i]).isCloseTo(s.get(i).logProb(), within(1e-9));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Encoding enc = new Encoding(2);
        PolicyGradient pg = new PolicyGradient(PolicyGradient.Method.PPO, enc,
                new PolicyGradient.Settings(6, 5, 0.5, 0.01, 0.1, 0.95, 0.2, 1, 4), 6);
        LstmPolicy policy = pg.policy();
        int[][] d = pg.sample(4).stream().map(Sample::decisions).toArray(int[][]::new);
        double[] lc = {0.7, -1.3, 0.4, 2.0};
        double[] ec = {0.3, 0.1, -0.5, 0.2};
        Map<String, double[][]> grads = policy.backward(policy.forward(4, d, new SplitMix64(0)), lc, ec);
        int checked = 0;
        for (Map.Entry<String, double[][]> e : policy.params.entrySet()) {
            double[][] p = e.getValue();
            int cols = p[0].length;
            int length = p.length * cols;
            for (int k = 0; k < length; k += Math.max(1, length / 7)) {
                int r = k / cols;
                int c = k % cols;
                double orig = p[r][c];
                p[r][c] = orig + 1e-6;
                double plus = objective(policy, d, lc, ec);
                p[r][c] = orig - 1e-6;
                double minus = objective(policy, d, lc, ec);
                p[r][c] = orig;
                double numeric = (plus - minus) / 2e-6;
                double analytic = grads.get(e.getKey())[r][c];
                assertThat(analytic).as("%s[%d]", e.getKey(), k)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    private static double objective(LstmPolicy policy, int[][] d, double[] lc, double[] ec) {
        LstmPolicy.Rollout r = policy.forward(d.length, d, new SplitMix64(0));
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            sum += lc[i] * r.logProb[i] + ec[i] * r.entropy[i];
        }
        return sum;
    }

    @Test
    void restoredStrategyContinuesExactly() {
        PolicyGradient a = new PolicyGradient(PolicyGradient.Method.PPO, B5, fast(), 7);
        train(a, 3, 20, PolicyGradientTest::separableFraction);
        byte[] saved = a.checkpoint();
        PolicyGradient b = PolicyGradient.restore(saved);
        assertThat(b.checkpoint()).isEqualTo(saved);
        for (int round = 0; round < 3; round++) {
            List<Sample> sa = a.sample(8);
            List<Sample> sb = b.sample(8);
            for (int i = 0; i < 8; i++) {
                assertThat(sb.get(i).decisions()).isEqualTo(sa.get(i).decisions());
                assertThat(sb.get(i).logProb()).isEqualTo(sa.get(i).logProb());
            }
            List<Scored> rows = sa.stream().map(s -> new Scored(s.decisions(), separableFraction(s.genotype()), s.logProb())).toList();
            a.learn(rows);
            b.learn(rows);
        }
        assertThat(b.baseline()).isEqualTo(a.baseline());
        assertThat(b.checkpoint()).isEqualTo(a.checkpoint());

        RandomSearch r = new RandomSearch(B5, 9);
        r.sample(5);
        RandomSearch r2 = RandomSearch.restore(B5, r.checkpoint());
        assertThat(r2.sample(3).get(2).decisions()).isEqualTo(r.sample(3).get(2).decisions());
    }

    @Test
    void corruptCheckpointIsRejected() {
        assertThatThrownBy(() -> PolicyGradient.restore(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}))
                .hasMessageContaining("not a controller checkpoint");
        byte[] ok = new PolicyGradient(PolicyGradient.Method.PPO, B5, fast(), 1).checkpoint();
        assertThatThrownBy(() -> PolicyGradient.restore(java.util.Arrays.copyOf(ok, ok.length / 2)))
                .hasMessageContaining("corrupt controller checkpoint");
        byte[] newer = ok.clone();
        java.nio.ByteBuffer.wrap(newer).putInt(Integer.BYTES, 2);
        assertThatThrownBy(() -> PolicyGradient.restore(newer))
                .hasMessageContaining("controller checkpoint version 2: this release reads version 1 (the checkpoint "
                        + "was written by a newer nasnet-spark");
    }

    @Test
    void baselineIsAnExponentialMovingAverage() {
        PolicyGradient pg = new PolicyGradient(PolicyGradient.Method.REINFORCE, B5, fast(), 8);
        List<Sample> s = pg.sample(2);
        pg.learn(List.of(new Scored(s.get(0).decisions(), 1.0, s.get(0).logProb()),
                new Scored(s.get(1).decisions(), 0.0, s.get(1).logProb())));
        // starts at the first minibatch's mean 0.5, then 0.95 * 0.5 + 0.05 * 1, then 0.95 * that + 0
        assertThat(pg.baseline()).isCloseTo((0.95 * 0.5 + 0.05) * 0.95, within(1e-12));
        assertThat(Op.values()).hasSize(13);
    }
}
