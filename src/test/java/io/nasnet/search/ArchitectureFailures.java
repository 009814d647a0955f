package io.nasnet.search;

import io.nasnet.child.ChildTrainer;
import io.nasnet.child.Dl4jTrainer;
import io.nasnet.child.ChildSettings;

/**
 * Test double for the architecture's failures, around real DL4J training: child 0 trains with a
 * learning rate that makes its loss blow up (a real divergence), child 1's network "cannot be built"
 * (thrown as a network builder throws for a genotype it cannot wire), the others train normally.
 */
final class ArchitectureFailures {

    private ArchitectureFailures() {
    }

    static TrainerFactory factory() {
        return (s, gpu) -> (WholeProxy) (spec, data) -> switch (spec.index()) {
            case 0 -> new Dl4jTrainer(new ChildSettings(s.n(), s.f(), s.epochs(), s.batchSize(), 1e30, s.weightDecay(),
                    s.rewardLastK(), s.padCrop(), s.flip(), s.memoryLimit()), gpu).train(spec, data);
            case 1 -> throw new IllegalArgumentException("the network of " + spec.genotype() + " cannot be built: "
                    + "a concatenation of mismatched sizes");
            default -> new Dl4jTrainer(s, gpu).train(spec, data);
        };
    }
}
