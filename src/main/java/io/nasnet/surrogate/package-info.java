/**
 * A performance predictor fitted with Spark MLlib on history rows: genotype features (op counts,
 * inputs, a path encoding as in BANANAS), gradient-boosted trees, a held-out rank correlation; it
 * ranks the candidates a strategy proposes so that a round trains those worth training. Knows
 * nothing of DL4J graphs; the round loop hands it rows, strategies never read the table.
 */
package io.nasnet.surrogate;
