package io.nasnet.controller;

import io.nasnet.search.SearchConfig;
import io.nasnet.space.Encoding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each registry entry says which configured settings its strategy's state keeps, so that a continued
 * search can refuse a change of them without knowing the strategy's class.
 */
class StrategiesTest {

    private static final Encoding SPACE = new Encoding(5);

    private static Strategies.Settings settings(String... keys) {
        return SearchConfig.load(null, List.of(keys)).strategies();
    }

    @Test
    void aRestoredStrategyListsTheKeptSettingsTheConfigurationNowChanges() {
        Strategy ppo = Strategies.restore("ppo", SPACE,
                Strategies.create("ppo", SPACE, settings(), 1).checkpoint());
        assertThat(Strategies.changed(ppo, settings())).isEmpty();
        Map<String, List<Object>> changed = Strategies.changed(ppo, settings("controller.learning-rate=0.5",
                "evolution.sample=3"));
        assertThat(changed).containsOnlyKeys("controller.learning-rate");
        assertThat(changed.get("controller.learning-rate").get(1)).isEqualTo(0.5);

        Strategy evolution = Strategies.restore("evolution", SPACE,
                Strategies.create("evolution", SPACE, settings(), 1).checkpoint());
        assertThat(Strategies.changed(evolution, settings("controller.learning-rate=0.5", "evolution.sample=3")))
                .containsOnlyKeys("evolution.sample");

        Strategy random = Strategies.create("random", SPACE, settings(), 1);
        assertThat(random.keptSettings()).isEmpty();
        assertThat(Strategies.changed(random, settings("controller.learning-rate=0.5"))).isEmpty();
    }
}
