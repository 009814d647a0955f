/**
 * The search as a Spark application: the round engine ({@code io.nasnet.engine}) with its seams
 * filled by the cluster (the evaluator that trains a population, one Spark task per child; the
 * history table; checkpoint files under a lease), the run's configuration ({@link
 * io.nasnet.search.SearchConfig}), and the checks before a run continues a search.
 */
package io.nasnet.search;
