package io.nasnet.search;

import io.nasnet.child.ChildSpec;

import java.io.Serializable;

/** What an executor needs for one child: the spec and the search's bookkeeping for its row. */
public record ChildTask(ChildSpec spec, String archId, String strategy, double logProb, String budget,
                        String configHash) implements Serializable {
}
