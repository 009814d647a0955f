package io.nasnet.controller;

import io.nasnet.space.Encoding;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Regularized (aging) evolution (Real, Aggarwal, Huang, Le, AAAI 2019), in the NASNet space it was
 * published for: a population of the {@code P} most recent children; each new child is one mutation
 * of the best of {@code S} members drawn at random; the oldest member leaves when a child joins, so
 * an architecture stays only as long as its descendants keep doing well. The first {@code P}
 * children are random. A Spark round asks for its whole population at once: every child's parent
 * comes from a tournament over the population as it stands when the round starts.
 *
 * <p>A mutation changes exactly one decision: one input of one block (the hidden-state mutation) or
 * one op (the op mutation), in the normal or the reduction cell; with {@code identityProbability}
 * none, so that a good architecture may be trained again.
 */
public final class Evolution implements Strategy {

    public static final String NAME = "evolution";
    private static final int MAGIC = 0x4E415345; // "NASE"
    private static final int VERSION = 1;

    /**
     * @param population          P, the members kept (the most recent children)
     * @param sample              S, the members drawn for each tournament
     * @param identityProbability the chance that a child is its parent unchanged
     */
    public record Settings(int population, int sample, double identityProbability) {
        /** The {@code evolution.*} keys of the {@code nasnet} configuration {@code c}, validated. */
        public static Settings from(com.typesafe.config.Config c) {
            return new Settings(c.getInt("evolution.population"), c.getInt("evolution.sample"),
                    c.getDouble("evolution.identity-probability"));
        }

        /**
         * {@link #from} for a search: when the search is an evolution, its population must also fit
         * the search's children ({@code search.max-rounds} x {@code search.population}).
         */
        public static Settings forSearch(com.typesafe.config.Config c) {
            Settings s = from(c);
            int maxRounds = c.getInt("search.max-rounds");
            int children = c.getInt("search.population");
            if (c.getString("search.strategy").trim().equalsIgnoreCase(NAME) && maxRounds > 0
                    && s.population() > maxRounds * children) {
                throw new IllegalArgumentException("evolution.population: " + s.population() + " is more than the "
                        + "search's " + maxRounds * children + " children (search.max-rounds = " + maxRounds
                        + " x search.population = " + children + "): every child would be random");
            }
            return s;
        }

        public Settings {
            if (population < 1) {
                throw new IllegalArgumentException("evolution.population: must be >= 1, got " + population);
            }
            if (sample < 1 || sample > population) {
                throw new IllegalArgumentException("evolution.sample: must be between 1 and evolution.population = "
                        + population + ", got " + sample);
            }
            if (identityProbability < 0 || identityProbability >= 1) {
                throw new IllegalArgumentException("evolution.identity-probability: must be in [0, 1), got "
                        + identityProbability);
            }
        }
    }

    /** A member of the population: its decisions and reward, oldest first. */
    record Member(int[] decisions, double reward) {
    }

    /** What a mutation changed: the decision's position, or -1 for the identity mutation. */
    record Mutation(int[] decisions, int position) {
    }

    private final Encoding encoding;
    private final Settings settings;
    private final SplitMix64 rng;
    private final Deque<Member> population = new ArrayDeque<>();

