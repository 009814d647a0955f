/**
 * The search's round loop with no Spark in it: propose a population (a strategy, optionally screened
 * by a predictor), evaluate it (any {@link io.nasnet.engine.Evaluator}), store the round
 * ({@link io.nasnet.engine.RoundHistory}) and the strategy's state
 * ({@link io.nasnet.engine.StrategyStates}), learn, and stop at composed {@link io.nasnet.engine.Limit}s.
 * The Spark pipeline ({@code io.nasnet.search}) fills the seams with executors, the history table and
 * checkpoint files; a benchmark or a test fills them in memory and runs a search in milliseconds.
 */
package io.nasnet.engine;
