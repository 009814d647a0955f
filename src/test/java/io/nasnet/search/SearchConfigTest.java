package io.nasnet.search;

import io.nasnet.config.ConfigException;
import io.nasnet.controller.PolicyGradient;
import io.nasnet.data.DataSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchConfigTest {

    private static PolicyGradient.Settings controller(SearchConfig c) {
        assertThat(c.strategies().of("reinforce")).as("PPO and REINFORCE share the controller's block")
                .isEqualTo(c.strategies().of("ppo"));
        return (PolicyGradient.Settings) c.strategies().of("ppo");
    }

    @Test
    void theControllerDefaultsToTheSmallPresetAndThePapersValuesAreOneSwitchAway() {
        SearchConfig c = SearchConfig.load(null, List.of());
        assertThat(controller(c).hidden()).isEqualTo(100);
        assertThat(controller(c).learningRate()).isEqualTo(0.003);
        assertThat(controller(c).entropyWeight()).isEqualTo(0.001);
        assertThat(controller(c).ppoEpochs()).isEqualTo(4);
        assertThat(controller(c).minibatch()).isEqualTo(8);
        assertThat(controller(c).baselineDecay()).isEqualTo(0.95);
        assertThat(c.strategy()).isEqualTo("ppo");
        assertThat(c.blocks()).isEqualTo(5);

        assertThat(controller(SearchConfig.load(null, List.of("controller.preset=paper"))))
                .isEqualTo(io.nasnet.controller.PolicyGradient.Settings.paper());
        // a value set explicitly wins over the preset's
        PolicyGradient.Settings mixed = controller(SearchConfig.load(null, List.of("controller.preset=paper",
                "controller.learning-rate=0.01")));
        assertThat(mixed.learningRate()).isEqualTo(0.01);
        assertThat(mixed.minibatch()).isEqualTo(20);
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("controller.preset=huge")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nasnet.controller.preset: 'huge' is not one of")
                .hasMessageContaining("paper").hasMessageContaining("small");
    }

    @Test
    void fileThenOverridesApply(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.conf"),
                "nasnet.search { id = nightly, population = 8, time-budget = 6h }\nnasnet.child.epochs = 3\n");
        SearchConfig c = SearchConfig.load(f.toFile(), List.of("child.epochs=5", "nasnet.search.strategy=random"));
        assertThat(c.searchId()).isEqualTo("nightly");
        assertThat(c.population()).isEqualTo(8);
        assertThat(c.timeBudget()).isEqualTo(Duration.ofHours(6));
        assertThat(c.child().epochs()).isEqualTo(5);
        assertThat(c.strategy()).isEqualTo("random");
        assertThat(c.child().memoryLimit()).as("no limit by default").isZero();
        assertThat(SearchConfig.load(f.toFile(), List.of("child.memory-limit=1400M")).child().memoryLimit())
                .isEqualTo(1400L * 1024 * 1024);
    }

    @Test
    void aSetValueThatIsNoHoconValueIsTakenAsText() {
        SearchConfig c = SearchConfig.load(null, List.of("data.path=hdfs:///data/fashion", "history.path=s3a://b/h?x=1"));
        assertThat(c.data().path()).isEqualTo("hdfs:///data/fashion");
        assertThat(c.historyPath()).isEqualTo("s3a://b/h?x=1");
        assertThat(SearchConfig.load(null, List.of("data.path=\"a b\"")).data().path()).isEqualTo("a b");
    }

    @Test
    void eachComponentReadsItsOwnKeysAndItsErrorsNameThemUnderNasnet() {
        com.typesafe.config.Config own = com.typesafe.config.ConfigFactory.parseString(
                "evolution { population = 7, sample = 3, identity-probability = 0.1 }");
        assertThat(io.nasnet.controller.Evolution.Settings.from(own))
                .isEqualTo(new io.nasnet.controller.Evolution.Settings(7, 3, 0.1));
        assertThat(SearchConfig.load(null, List.of("evolution.population=7", "evolution.sample=3",
                "evolution.identity-probability=0.1")).strategies().of("evolution")).isEqualTo(io.nasnet.controller.Evolution.Settings.from(own));
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("data.validation=0")))
                .isInstanceOf(ConfigException.class).hasMessage("nasnet.data.validation: must be > 0, got 0.0");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("data.format=png")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("nasnet.data.format: unknown dataset format 'png'");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("train.stacking=mobile")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("nasnet.train.stacking: 'mobile' is not one of cifar, imagenet");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("controller.hidden=0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("nasnet.controller: ");
    }

    @Test
    void aStudySetsTypedValuesValidatedAsAWhole() {
        SearchConfig base = SearchConfig.load(null, List.of("search.population=4"));
        assertThat(base.with(java.util.Map.of()).hash()).as("nothing set: the same configuration").isEqualTo(base.hash());
        SearchConfig c = base.with(java.util.Map.of("search.seed", 7L, "search.time-budget", Duration.ofHours(2),
                "predictor.enabled", true, "search.id", "quality-ppo.seed-7"));
        assertThat(c.seed()).isEqualTo(7L);
        assertThat(c.timeBudget()).isEqualTo(Duration.ofHours(2));
        assertThat(c.predictor().enabled()).isTrue();
        assertThat(c.population()).isEqualTo(4);
        assertThat(c.hash()).isNotEqualTo(base.hash());
        assertThat(SearchConfig.load(null, List.of("search.population=4", "search.seed=7", "search.time-budget=7200000ms",
                "predictor.enabled=true")).with(java.util.Map.of("search.id", "quality-ppo.seed-7")).hash()).isEqualTo(c.hash());
        assertThatThrownBy(() -> base.with(java.util.Map.of("search.population", 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nasnet.search.population: must be >= 1");
        // values that are only valid together are set together
        SearchConfig unbounded = base.with(new java.util.LinkedHashMap<>(java.util.Map.of("search.rounds", 0,
                "search.child-seconds", 200.0)));
        assertThat(unbounded.childSecondsBudget()).isEqualTo(200.0);
    }

    @Test
    void unknownKeysAreNamed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.conf"), "nasnet.search.populaton = 8\nnasnet.chld.n = 2\nother = 1\n");
        assertThatThrownBy(() -> SearchConfig.load(f.toFile(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nasnet.search.populaton")
                .hasMessageContaining("nasnet.chld.n")
                .hasMessageContaining("other");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("child.filters=3")))
                .hasMessageContaining("nasnet.child.filters");
    }

    @Test
    void wrongTypesAndBadValuesNameTheKey() {
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.population=many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("search.population");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.population=0")))
                .hasMessageContaining("nasnet.search.population: must be >= 1");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.strategy=evolve")))
                .hasMessageContaining("nasnet.search.strategy: unknown strategy 'evolve'; the known strategies are "
                        + "ppo, reinforce, random, evolution");
        assertThat(SearchConfig.load(null, List.of("search.strategy=Evolution")).strategy()).isEqualTo("evolution");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("evolution.population=4", "evolution.sample=5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nasnet.evolution.sample: must be between 1 and evolution.population = 4, got 5");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.strategy=evolution", "search.max-rounds=3",
                "search.population=4", "evolution.population=20")))
                .hasMessageContaining("nasnet.evolution.population: 20 is more than the search's 12 children");
        assertThat(((io.nasnet.controller.Evolution.Settings) SearchConfig.load(null, List.of("search.max-rounds=3",
                "search.population=4", "evolution.population=20")).strategies().of("evolution")).population()).as("only evolution uses it").isEqualTo(20);
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("child.batch-size=1")))
                .hasMessageContaining("child.batch-size");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.reward=loss")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nasnet.search.reward: 'loss' is not one of accuracy, accuracy-mean, "
                        + "validation-loss, train-loss-area");
        assertThat(SearchConfig.load(null, List.of("search.reward=validation-loss")).child().reward())
                .isEqualTo(io.nasnet.child.RewardDefinition.VALIDATION_LOSS);
        assertThat(SearchConfig.load(null, List.of()).child().reward()).as("today's reward by default")
                .isEqualTo(io.nasnet.child.RewardDefinition.ACCURACY);
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("child.evaluations=-1")))
                .hasMessageContaining("child.evaluations");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.time-budget=soon")))
                .hasMessageContaining("search.time-budget");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.rounds=0")))
                .hasMessageContaining("needs nasnet.search.time-budget");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("search.id=\"a b\"")))
                .hasMessageContaining("nasnet.search.id");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("child.memory-limit=lots")))
                .hasMessageContaining("child.memory-limit");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("child.memory-limit=-1")))
                .hasMessageContaining("child.memory-limit");
        assertThatThrownBy(() -> SearchConfig.load(null, List.of("noequals")))
                .hasMessageContaining("key=value");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> SearchConfig.load(new File("/nonexistent/x.conf"), List.of()))
                .hasMessageContaining("/nonexistent/x.conf");
    }

    @Test
    void everyShippedConfParses() throws Exception {
        try (var files = Files.list(Path.of("conf"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".conf")).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("local.conf", "yarn.conf", "databricks.conf", "fashion-full.conf");
        }
        // the studies' proxy: the full Fashion-MNIST of Debian's package, the main job's settings otherwise
        SearchConfig full = SearchConfig.load(new java.io.File("conf/fashion-full.conf"), List.of());
        assertThat(List.of(full.searchId(), full.data().path(), full.sparkMaster(), full.child().f(),
                full.child().reward(), full.child().zeroCost(), full.data().trainLimit()))
                .containsExactly("fashion-full", "/usr/share/datasets/fashion-mnist", "local[2]", 4,
                        io.nasnet.child.RewardDefinition.TRAIN_LOSS_AREA, true, 2000);
        // the main job: 3 rounds of 4 tiny children on the shipped subset, two at a time
        SearchConfig local = SearchConfig.load(new java.io.File("conf/local.conf"), List.of());
        assertThat(List.of(local.searchId(), local.strategy(), local.population(), local.rounds(), local.sparkMaster(),
                local.data().path(), local.historyPath(), local.checkpointPath()))
                .containsExactly("fashion-small", "ppo", 4, 3, "local[2]", "data/fashion-mnist-small", "work/history",
                        "work/checkpoints");
        assertThat(List.of(local.child().n(), local.child().f(), local.child().epochs(), local.data().trainLimit()))
                .containsExactly(1, 8, 1, 2000);
        // the nightly clusters: an 8-hour budget, rounds unbounded, CIFAR-10 and every table on the cluster's FileSystem
        for (String name : List.of("yarn", "databricks")) {
            SearchConfig c = SearchConfig.load(new java.io.File("conf/" + name + ".conf"), List.of());
            String fs = name.equals("yarn") ? "hdfs:///" : "dbfs:/";
            assertThat(List.of(c.searchId(), c.population(), c.rounds(), c.timeBudget(), c.data().format()))
                    .as(name).containsExactly("nightly", 20, 0, java.time.Duration.ofHours(8), DataSpec.Format.CIFAR10);
            assertThat(List.of(c.data().path(), c.historyPath(), c.checkpointPath(), c.finalPath(),
                    c.trainCheckpointPath())).as(name).allMatch(p -> p.startsWith(fs));
            assertThat(c.child().rewardLastK()).as(name).isLessThan(c.child().epochs());
        }
        assertThat(SearchConfig.load(new java.io.File("conf/yarn.conf"), List.of()).sparkMaster()).isEqualTo("yarn");
    }
}
