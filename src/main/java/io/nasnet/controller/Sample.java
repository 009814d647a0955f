package io.nasnet.controller;

import io.nasnet.space.Genotype;

/**
 * One sampled architecture: its decisions, the log-probability the policy gave each decision when
 * sampling, their sum (PPO's ratio is taken against it) and the policy's entropy along the way.
 */
public record Sample(Genotype genotype, int[] decisions, double[] decisionLogProbs, double logProb, double entropy) {
}
