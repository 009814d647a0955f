package io.nasnet.controller;

import io.nasnet.space.Genotype;

/**
 * One sampled architecture: its decisions, and the log-probability and entropy the policy gave
 * them when sampling (PPO's ratio is taken against this log-probability).
 */
public record Sample(Genotype genotype, int[] decisions, double logProb, double entropy) {
}
