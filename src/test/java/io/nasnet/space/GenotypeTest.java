package io.nasnet.space;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenotypeTest {

    private static final Genotype A = Presets.NASNET_A;

    @Test
    void nasnetAMatchesTfSlimWiring() {
        Cell n = A.normal();
        assertThat(n.blocks()).hasSize(5);
        assertThat(n.blocks().get(0)).isEqualTo(new Block(0, Op.SEP_5X5, 1, Op.SEP_3X3, Combine.ADD));
        assertThat(n.blocks().get(4)).isEqualTo(new Block(0, Op.SEP_3X3, 0, Op.IDENTITY, Combine.ADD));
        assertThat(n.concat()).containsExactly(1, 2, 3, 4, 5, 6);
        Cell r = A.reduction();
        assertThat(r.blocks().get(3)).isEqualTo(new Block(3, Op.IDENTITY, 2, Op.AVG_POOL_3X3, Combine.ADD));
        assertThat(r.concat()).containsExactly(3, 4, 5, 6);
    }

    @Test
    void textRoundTrips() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(7);
        for (int i = 0; i < 200; i++) {
            Genotype g = enc.random(rng);
            assertThat(Genotype.parse(g.text())).isEqualTo(g);
        }
        assertThat(Genotype.parse(A.text())).isEqualTo(A);
    }

    @Test
    void jsonRoundTrips() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(8);
        for (int i = 0; i < 50; i++) {
            Genotype g = enc.random(rng);
            assertThat(Genotype.fromJson(g.toJson())).isEqualTo(g);
        }
        assertThat(A.toJson()).contains("\"ops\":[\"sep5x5\",\"sep3x3\"]");
    }

    @Test
    void textWithoutConcatUsesLooseEnds() {
        Genotype g = Genotype.parse("normal (0 sep3x3, 1 identity) (2 max3x3, 0 conv1x1, concat)"
                + " | reduction (0 avg3x3, 1 sep7x7) (0 dil3x3, 1 conv1x3_3x1)");
        assertThat(g.normal().concat()).containsExactly(3);
        assertThat(g.normal().blocks().get(0).combine()).isEqualTo(Combine.ADD);
        assertThat(g.normal().blocks().get(1).combine()).isEqualTo(Combine.CONCAT);
        assertThat(g.reduction().concat()).containsExactly(2, 3);
    }

    @Test
    void idIgnoresOrderOfInputsWithinABlock() {
        Genotype swapped = Genotype.parse(A.text().replace("(0 sep5x5, 1 sep3x3, add)", "(1 sep3x3, 0 sep5x5, add)"));
        assertThat(swapped).isNotEqualTo(A);
        assertThat(swapped.id()).isEqualTo(A.id());
        Genotype different = Genotype.parse(A.text().replace("(0 sep5x5, 1 sep3x3, add)", "(0 sep5x5, 1 sep5x5, add)"));
        assertThat(different.id()).isNotEqualTo(A.id()).hasSize(16);
    }

    @Test
    void idsOfRandomGenotypesAreDistinct() {
        Encoding enc = new Encoding(5);
        Random rng = new Random(9);
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Genotype g = enc.random(rng);
            ids.add(g.id());
            texts.add(g.normal().normalized().text() + g.reduction().normalized().text());
        }
        assertThat(ids).hasSize(texts.size());
    }

    @Test
    void unknownOpNamesCellBlockAndField() {
        assertThatThrownBy(() -> Genotype.parse(A.text().replace("(1 avg3x3, 1 avg3x3, add)", "(1 avg3x3, 1 avg9x9, add)")))
                .isInstanceOf(InvalidGenotypeException.class)
                .hasMessageContaining("normal cell, block 3, op2")
                .hasMessageContaining("avg9x9")
                .hasMessageContaining("sep7x7");
    }

    @Test
    void inputOutOfRangeNamesCellBlockAndField() {
        assertThatThrownBy(() -> Genotype.parse(A.text().replace("(2 sep3x3, 0 max3x3, add)", "(2 sep3x3, 6 max3x3, add)")))
                .isInstanceOf(InvalidGenotypeException.class)
                .hasMessageContaining("reduction cell, block 4, input2")
                .hasMessageContaining("out of range [0, 5]");
    }

    @Test
    void blockCountMismatchIsRejected() {
        assertThatThrownBy(() -> Genotype.parse("normal (0 sep3x3, 1 identity) | reduction (0 avg3x3, 1 sep7x7) (0 dil3x3, 1 conv1x1)"))
                .hasMessageContaining("normal cell has 1 blocks but reduction cell has 2");
    }

    @Test
    void badConcatListsAreRejected() {
        List<Block> blocks = A.normal().blocks();
        assertThatThrownBy(() -> new Cell(CellType.NORMAL, blocks, List.of(1, 7)))
                .hasMessageContaining("normal cell, concat: state 7 out of range [0, 6]");
        assertThatThrownBy(() -> new Cell(CellType.NORMAL, blocks, List.of(3, 2)))
                .hasMessageContaining("distinct and ascending");
        assertThatThrownBy(() -> new Cell(CellType.NORMAL, blocks, List.of()))
                .hasMessageContaining("at least one state");
        assertThatThrownBy(() -> Genotype.parse(A.text().replace("concat 3 4 5 6", "concat 3 x")))
                .hasMessageContaining("reduction cell, concat: 'x' is not a state index");
    }

    @Test
    void garbageBetweenBlocksIsRejected() {
        assertThatThrownBy(() -> Genotype.parse("normal (0 sep3x3, 1 identity) oops | reduction (0 avg3x3, 1 sep7x7)"))
                .hasMessageContaining("normal cell, block 1: cannot read 'oops'");
        assertThatThrownBy(() -> Genotype.parse("normal (0 sep3x3, 1 identity)"))
                .hasMessageContaining("'<normal cell> | <reduction cell>'");
    }

    @Test
    void badJsonNamesTheField() {
        assertThatThrownBy(() -> Genotype.fromJson("{\"normal\":{\"blocks\":[{\"inputs\":[0],\"ops\":[\"sep3x3\",\"sep3x3\"]}]}}"))
                .hasMessageContaining("normal cell, block 0: needs 'inputs' and 'ops'");
        assertThatThrownBy(() -> Genotype.fromJson("[]")).hasMessageContaining("not an object");
    }

    @Test
    void presetsByNameIgnoreCase() {
        assertThat(Presets.byName("nasnet-A")).isSameAs(A);
        assertThatThrownBy(() -> Presets.byName("amoeba")).hasMessageContaining("known: NASNet-A");
    }
}
