package io.nasnet.space;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodingTest {

    @Test
    void fiftyDecisionsForFiveBlocks() {
        Encoding enc = new Encoding(5);
        assertThat(enc.length()).isEqualTo(50);
        assertThat(enc.slots().get(0).choices()).isEqualTo(2);
        assertThat(enc.slots().get(20).choices()).isEqualTo(6);   // block 4, input 1
        assertThat(enc.slots().get(22).choices()).isEqualTo(13);  // block 4, op 1
        assertThat(enc.slots().get(24).choices()).isEqualTo(2);   // block 4, combine
        assertThat(enc.slots().get(25).cell()).isEqualTo(CellType.REDUCTION);
    }

    @Test
    void encodeDecodeRoundTripsUpToTheConcatRule() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(1);
        for (int i = 0; i < 500; i++) {
            Genotype g = enc.random(rng);
            assertThat(enc.decode(enc.encode(g))).isEqualTo(g);
        }
        Genotype a = Presets.NASNET_A;
        Genotype decoded = enc.decode(enc.encode(a));
        assertThat(decoded.normal().blocks()).isEqualTo(a.normal().blocks());
        // NASNet-A's output lists are hand-set; decoding applies the paper's loose-end rule
        // (its normal blocks read only h_i and h_{i-1}, so every block is a loose end).
        assertThat(decoded.normal().concat()).containsExactly(2, 3, 4, 5, 6);
        assertThat(decoded.reduction().concat()).containsExactly(4, 5, 6);
    }

    @Test
    void randomCoversEveryChoice() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(2);
        boolean[][] seen = new boolean[enc.length()][13];
        for (int i = 0; i < 3000; i++) {
            int[] d = enc.encode(enc.random(rng));
            for (int k = 0; k < d.length; k++) {
                seen[k][d[k]] = true;
            }
        }
        for (int k = 0; k < enc.length(); k++) {
            for (int c = 0; c < enc.slots().get(k).choices(); c++) {
                assertThat(seen[k][c]).as("slot %d choice %d", k, c).isTrue();
            }
        }
    }

    @Test
    void outOfRangeDecisionIsRejected() {
        Encoding enc = new Encoding(2);
        int[] d = new int[enc.length()];
        d[5] = 3; // block 1 input 1 allows 0..2
        assertThatThrownBy(() -> enc.decode(d))
                .hasMessageContaining("normal cell, block 1, decision 0 (input): choice 3 out of range [0, 2]");
    }
}
