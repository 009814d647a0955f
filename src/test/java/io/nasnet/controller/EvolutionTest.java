package io.nasnet.controller;

import io.nasnet.space.Encoding;
import io.nasnet.space.Genotype;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvolutionTest {

    static final Encoding B5 = new Encoding(5);

    static Evolution evolution(int population, int sample, double identity, long seed) {
        return new Evolution(B5, new Evolution.Settings(population, sample, identity), seed);
    }

    static List<Scored> scored(List<Sample> samples, double... rewards) {
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            out.add(new Scored(samples.get(i).decisions(), rewards[i], 0));
        }
        return out;
    }

    @Test
    void aMutationChangesExactlyOneInputOrOpToAnotherValidChoiceOrNothing() {
        Evolution e = evolution(10, 3, 0.1, 7);
        int identities = 0;
        java.util.Set<Encoding.Kind> kinds = java.util.EnumSet.noneOf(Encoding.Kind.class);
        for (int i = 0; i < 2_000; i++) {
            int[] parent = B5.encode(B5.random(new java.util.Random(i)));
            Evolution.Mutation m = e.mutate(parent);
            Genotype child = B5.decode(m.decisions());
            List<Integer> changed = new ArrayList<>();
            for (int k = 0; k < parent.length; k++) {
                if (parent[k] != m.decisions()[k]) {
                    changed.add(k);
                }
            }
            if (m.position() < 0) {
                identities++;
                assertThat(changed).isEmpty();
                assertThat(child).isEqualTo(B5.decode(parent));
            } else {
                assertThat(changed).containsExactly(m.position());
                Encoding.Slot slot = B5.slots().get(m.position());
                assertThat(slot.kind()).isIn(Encoding.Kind.INPUT, Encoding.Kind.OP);
                assertThat(m.decisions()[m.position()]).isBetween(0, slot.choices() - 1);
                assertThat(child.id()).isNotEqualTo(B5.decode(parent).id());
                kinds.add(slot.kind());
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Encoding.Kind.INPUT, Encoding.Kind.OP);
        assertThat(identities).as("about 10% identity mutations").isBetween(150, 250);
    }

    @Test
    void theFirstPChildrenAreRandomAndTheRestAreMutationsOfMembers() {
        Evolution e = evolution(5, 2, 0.0, 3);
        List<Sample> first = e.sample(3);
        assertThat(first).extracting(Sample::parent).containsOnlyNulls();
        e.learn(scored(first, 0.1, 0.2, 0.3));
        // a round that fills the population: two random children, then mutations of the three members
        List<Sample> second = e.sample(4);
        assertThat(second.subList(0, 2)).extracting(Sample::parent).containsOnlyNulls();
        List<String> members = first.stream().map(s -> s.genotype().id()).toList();
        assertThat(second.subList(2, 4)).extracting(Sample::parent).allMatch(members::contains);
        e.learn(scored(second, 0.4, 0.5, 0.6, 0.7));
        assertThat(e.sample(5)).extracting(Sample::parent).doesNotContainNull();
    }

    @Test
    void agingRemovesTheOldestNotTheWorst() {
        Evolution e = evolution(3, 1, 0.0, 1);
        List<Sample> s = e.sample(3);
        e.learn(scored(s, 0.9, 0.1, 0.5));
        List<Sample> next = e.sample(1);
        e.learn(scored(next, 0.2));
        assertThat(e.population()).extracting(Evolution.Member::reward).containsExactly(0.1, 0.5, 0.2);
        assertThat(e.population().get(2).decisions()).isEqualTo(next.get(0).decisions());
    }

    @Test
    void theTournamentPrefersTheBetterMember() {
        Evolution e = evolution(2, 2, 0.0, 11);
        List<Sample> s = e.sample(2);
        e.learn(scored(s, 0.0, 1.0));
        String better = s.get(1).genotype().id();
        long fromBetter = e.sample(400).stream().filter(x -> x.parent().equals(better)).count();
        // the best of two draws with replacement is the better member with probability 3/4
        assertThat(fromBetter).isBetween(270L, 330L);
    }

    @Test
    void aRestoredEvolutionSamplesExactlyWhatTheOriginalWould() {
        Evolution a = evolution(4, 2, 0.05, 42);
        for (int round = 0; round < 3; round++) {
            List<Sample> s = a.sample(3);
            a.learn(scored(s, 0.1 * round, 0.2, 0.3 + 0.1 * round));
        }
        byte[] between = a.checkpoint();
        Strategy b = Strategies.restore("evolution", B5, between);
        assertThat(b.checkpoint()).isEqualTo(between);
        List<Sample> fromA = a.sample(5);
        List<Sample> fromB = b.sample(5);
        for (int i = 0; i < 5; i++) {
            assertThat(fromB.get(i).decisions()).isEqualTo(fromA.get(i).decisions());
            assertThat(fromB.get(i).parent()).isEqualTo(fromA.get(i).parent());
        }
        // a round killed after sampling re-samples the same children from the checkpoint before it
        Strategy c = Strategies.restore("evolution", B5, between);
        assertThat(c.sample(5)).extracting(x -> Arrays.toString(x.decisions()))
                .isEqualTo(fromA.stream().map(x -> Arrays.toString(x.decisions())).toList());
    }

    @Test
    void badSettingsAndCheckpointsAreRefusedByName() {
        assertThatThrownBy(() -> new Evolution.Settings(4, 5, 0))
                .hasMessageContaining("evolution.sample: must be between 1 and evolution.population = 4, got 5");
        assertThatThrownBy(() -> new Evolution.Settings(0, 1, 0)).hasMessageContaining("evolution.population");
        assertThatThrownBy(() -> new Evolution.Settings(4, 2, 1.0)).hasMessageContaining("evolution.identity-probability");
        byte[] ok = evolution(4, 2, 0, 1).checkpoint();
        byte[] newer = ok.clone();
        java.nio.ByteBuffer.wrap(newer).putInt(Integer.BYTES, 9);
        assertThatThrownBy(() -> Evolution.restore(newer)).hasMessageContaining("evolution checkpoint version 9");
        assertThatThrownBy(() -> Strategies.restore("evolution", B5, new byte[]{1, 2, 3, 4}))
                .hasMessageContaining("not an evolution checkpoint");
    }

    @Test
    void theRegistryNamesEveryStrategyAndAnUnknownNameListsThem() {
        assertThat(Strategies.names()).containsExactly("ppo", "reinforce", "random", "evolution");
        assertThatThrownBy(() -> Strategies.canonical("evolve"))
                .hasMessage("unknown strategy 'evolve'; the known strategies are ppo, reinforce, random, evolution");
        Strategies.Settings settings = new Strategies.Settings(Map.of("ppo", PolicyGradient.Settings.paper(),
                "reinforce", PolicyGradient.Settings.paper(), "random", List.of(), "evolution",
                new Evolution.Settings(4, 2, 0)));
        for (String name : Strategies.names()) {
            Strategy s = Strategies.create(" " + name.toUpperCase() + " ", B5, settings, 1);
            assertThat(s.name()).isEqualTo(name);
            assertThat(Strategies.restore(name, B5, s.checkpoint()).checkpoint()).isEqualTo(s.checkpoint());
        }
        Strategy ppo = Strategies.create("ppo", B5, settings, 1);
        assertThatThrownBy(() -> Strategies.restore("reinforce", B5, ppo.checkpoint()))
                .hasMessageContaining("checkpoint holds a ppo strategy, not reinforce");
    }
}
