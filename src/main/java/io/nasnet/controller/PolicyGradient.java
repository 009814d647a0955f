package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The paper's controller: an {@link LstmPolicy} trained by policy gradient from the children's
 * rewards, with an exponential-moving-average baseline, an entropy bonus and Adam. PPO (the
 * paper's choice: clipped probability ratio against the policy that sampled, several epochs per
 * minibatch) or REINFORCE.
 */
public final class PolicyGradient implements Strategy {

    /** Which update rule. */
    public enum Method {
        PPO, REINFORCE
    }

    /**
     * Settings; {@link #paper()} has the paper's values.
     *
     * @param minibatch     architectures per update (rows are split into minibatches in order)
     * @param ppoEpochs     passes over each minibatch (PPO only)
     */
    public record Settings(int hidden, int embedding, double initRange, double learningRate, double entropyWeight,
                           double baselineDecay, double clip, int ppoEpochs, int minibatch) {

        /** The {@code controller.*} keys of the {@code nasnet} configuration {@code c}, validated. */
        public static Settings from(com.typesafe.config.Config c) {
            try {
                return new Settings(c.getInt("controller.hidden"), c.getInt("controller.embedding"),
                        c.getDouble("controller.init-range"), c.getDouble("controller.learning-rate"),
                        c.getDouble("controller.entropy-weight"), c.getDouble("controller.baseline-decay"),
                        c.getDouble("controller.ppo-clip"), c.getInt("controller.ppo-epochs"),
                        c.getInt("controller.minibatch"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("controller: " + e.getMessage(), e);
            }
        }

        public Settings {
            if (hidden < 1 || embedding < 1 || minibatch < 1 || ppoEpochs < 1) {
                throw new IllegalArgumentException("controller sizes must be >= 1");
            }
            if (learningRate <= 0 || baselineDecay < 0 || baselineDecay >= 1 || clip <= 0 || initRange <= 0) {
                throw new IllegalArgumentException("invalid controller settings: " + this);
            }
        }

        /** One-layer LSTM of 100 units, U(-0.1, 0.1), Adam 0.00035, entropy 0.00001, baseline decay 0.95, minibatch 20. */
        public static Settings paper() {
            return new Settings(100, 100, 0.1, 0.00035, 0.00001, 0.95, 0.2, 4, 20);
        }

        public Settings withLearningRate(double lr) {
            return new Settings(hidden, embedding, initRange, lr, entropyWeight, baselineDecay, clip, ppoEpochs, minibatch);
        }
    }

    private static final int MAGIC = 0x4E415343; // "NASC"
    /** The checkpoint's format; a release reads the versions it knows (docs/cluster.md, Upgrades). */
    private static final int VERSION = 1;

    private final Method method;
    private final Settings settings;
    private final LstmPolicy policy;
    private final SplitMix64 rng;
    private final Map<String, double[][]> adamM = new LinkedHashMap<>();
    private final Map<String, double[][]> adamV = new LinkedHashMap<>();
    private long adamSteps;
    private long updates;
    private double baseline;
    private boolean hasBaseline;

    public PolicyGradient(Method method, Encoding encoding, Settings settings, long seed) {
        this.method = Objects.requireNonNull(method);
        this.settings = settings;
        this.rng = new SplitMix64(seed);
        this.policy = new LstmPolicy(encoding, settings.hidden(), settings.embedding(), settings.initRange(), rng);
        for (Map.Entry<String, double[][]> e : policy.params.entrySet()) {
            adamM.put(e.getKey(), new double[e.getValue().length][e.getValue()[0].length]);
            adamV.put(e.getKey(), new double[e.getValue().length][e.getValue()[0].length]);
        }
    }

    @Override
    public String name() {
        return method.name().toLowerCase(Locale.ROOT);
    }

    /** The settings it was created with, which a restored controller keeps. */
    public Settings settings() {
        return settings;
    }

    @Override
    public Map<String, Object> keptSettings() {
        return keyed(settings);
    }

    /** The settings by configuration key. */
    static Map<String, Object> keyed(Settings s) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("controller.hidden", s.hidden());
        m.put("controller.embedding", s.embedding());
        m.put("controller.init-range", s.initRange());
        m.put("controller.learning-rate", s.learningRate());
        m.put("controller.entropy-weight", s.entropyWeight());
        m.put("controller.baseline-decay", s.baselineDecay());
        m.put("controller.ppo-clip", s.clip());
        m.put("controller.ppo-epochs", s.ppoEpochs());
        m.put("controller.minibatch", s.minibatch());
        return m;
    }

    public double baseline() {
        return baseline;
    }

    public long updates() {
        return updates;
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "baseline %.4f after %d updates", baseline, updates);
    }

