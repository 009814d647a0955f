package io.nasnet.bench;

import io.nasnet.controller.PolicyGradient;
import io.nasnet.controller.Sample;
import io.nasnet.controller.Scored;
import io.nasnet.space.Encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Driver-side cost of the controller with the paper's settings (LSTM of 100 units, B = 5,
 * minibatches of 20, 4 PPO epochs): the median time to sample 64 architectures and to learn from
 * them. Argument: {@code [rounds]}.
 */
public final class ControllerSpeed {

    private ControllerSpeed() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        PolicyGradient ppo = new PolicyGradient(PolicyGradient.Method.PPO, new Encoding(5),
                PolicyGradient.Settings.paper(), 1);
        SplittableRandom rewards = new SplittableRandom(2);
        double[] sample = new double[rounds];
        double[] learn = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            List<Sample> s = ppo.sample(64);
            long t1 = System.nanoTime();
            List<Scored> rows = new ArrayList<>();
            for (Sample x : s) {
                rows.add(new Scored(x.decisions(), rewards.nextDouble(), x.logProb()));
            }
            ppo.learn(rows);
            long t2 = System.nanoTime();
            sample[r] = (t1 - t0) / 1e6;
            learn[r] = (t2 - t1) / 1e6;
        }
        Arrays.sort(sample);
        Arrays.sort(learn);
        System.out.printf("controller (PPO, LSTM 100, B=5): sample 64 architectures %.0f ms, learn from 64 "
                + "(%d minibatches x %d epochs) %.0f ms; medians of %d rounds%n", sample[rounds / 2],
                (64 + 19) / 20, PolicyGradient.Settings.paper().ppoEpochs(), learn[rounds / 2], rounds);
    }
}
