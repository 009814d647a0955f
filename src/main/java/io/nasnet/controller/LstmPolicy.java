package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The NASNet controller network: a one-layer LSTM that emits the 2 x 5B decisions one after
 * another, each decision's embedding being the next step's input. Every decision kind (input,
 * op, combine) has its own embedding and softmax head; an input decision of block b has 2 + b
 * valid choices and the rest of its head is masked out.
 *
 * <p>Double precision with a hand-written backward pass through time, checked against finite
 * differences. Matrices are arrays of rows and every inner loop runs over whole rows from index
 * 0, which HotSpot vectorizes; sequences run in parallel. (Built from ND4J operations, the same
 * network spent 5-7 s per update for 64 architectures in per-operation overhead, the matrices
 * being this small.)
 */
final class LstmPolicy {

    private final Encoding encoding;
    private final int hidden;
    private final int embedding;
    /** Parameters by name, in a fixed order (the checkpoint's); each a matrix of rows. */
    final Map<String, double[][]> params = new LinkedHashMap<>();

    LstmPolicy(Encoding encoding, int hidden, int embedding, double initRange, SplitMix64 rng) {
        this.encoding = encoding;
        this.hidden = hidden;
        this.embedding = embedding;
        params.put("start", new double[1][embedding]);
        for (Encoding.Kind k : Encoding.Kind.values()) {
            params.put("emb_" + k, new double[Encoding.width(k, encoding.blocks())][embedding]);
        }
        params.put("wx", new double[embedding][4 * hidden]);
        params.put("wh", new double[hidden][4 * hidden]);
        params.put("b", new double[1][4 * hidden]);
        for (Encoding.Kind k : Encoding.Kind.values()) {
            params.put("head_" + k, new double[hidden][Encoding.width(k, encoding.blocks())]);
            params.put("bias_" + k, new double[1][Encoding.width(k, encoding.blocks())]);
        }
        for (double[][] p : params.values()) {
            for (double[] row : p) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (2 * rng.nextDouble() - 1) * initRange;
                }
            }
        }
    }

    Encoding encoding() {
        return encoding;
    }

    /** What one step keeps for the backward pass; gates hold i, f, o (sigmoid) and g (tanh), each of width H. */
    private record Step(double[] x, double[] hPrev, double[] cPrev, double[] gates, double[] tanhC, double[] h,
                        double[] p, int chosen, int choices, Encoding.Kind kind) {
    }

    /** The result of a forward pass over n sequences. */
    static final class Rollout {
        final int[][] decisions;
        final double[][] decisionLogProbs;
        final double[] logProb;
        final double[] entropy;
        private final Step[][] steps;

        private Rollout(int n, int length) {
            decisions = new int[n][];
            decisionLogProbs = new double[n][length];
            logProb = new double[n];
            entropy = new double[n];
            steps = new Step[n][length];
        }
    }

    /** Rows are processed in this many fixed chunks, so gradient sums do not depend on the core count. */
    private static final int CHUNKS = 4;

    /**
     * Runs the LSTM over n sequences: draws each decision from the policy when {@code given} is
     * null (each row with its own generator, seeded in order from {@code rng}), else scores the
     * given decisions (teacher forcing). Rows run in parallel.
     */
    Rollout forward(int n, int[][] given, SplitMix64 rng) {
        Rollout roll = new Rollout(n, encoding.length());
        long[] seeds = new long[n];
        if (given == null) {
            for (int r = 0; r < n; r++) {
                seeds[r] = rng.nextLong();
            }
        }
        IntStream.range(0, n).parallel().forEach(r -> forwardRow(roll, r,
                given != null ? given[r] : new int[encoding.length()], given == null ? new SplitMix64(seeds[r]) : null));
        return roll;
    }

    private void forwardRow(Rollout roll, int r, int[] decisions, SplitMix64 rng) {
        double[][] wx = params.get("wx");
        double[][] wh = params.get("wh");
        double[] b = params.get("b")[0];
        double[] x = params.get("start")[0].clone();
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        int hh = hidden;
        for (int t = 0; t < encoding.length(); t++) {
            Encoding.Slot slot = encoding.slots().get(t);
            double[] z = b.clone();
            multiplyInto(x, wx, z);
            multiplyInto(h, wh, z);
            for (int j = 0; j < 3 * hh; j++) {
                z[j] = 1 / (1 + Math.exp(-z[j]));
            }
            for (int j = 3 * hh; j < 4 * hh; j++) {
                z[j] = Math.tanh(z[j]);
            }
            double[] cNew = new double[hh];
            double[] tanhC = new double[hh];
            double[] hNew = new double[hh];
            for (int j = 0; j < hh; j++) {
                cNew[j] = z[hh + j] * c[j] + z[j] * z[3 * hh + j];
                tanhC[j] = Math.tanh(cNew[j]);
                hNew[j] = z[2 * hh + j] * tanhC[j];
            }
            int choices = slot.choices();
            double[] logits = params.get("bias_" + slot.kind())[0].clone();
            multiplyInto(hNew, params.get("head_" + slot.kind()), logits);
            double[] p = softmax(logits, choices);
            int a = rng != null ? draw(p, rng) : decisions[t];
            if (a < 0 || a >= choices) {
                throw new IllegalArgumentException("decision " + t + " = " + a + " outside [0, " + choices + ")");
            }
            decisions[t] = a;
            roll.decisionLogProbs[r][t] = Math.log(p[a]);
            roll.logProb[r] += roll.decisionLogProbs[r][t];
            roll.entropy[r] += entropy(p);
            roll.steps[r][t] = new Step(x, h, c, z, tanhC, hNew, p, a, choices, slot.kind());
            x = params.get("emb_" + slot.kind())[a].clone();
            h = hNew;
            c = cNew;
        }
        roll.decisions[r] = decisions;
    }

    /**
     * Gradients of {@code sum_r logCoef[r] * logProb[r] + entCoef[r] * entropy[r]} over a rollout,
     * by parameter name.
     */
    Map<String, double[][]> backward(Rollout roll, double[] logCoef, double[] entCoef) {
        int n = logCoef.length;
        double[][] wxT = transpose(params.get("wx"));
        double[][] whT = transpose(params.get("wh"));
        Map<Encoding.Kind, double[][]> headT = new java.util.EnumMap<>(Encoding.Kind.class);
        for (Encoding.Kind k : Encoding.Kind.values()) {
            headT.put(k, transpose(params.get("head_" + k)));
        }
        List<Map<String, double[][]>> partial = IntStream.range(0, CHUNKS).parallel().mapToObj(chunk -> {
            Map<String, double[][]> grads = zeros();
            for (int r = chunk; r < n; r += CHUNKS) {
                backwardRow(roll.steps[r], logCoef[r], entCoef[r], wxT, whT, headT, grads);
            }
            return grads;
        }).toList();
        Map<String, double[][]> grads = partial.get(0);
        for (int i = 1; i < partial.size(); i++) {
            for (Map.Entry<String, double[][]> e : partial.get(i).entrySet()) {
                double[][] into = grads.get(e.getKey());
                for (int row = 0; row < into.length; row++) {
                    add(e.getValue()[row], into[row]);
                }
            }
        }
        return grads;
    }

    private Map<String, double[][]> zeros() {
        Map<String, double[][]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : params.entrySet()) {
            grads.put(e.getKey(), new double[e.getValue().length][e.getValue()[0].length]);
        }
        return grads;
    }

    private void backwardRow(Step[] steps, double logCoef, double entCoef, double[][] wxT, double[][] whT,
                             Map<Encoding.Kind, double[][]> headT, Map<String, double[][]> grads) {
        int hh = hidden;
        double[] dhNext = new double[hh];
        double[] dcNext = new double[hh];
        for (int t = steps.length - 1; t >= 0; t--) {
            Step s = steps[t];
            int ch = s.choices();
            // d logp / d logits = onehot - p ; d H / d logits = -p (log p + H)
            double[] p = s.p();
            double ent = entropy(p);
            double[] dl = new double[p.length];
            for (int a = 0; a < ch; a++) {
                double q = p[a];
                double dEnt = q > 0 ? -q * (Math.log(q) + ent) : 0;
                dl[a] = logCoef * ((a == s.chosen() ? 1 : 0) - q) + entCoef * dEnt;
            }
            add(dl, grads.get("bias_" + s.kind())[0]);
            outerInto(s.h(), dl, grads.get("head_" + s.kind()));
            double[] dh = dhNext;
            multiplyInto(dl, headT.get(s.kind()), dh);
            double[] g = s.gates();
            double[] dz = new double[4 * hh];
            double[] dcn = new double[hh];
            for (int j = 0; j < hh; j++) {
                double i = g[j];
                double f = g[hh + j];
                double o = g[2 * hh + j];
                double cand = g[3 * hh + j];
                double tc = s.tanhC()[j];
                double dc = dh[j] * o * (1 - tc * tc) + dcNext[j];
                dz[j] = dc * cand * i * (1 - i);
                dz[hh + j] = dc * s.cPrev()[j] * f * (1 - f);
                dz[2 * hh + j] = dh[j] * tc * o * (1 - o);
                dz[3 * hh + j] = dc * i * (1 - cand * cand);
                dcn[j] = dc * f;
            }
            dcNext = dcn;
            outerInto(s.x(), dz, grads.get("wx"));
            outerInto(s.hPrev(), dz, grads.get("wh"));
            add(dz, grads.get("b")[0]);
            double[] dx = new double[embedding];
            multiplyInto(dz, wxT, dx);
            dhNext = new double[hh];
            multiplyInto(dz, whT, dhNext);
            if (t == 0) {
                add(dx, grads.get("start")[0]);
            } else {
                add(dx, grads.get("emb_" + steps[t - 1].kind())[steps[t - 1].chosen()]);
            }
        }
    }

    // ---- row kernels: every loop runs over whole arrays from 0, so HotSpot vectorizes it ----

    /** out += v (1 x k) times m (k x w). */
    private static void multiplyInto(double[] v, double[][] m, double[] out) {
        for (int k = 0; k < v.length; k++) {
            double a = v[k];
            if (a != 0) {
                axpy(a, m[k], out);
            }
        }
    }

    /** m (k x w) += u (k) outer v (w). */
    private static void outerInto(double[] u, double[] v, double[][] m) {
        for (int k = 0; k < u.length; k++) {
            if (u[k] != 0) {
                axpy(u[k], v, m[k]);
            }
        }
    }

    private static void axpy(double a, double[] x, double[] y) {
        int len = Math.min(x.length, y.length);
        for (int j = 0; j < len; j++) {
            y[j] += a * x[j];
        }
    }

    private static void add(double[] x, double[] y) {
        int len = Math.min(x.length, y.length);
        for (int j = 0; j < len; j++) {
            y[j] += x[j];
        }
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    /** Softmax over the first {@code valid} logits; the masked rest get probability 0. */
    private static double[] softmax(double[] logits, int valid) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < valid; a++) {
            max = Math.max(max, logits[a]);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int a = 0; a < valid; a++) {
            p[a] = Math.exp(logits[a] - max);
            sum += p[a];
        }
        for (int a = 0; a < valid; a++) {
            p[a] /= sum;
        }
        return p;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double q : p) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    private static int draw(double[] p, SplitMix64 rng) {
        double u = rng.nextDouble();
        double acc = 0;
        int last = 0;
        for (int a = 0; a < p.length; a++) {
            if (p[a] > 0) {
                acc += p[a];
                last = a;
                if (u < acc) {
                    return a;
                }
            }
        }
        return last;
    }
}
