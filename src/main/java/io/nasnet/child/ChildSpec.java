package io.nasnet.child;

import java.io.Serializable;

/** One child to train: where it belongs in a search, its architecture (canonical text) and its seed. */
public record ChildSpec(String searchId, int round, int index, String genotype, long seed) implements Serializable {
}
