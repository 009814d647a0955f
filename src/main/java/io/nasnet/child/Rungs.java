package io.nasnet.child;

import java.io.Serializable;

/**
 * Successive halving inside a round (Jamieson & Talwalkar 2016; Li et al., Hyperband/ASHA): every child
 * of the round trains to the lowest rung, a fraction 1/eta^(rungs-1) of the proxy's steps; the best
 * 1/eta of those at a rung continue, from their saved state, to the next, eta times as many steps;
 * the last rung is the whole proxy, so a child that reaches it has exactly the reward it would have
 * had without rungs (the learning-rate schedule always spans the whole proxy).
 *
 * @param rungs 1 = off: every child trains the whole proxy in one go
 * @param eta   the promotion ratio: 1 of every eta children goes on, each rung eta times the steps
 */
public record Rungs(int rungs, int eta) implements Serializable {

    public static final Rungs OFF = new Rungs(1, 3);

    public Rungs {
        if (rungs < 1) {
            throw new IllegalArgumentException("search.rungs: must be >= 1 (1 = off), got " + rungs);
        }
        if (rungs > 1 && eta < 2) {
            throw new IllegalArgumentException("search.eta: must be >= 2 with search.rungs = " + rungs + ", got " + eta);
        }
    }

    public boolean on() {
        return rungs > 1;
    }

    /** The last rung's index. */
    public int top() {
        return rungs - 1;
    }

    /**
     * The step each rung trains to, of a proxy of {@code totalSteps}: {@code round(total / eta^(top - r))},
     * the last rung all of them. Fails naming the keys when a rung would get no steps of its own.
     */
    public long[] boundaries(long totalSteps) {
        long[] b = new long[rungs];
        for (int r = 0; r < rungs; r++) {
            b[r] = Math.round(totalSteps / Math.pow(eta, top() - r));
            if (b[r] < 1 || (r > 0 && b[r] <= b[r - 1])) {
                throw new IllegalArgumentException("search.rungs = " + rungs + " with search.eta = " + eta + " splits a "
                        + "proxy of only " + totalSteps + " training steps (child.epochs x training images / "
                        + "child.batch-size): rung " + r + " would train no step of its own. Use fewer rungs, a smaller "
                        + "eta, or a longer proxy");
            }
        }
        return b;
    }

    /**
     * How many of {@code n} children train at each rung: n at the first, then
     * {@code floor(previous / eta)} but never fewer than one.
     */
    public int[] counts(int n) {
        int[] c = new int[rungs];
        c[0] = n;
        for (int r = 1; r < rungs; r++) {
            c[r] = Math.max(1, c[r - 1] / eta);
        }
        return c;
    }

    /** Refuses a population too small for every promotion to choose: fewer than eta^(rungs-1) children. */
    public void requirePopulation(int population) {
        if (on() && population < Math.pow(eta, top())) {
            throw new IllegalArgumentException("search.population = " + population + " is smaller than search.eta^"
                    + "(search.rungs - 1) = " + (long) Math.pow(eta, top()) + ": with search.rungs = " + rungs
                    + " and search.eta = " + eta + " a rung would promote a child without a choice. Raise the "
                    + "population or lower search.rungs or search.eta");
        }
    }
}
