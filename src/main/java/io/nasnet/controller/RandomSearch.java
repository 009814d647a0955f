package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The paper's baseline: every decision uniform over its valid choices; learning does nothing. */
public final class RandomSearch implements Strategy {

    public static final String NAME = "random";

    private final Encoding encoding;
    private final SplitMix64 rng;

    public RandomSearch(Encoding encoding, long seed) {
        this.encoding = encoding;
        this.rng = new SplitMix64(seed);
    }

    /** Restores from {@link #checkpoint()}. */
    public static RandomSearch restore(Encoding encoding, byte[] checkpoint) {
        return new RandomSearch(encoding, ByteBuffer.wrap(checkpoint).getLong());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Sample> sample(int n) {
        List<Sample> out = new ArrayList<>(n);
        double[] perDecision = new double[encoding.length()];
        double logProb = 0;
        for (int k = 0; k < perDecision.length; k++) {
            perDecision[k] = -Math.log(encoding.slots().get(k).choices());
            logProb += perDecision[k];
        }
        for (int i = 0; i < n; i++) {
            int[] d = new int[encoding.length()];
            for (int k = 0; k < d.length; k++) {
                d[k] = rng.nextInt(encoding.slots().get(k).choices());
            }
            out.add(new Sample(encoding.decode(d), d, perDecision.clone(), logProb, -logProb, null));
        }
        return out;
    }

    @Override
    public void learn(List<Scored> rows) {
    }

    @Override
    public byte[] checkpoint() {
        return ByteBuffer.allocate(Long.BYTES).putLong(rng.state()).array();
    }
}