    public Evolution(Encoding encoding, Settings settings, long seed) {
        this.encoding = encoding;
        this.settings = settings;
        this.rng = new SplitMix64(seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public java.util.Map<String, Object> keptSettings() {
        return keyed(settings);
    }

    /** The settings by configuration key. */
    static java.util.Map<String, Object> keyed(Settings s) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("evolution.population", s.population());
        m.put("evolution.sample", s.sample());
        m.put("evolution.identity-probability", s.identityProbability());
        return m;
    }

    /** The population, oldest first. */
    List<Member> population() {
        return List.copyOf(population);
    }

    @Override
    public String summary() {
        double best = population.stream().mapToDouble(Member::reward).max().orElse(0);
        return String.format(Locale.ROOT, "population %d of %d, best member %.4f", population.size(),
                settings.population(), best);
    }

    @Override
    public List<Sample> sample(int n) {
        List<Member> members = List.copyOf(population);
        int random = members.isEmpty() ? n : Math.min(n, Math.max(0, settings.population() - members.size()));
        double[] zeros = new double[encoding.length()];
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i < random) {
                int[] d = new int[encoding.length()];
                for (int k = 0; k < d.length; k++) {
                    d[k] = rng.nextInt(encoding.slots().get(k).choices());
                }
                out.add(new Sample(encoding.decode(d), d, zeros.clone(), 0, 0, null));
            } else {
                int[] parent = tournament(members).decisions();
                int[] child = mutate(parent).decisions();
                out.add(new Sample(encoding.decode(child), child, zeros.clone(), 0, 0, encoding.decode(parent).id()));
            }
        }
        return out;
    }

    /** The best of S members drawn at random (with replacement, as in the paper); the earliest on ties. */
    Member tournament(List<Member> members) {
        Member best = null;
        int bestAt = -1;
        for (int j = 0; j < settings.sample(); j++) {
            int at = rng.nextInt(members.size());
            Member m = members.get(at);
            if (best == null || m.reward() > best.reward() || (m.reward() == best.reward() && at < bestAt)) {
                best = m;
                bestAt = at;
            }
        }
        return best;
    }

    /** One mutation of {@code parent}: a hidden-state or op mutation of one block, or none. */
    Mutation mutate(int[] parent) {
        int[] d = parent.clone();
        if (rng.nextLong() >>> 11 < settings.identityProbability() * (1L << 53)) {
            return new Mutation(d, -1);
        }
        int cell = rng.nextInt(2);
        int block = rng.nextInt(encoding.blocks());
        boolean hiddenState = rng.nextInt(2) == 0;
        int which = rng.nextInt(2);
        // per block: input 1, input 2, op 1, op 2, combine
        int position = (cell * encoding.blocks() + block) * 5 + (hiddenState ? which : 2 + which);
        int choices = encoding.slots().get(position).choices();
        int other = rng.nextInt(choices - 1);
        d[position] = other >= d[position] ? other + 1 : other;
        return new Mutation(d, position);
    }

    /** The children join in order; the oldest members leave once the population is full. */
    @Override
    public void learn(List<Scored> rows) {
        for (Scored s : rows) {
            population.addLast(new Member(s.decisions().clone(), s.reward()));
            while (population.size() > settings.population()) {
                population.removeFirst();
            }
        }
    }

    /**
     * The first population: the best P of the rows (the earliest on ties), joining worst first so
     * that the best is the youngest and ages out last. With a full population, every child of the
     * first round is a mutation.
     */
    @Override
    public void warmStart(List<Scored> rows) {
        List<Scored> best = new ArrayList<>(rows);
        best.sort(java.util.Comparator.comparingDouble(Scored::reward).reversed());
        List<Scored> kept = new ArrayList<>(best.subList(0, Math.min(settings.population(), best.size())));
        java.util.Collections.reverse(kept);
        learn(kept);
    }

    @Override
    public byte[] checkpoint() {
        return StateBytes.of(out -> {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(encoding.blocks());
            out.writeInt(settings.population());
            out.writeInt(settings.sample());
            out.writeDouble(settings.identityProbability());
            out.writeLong(rng.state());
            out.writeInt(population.size());
            for (Member m : population) {
                out.writeDouble(m.reward());
                for (int v : m.decisions()) {
                    out.writeByte(v);
                }
            }
        });
    }


    /** Restores from {@link #checkpoint()}: it continues exactly where the original stood. */
    public static Evolution restore(byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not an evolution checkpoint (bad magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("evolution checkpoint version " + version + ": this release reads "
                        + "version " + VERSION);
            }
            Encoding encoding = new Encoding(in.readInt());
            Evolution e = new Evolution(encoding, new Settings(in.readInt(), in.readInt(), in.readDouble()), 0);
            e.rng.setState(in.readLong());
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                double reward = in.readDouble();
                int[] d = new int[encoding.length()];
                for (int k = 0; k < d.length; k++) {
                    d[k] = in.readUnsignedByte();
                }
                e.population.addLast(new Member(d, reward));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " bytes after the population");
            }
            return e;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt evolution checkpoint: " + e, e);
        }
    }
}
