package io.nasnet.controller;

import io.nasnet.space.Genotype;

/**
 * One sampled architecture: its decisions, the log-probability the policy gave each decision when
 * sampling, their sum (PPO's ratio is taken against it), the policy's entropy along the way, and the
 * architecture it was made from (evolution's parent; null when sampled from scratch).
 */
public record Sample(Genotype genotype, int[] decisions, double[] decisionLogProbs, double logProb, double entropy,
                     String parent) {
}
