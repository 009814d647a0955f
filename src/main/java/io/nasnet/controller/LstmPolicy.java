package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NASNet controller network: a one-layer LSTM that emits the 2 x 5B decisions one after
 * another, each decision's embedding being the next step's input. Every decision kind (input,
 * op, combine) has its own embedding and softmax head; an input decision of block b has 2 + b
 * valid choices and the rest of its head is masked out.
 *
 * <p>Double precision with a hand-written backward pass through time, checked against finite
 * differences. Matrices are arrays of rows and every inner loop runs over whole rows from index
 * 0, which HotSpot vectorizes: an update for 64 architectures takes tens of milliseconds. (Built
 * from ND4J operations, the same network spent 5-7 s per update in per-operation overhead, the
 * matrices being this small.)
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
    private record Step(double[][] x, double[][] hPrev, double[][] cPrev, double[][] gates, double[][] tanhC,
                        double[][] h, double[][] p, int[] chosen, int choices, Encoding.Kind kind) {
    }

    /** The result of a forward pass over n sequences. */
    static final class Rollout {
        final int[][] decisions;
        final double[] logProb;
        final double[] entropy;
        private final List<Step> steps;

        private Rollout(int[][] decisions, double[] logProb, double[] entropy, List<Step> steps) {
            this.decisions = decisions;
            this.logProb = logProb;
            this.entropy = entropy;
            this.steps = steps;
        }
    }

    /**
     * Runs the LSTM over n sequences: draws each decision from the policy with {@code rng} when
     * {@code given} is null, else scores the given decisions (teacher forcing).
     */
    Rollout forward(int n, int[][] given, SplitMix64 rng) {
        int[][] decisions = given != null ? given : new int[n][encoding.length()];
        double[] logProb = new double[n];
        double[] entropy = new double[n];
        List<Step> steps = new ArrayList<>(encoding.length());
        double[][] wx = params.get("wx");
        double[][] wh = params.get("wh");
        double[] b = params.get("b")[0];
        double[][] x = new double[n][];
        for (int r = 0; r < n; r++) {
            x[r] = params.get("start")[0].clone();
        }
        double[][] h = new double[n][hidden];
        double[][] c = new double[n][hidden];
        int hh = hidden;
        for (int t = 0; t < encoding.length(); t++) {
            Encoding.Slot slot = encoding.slots().get(t);
            double[][] gates = new double[n][];
            double[][] cNew = new double[n][hh];
            double[][] tanhC = new double[n][hh];
            double[][] hNew = new double[n][hh];
            for (int r = 0; r < n; r++) {
                double[] z = b.clone();
                multiplyInto(x[r], wx, z);
                multiplyInto(h[r], wh, z);
                for (int j = 0; j < 3 * hh; j++) {
                    z[j] = 1 / (1 + Math.exp(-z[j]));
                }
                for (int j = 3 * hh; j < 4 * hh; j++) {
                    z[j] = Math.tanh(z[j]);
                }
                gates[r] = z;
                for (int j = 0; j < hh; j++) {
                    double cj = z[hh + j] * c[r][j] + z[j] * z[3 * hh + j];
                    cNew[r][j] = cj;
                    tanhC[r][j] = Math.tanh(cj);
                    hNew[r][j] = z[2 * hh + j] * tanhC[r][j];
                }
            }
            int choices = slot.choices();
            double[][] head = params.get("head_" + slot.kind());
            double[] bias = params.get("bias_" + slot.kind())[0];
            double[][] emb = params.get("emb_" + slot.kind());
            double[][] probs = new double[n][];
            int[] chosen = new int[n];
            double[][] xNext = new double[n][];
            for (int r = 0; r < n; r++) {
                double[] logits = bias.clone();
                multiplyInto(hNew[r], head, logits);
                double[] p = softmax(logits, choices);
                probs[r] = p;
                int a = given != null ? given[r][t] : draw(p, rng);
                if (a < 0 || a >= choices) {
                    throw new IllegalArgumentException("decision " + t + " = " + a + " outside [0, " + choices + ")");
                }
                decisions[r][t] = a;
                chosen[r] = a;
                logProb[r] += Math.log(p[a]);
                entropy[r] += entropy(p);
                xNext[r] = emb[a].clone();
            }
            steps.add(new Step(x, h, c, gates, tanhC, hNew, probs, chosen, choices, slot.kind()));
            x = xNext;
            h = hNew;
            c = cNew;
        }
        return new Rollout(decisions, logProb, entropy, steps);
    }

    /**
     * Gradients of {@code sum_r logCoef[r] * logProb[r] + entCoef[r] * entropy[r]} over a rollout,
     * by parameter name.
     */
    Map<String, double[][]> backward(Rollout roll, double[] logCoef, double[] entCoef) {
        int n = logCoef.length;
        int hh = hidden;
        Map<String, double[][]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : params.entrySet()) {
            grads.put(e.getKey(), new double[e.getValue().length][e.getValue()[0].length]);
        }
        double[][] wxT = transpose(params.get("wx"));
        double[][] whT = transpose(params.get("wh"));
        double[][] dhNext = new double[n][hh];
        double[][] dcNext = new double[n][hh];
        for (int t = roll.steps.size() - 1; t >= 0; t--) {
            Step s = roll.steps.get(t);
            int ch = s.choices();
            double[][] headT = transpose(params.get("head_" + s.kind()));
            double[][] dHead = grads.get("head_" + s.kind());
            double[] dBias = grads.get("bias_" + s.kind())[0];
            double[][] dx = new double[n][embedding];
            for (int r = 0; r < n; r++) {
                // d logp / d logits = onehot - p ; d H / d logits = -p (log p + H)
                double[] p = s.p()[r];
                double ent = entropy(p);
                double[] dl = new double[p.length];
                for (int a = 0; a < ch; a++) {
                    double q = p[a];
                    double dEnt = q > 0 ? -q * (Math.log(q) + ent) : 0;
                    dl[a] = logCoef[r] * ((a == s.chosen()[r] ? 1 : 0) - q) + entCoef[r] * dEnt;
                }
                add(dl, dBias);
                outerInto(s.h()[r], dl, dHead);
                double[] dh = dhNext[r];
                multiplyInto(dl, headT, dh);
                double[] g = s.gates()[r];
                double[] dz = new double[4 * hh];
                double[] dcn = new double[hh];
                for (int j = 0; j < hh; j++) {
                    double i = g[j];
                    double f = g[hh + j];
                    double o = g[2 * hh + j];
                    double cand = g[3 * hh + j];
                    double tc = s.tanhC()[r][j];
                    double dc = dh[j] * o * (1 - tc * tc) + dcNext[r][j];
                    dz[j] = dc * cand * i * (1 - i);
                    dz[hh + j] = dc * s.cPrev()[r][j] * f * (1 - f);
                    dz[2 * hh + j] = dh[j] * tc * o * (1 - o);
                    dz[3 * hh + j] = dc * i * (1 - cand * cand);
                    dcn[j] = dc * f;
                }
                dcNext[r] = dcn;
                outerInto(s.x()[r], dz, grads.get("wx"));
                outerInto(s.hPrev()[r], dz, grads.get("wh"));
                add(dz, grads.get("b")[0]);
                multiplyInto(dz, wxT, dx[r]);
                double[] dhPrev = new double[hh];
                multiplyInto(dz, whT, dhPrev);
                dhNext[r] = dhPrev;
            }
            if (t == 0) {
                for (double[] row : dx) {
                    add(row, grads.get("start")[0]);
                }
            } else {
                Step prev = roll.steps.get(t - 1);
                double[][] dEmb = grads.get("emb_" + prev.kind());
                for (int r = 0; r < n; r++) {
                    add(dx[r], dEmb[prev.chosen()[r]]);
                }
            }
        }
        return grads;
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
