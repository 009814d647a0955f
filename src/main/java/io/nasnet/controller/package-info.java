/**
 * Search strategies: what samples architectures and learns from their rewards. The paper's LSTM
 * controller trained by PPO (and REINFORCE), and random search as the baseline, behind one
 * {@link io.nasnet.controller.Strategy} interface, each checkpointable as bytes. Knows nothing of
 * DL4J graphs or Spark.
 */
package io.nasnet.controller;
