package io.nasnet.surrogate;

import io.nasnet.Slow;
import io.nasnet.TestSpark;
import io.nasnet.space.Genotype;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The benchmark's surrogate: how well it stands for the children, and what it refuses. */
class SurrogateTest {

    @Test
    @Slow // fits a surrogate: Spark trees, 5 folds
    void theSurrogateRanksUnseenCellsAsTheirTruthAndMeasuresTheSeedNoise() {
        Surrogate s = SurrogateFixture.fitted(TestSpark.local());
        Surrogate.Quality q = s.quality();
        assertThat(q.rows()).isEqualTo(300 + 30 * 2);
        assertThat(q.architectures()).isEqualTo(300);
        assertThat(q.meanArchitectures()).isEqualTo(30);
        assertThat(q.tauMeans()).as("30 architectures of 3 seeds, their means ranked out of fold").isGreaterThan(0.3);
        assertThat(q.tauRows()).isGreaterThan(0.3);
        assertThat(q.seedSd()).as("the fixture's noise, 0.03, from 30 architectures of 3 seeds").isBetween(0.015, 0.045);
        assertThat(q.childSeconds()).isEqualTo(15.0);
        List<Genotype> unseen = Surrogate.randomCells(200, 99);
        double tau = new KendallsCorrelation().correlation(unseen.stream().mapToDouble(s::value).toArray(),
                unseen.stream().mapToDouble(SurrogateFixture::separable).toArray());
        assertThat(tau).as("ranks 200 cells it never saw as their truth").isGreaterThan(0.4);
        assertThat(q.share(q.noiseFor(0.25))).isCloseTo(0.25, within(1e-12));
        assertThat(q.noiseFor(1)).isZero();
    }

    @Test
    void aTableWithTooFewRowsSaysHowManyItHasAndNeeds() {
        assertThatThrownBy(() -> Surrogate.fit(TestSpark.local(), SurrogateFixture.samples(20, 0.03, 1), 100, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least 100 real children and the rows hold 24");
    }

    @Test
    @Slow // fits a surrogate: Spark trees, 5 folds
    void aSurrogateThatRanksBelowTheMinimumIsRefusedWithItsTau() {
        // rewards that are noise only: no surrogate can rank them
        List<Surrogate.Sample> noise = SurrogateFixture.samples(60, 0, 2).stream()
                .map(x -> new Surrogate.Sample(x.archId(), x.genotype(), Math.floorMod(x.archId().hashCode(), 97) / 97.0,
                        15)).toList();
        assertThatThrownBy(() -> Surrogate.fit(TestSpark.local(), noise, 50, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s)the surrogate's held-out Kendall tau is -?0\\.\\d{3} on 60 architectures "
                        + "\\(72 children, 5-fold by architecture\\), below the minimum 0\\.50.*");
    }
}
