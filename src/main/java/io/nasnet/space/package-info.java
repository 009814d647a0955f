/**
 * The NASNet search space as plain values: the 13 operations, blocks, cells and genotypes, their
 * canonical text and JSON forms, the architecture id, the NASNet-A preset, and the decision
 * encoding that controllers sample. Knows nothing of DL4J or Spark, so every other package can
 * speak about architectures without pulling in a runtime.
 */
package io.nasnet.space;
