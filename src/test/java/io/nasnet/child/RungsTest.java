package io.nasnet.child;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RungsTest {

    @Test
    void eachRungTrainsEtaTimesTheStepsOfTheOneBelowTheLastTheWholeProxy() {
        assertThat(new Rungs(3, 3).boundaries(62)).containsExactly(7, 21, 62);
        assertThat(new Rungs(2, 2).boundaries(62)).containsExactly(31, 62);
        assertThat(new Rungs(4, 2).boundaries(15)).containsExactly(2, 4, 8, 15);
        assertThat(Rungs.OFF.boundaries(62)).containsExactly(62);
    }

    @Test
    void promotionKeepsOneInEtaAndNeverNone() {
        assertThat(new Rungs(3, 3).counts(9)).containsExactly(9, 3, 1);
        assertThat(new Rungs(3, 3).counts(10)).containsExactly(10, 3, 1);
        assertThat(new Rungs(4, 2).counts(8)).containsExactly(8, 4, 2, 1);
        assertThat(new Rungs(3, 2).counts(5)).containsExactly(5, 2, 1);
        assertThat(new Rungs(2, 3).counts(2)).containsExactly(2, 1);
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> new Rungs(3, 1)).hasMessageContaining("search.eta").hasMessageContaining(">= 2");
        assertThatThrownBy(() -> new Rungs(0, 3)).hasMessageContaining("search.rungs");
        assertThatThrownBy(() -> new Rungs(4, 3).boundaries(10)).hasMessageContaining("search.rungs = 4")
                .hasMessageContaining("search.eta = 3").hasMessageContaining("only 10 training steps");
        assertThatThrownBy(() -> new Rungs(3, 3).requirePopulation(8)).hasMessageContaining("search.population = 8")
                .hasMessageContaining("search.eta^(search.rungs - 1) = 9");
        new Rungs(3, 3).requirePopulation(9);
        Rungs.OFF.requirePopulation(1);
        new Rungs(1, 1).requirePopulation(1);
    }
}