    @Override
    public List<Sample> sample(int n) {
        LstmPolicy.Rollout r = policy.forward(n, null, rng);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Sample(policy.encoding().decode(r.decisions[i]), r.decisions[i], r.decisionLogProbs[i],
                    r.logProb[i], r.entropy[i], null));
        }
        return out;
    }

    /**
     * Offline learning from rows another strategy sampled: in minibatches, in order, each scored
     * against the policy as it stands (so PPO's ratio starts at 1), as if it had sampled them.
     */
    @Override
    public void warmStart(List<Scored> rows) {
        for (int from = 0; from < rows.size(); from += settings.minibatch()) {
            List<Scored> batch = rows.subList(from, Math.min(rows.size(), from + settings.minibatch()));
            double[] now = logProbs(batch.stream().map(Scored::decisions).toList());
            List<Scored> own = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                own.add(new Scored(batch.get(i).decisions(), batch.get(i).reward(), now[i]));
            }
            learn(own);
        }
    }

    /** The log-probability the policy gives each architecture now (scoring; draws no random numbers). */
    public double[] logProbs(List<int[]> decisions) {
        if (decisions.isEmpty()) {
            return new double[0];
        }
        return policy.forward(decisions.size(), decisions.toArray(int[][]::new), rng).logProb.clone();
    }

    @Override
    public void learn(List<Scored> rows) {
        if (rows.isEmpty()) {
            return;
        }
        for (int from = 0; from < rows.size(); from += settings.minibatch()) {
            List<Scored> batch = rows.subList(from, Math.min(rows.size(), from + settings.minibatch()));
            double[] advantage = new double[batch.size()];
            if (!hasBaseline) {
                baseline = batch.stream().mapToDouble(Scored::reward).average().orElse(0);
                hasBaseline = true;
            }
            for (int i = 0; i < advantage.length; i++) {
                advantage[i] = batch.get(i).reward() - baseline;
            }
            int epochs = method == Method.PPO ? settings.ppoEpochs() : 1;
            for (int e = 0; e < epochs; e++) {
                step(batch, advantage);
            }
            for (Scored s : batch) {
                baseline = settings.baselineDecay() * baseline + (1 - settings.baselineDecay()) * s.reward();
            }
            updates++;
        }
    }

    /** One gradient step on a minibatch. */
    private void step(List<Scored> batch, double[] advantage) {
        int n = batch.size();
        int[][] decisions = new int[n][];
        for (int i = 0; i < n; i++) {
            decisions[i] = batch.get(i).decisions();
        }
        LstmPolicy.Rollout r = policy.forward(n, decisions, rng);
        double[] logCoef = new double[n];
        double[] entCoef = new double[n];
        for (int i = 0; i < n; i++) {
            double a = advantage[i];
            if (method == Method.PPO) {
                double ratio = Math.exp(r.logProb[i] - batch.get(i).logProb());
                boolean clipped = a >= 0 ? ratio > 1 + settings.clip() : ratio < 1 - settings.clip();
                logCoef[i] = clipped ? 0 : -a * ratio / n;
            } else {
                logCoef[i] = -a / n;
            }
            entCoef[i] = -settings.entropyWeight() / n;
        }
        adam(policy.backward(r, logCoef, entCoef));
    }

    private void adam(Map<String, double[][]> grads) {
        adamSteps++;
        double b1 = 0.9;
        double b2 = 0.999;
        double lr = settings.learningRate() * Math.sqrt(1 - Math.pow(b2, adamSteps)) / (1 - Math.pow(b1, adamSteps));
        for (Map.Entry<String, double[][]> e : grads.entrySet()) {
            double[][] g = e.getValue();
            double[][] m = adamM.get(e.getKey());
            double[][] v = adamV.get(e.getKey());
            double[][] p = policy.params.get(e.getKey());
            for (int r = 0; r < g.length; r++) {
                for (int j = 0; j < g[r].length; j++) {
                    m[r][j] = b1 * m[r][j] + (1 - b1) * g[r][j];
                    v[r][j] = b2 * v[r][j] + (1 - b2) * g[r][j] * g[r][j];
                    p[r][j] -= lr * m[r][j] / (Math.sqrt(v[r][j]) + 1e-8);
                }
            }
        }
    }

    private static void write(double[][] m, DataOutputStream out) throws IOException {
        for (double[] row : m) {
            for (double x : row) {
                out.writeDouble(x);
            }
        }
    }

    private static void read(double[][] m, DataInputStream in) throws IOException {
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = in.readDouble();
            }
        }
    }

    // ---- checkpoint ----

    @Override
    public byte[] checkpoint() {
        return StateBytes.of(out -> {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(method.name());
            out.writeInt(policy.encoding().blocks());
            Settings s = settings;
            out.writeInt(s.hidden());
            out.writeInt(s.embedding());
            out.writeDouble(s.initRange());
            out.writeDouble(s.learningRate());
            out.writeDouble(s.entropyWeight());
            out.writeDouble(s.baselineDecay());
            out.writeDouble(s.clip());
            out.writeInt(s.ppoEpochs());
            out.writeInt(s.minibatch());
            out.writeLong(rng.state());
            out.writeLong(adamSteps);
            out.writeLong(updates);
            out.writeBoolean(hasBaseline);
            out.writeDouble(baseline);
            for (String key : policy.params.keySet()) {
                write(policy.params.get(key), out);
                write(adamM.get(key), out);
                write(adamV.get(key), out);
            }
        });
    }


    /** Restores a strategy from {@link #checkpoint()}: it continues exactly where the original stood. */
    public static PolicyGradient restore(byte[] checkpoint) {
        if (checkpoint.length < Integer.BYTES || java.nio.ByteBuffer.wrap(checkpoint).getInt() != MAGIC) {
            throw new IllegalArgumentException("not a controller checkpoint (bad magic number)");
        }
        int version = checkpoint.length < 2 * Integer.BYTES ? -1 : java.nio.ByteBuffer.wrap(checkpoint).getInt(Integer.BYTES);
        if (version != VERSION) {
            throw new IllegalArgumentException("controller checkpoint version " + version + ": this release reads version "
                    + VERSION + (version > VERSION ? " (the checkpoint was written by a newer nasnet-spark: continue the "
                    + "search with that release, or start a new search id)" : ""));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            in.readInt();
            in.readInt();
            Method method = Method.valueOf(in.readUTF());
            Encoding encoding = new Encoding(in.readInt());
            Settings s = new Settings(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readInt(), in.readInt());
            long rngState = in.readLong();
            PolicyGradient pg = new PolicyGradient(method, encoding, s, 0);
            pg.rng.setState(rngState);
            pg.adamSteps = in.readLong();
            pg.updates = in.readLong();
            pg.hasBaseline = in.readBoolean();
            pg.baseline = in.readDouble();
            for (String key : pg.policy.params.keySet()) {
                read(pg.policy.params.get(key), in);
                read(pg.adamM.get(key), in);
                read(pg.adamV.get(key), in);
            }
            return pg;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt controller checkpoint: " + e, e);
        }
    }

    /** The policy network, for gradient checks. */
    LstmPolicy policy() {
        return policy;
    }
}
