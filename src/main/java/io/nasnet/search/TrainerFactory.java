package io.nasnet.search;

import io.nasnet.child.ChildTrainer;
import io.nasnet.child.Dl4jTrainer;
import io.nasnet.child.ChildSettings;

import java.io.Serializable;

/** Makes the trainer an executor uses; shipped to executors with the job. */
@FunctionalInterface
public interface TrainerFactory extends Serializable {

    ChildTrainer create(ChildSettings settings, String gpu);

    /** Real DL4J training. */
    static TrainerFactory dl4j() {
        return Dl4jTrainer::new;
    }
}
